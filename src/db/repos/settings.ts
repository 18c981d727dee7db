import { eq, sql } from "drizzle-orm";
import { type SettingKey, type SettingValues, settingDefaults, settingSchemas } from "../../schemas/settings";
import { auditInsert } from "../audit";
import type { Database } from "../client";
import { nowIso } from "../ids";
import { settings } from "../schema";

export interface SettingsStore {
  get<K extends SettingKey>(key: K): Promise<SettingValues[K]>;
  all(): Promise<SettingValues>;
  set<K extends SettingKey>(key: K, value: SettingValues[K], by: string): Promise<void>;
}

/**
 * How long a read is reused. Settings are read on every chat turn and for every job recipient
 * but change rarely; this process sees its own changes at once, another instance's within it.
 */
const CACHE_MS = 2000;

/** Shared values are frozen: a caller changing one would throw, not change it for everyone. */
const deepFreeze = <T>(v: T): T => {
  if (v && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
};

/** Settings with their defaults; a stored value that no longer validates falls back to the default. */
export const createSettingsStore = ({ db, write }: Database): SettingsStore => {
  const read = async <K extends SettingKey>(key: K, stored: unknown): Promise<SettingValues[K]> => {
    if (stored === undefined) return settingDefaults[key];
    const parsed = settingSchemas[key].safeParse(stored);
    return parsed.success ? (parsed.data as SettingValues[K]) : settingDefaults[key];
  };
  let cache: { at: number; stored: Map<string, unknown>; parsed: Map<string, unknown> } | null = null;
  const current = async () => {
    if (cache && Date.now() - cache.at < CACHE_MS) return cache;
    const rows = await db.select().from(settings);
    cache = { at: Date.now(), stored: new Map(rows.map((r) => [r.key, r.value])), parsed: new Map() };
    return cache;
  };
  const storedValues = async () => (await current()).stored;
  return {
    // Validated once per read of the table, not per call: every chat turn and every message
    // sent asks for settings, and a grid's schema is not cheap to check. Callers get the
    // values as shared data (as the defaults always were) and must not change them.
    async get(key) {
      const c = await current();
      if (c.parsed.has(key)) return c.parsed.get(key) as SettingValues[typeof key];
      const value = deepFreeze(await read(key, c.stored.get(key)));
      c.parsed.set(key, value);
      return value;
    },
    async all() {
      cache = null;
      const stored = await storedValues();
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(settingSchemas) as SettingKey[])
        out[key] = await read(key, stored.get(key));
      return out as SettingValues;
    },
    async set(key, value, by) {
      await write(async (db) => {
        const before = await db.select().from(settings).where(eq(settings.key, key)).get();
        const at = nowIso();
        // Drizzle writes a JS null as SQL NULL, which the NOT NULL column refuses: store JSON null.
        const stored = value === null ? sql`'null'` : value;
        await db.batch([
          db
            .insert(settings)
            .values({ key, value: stored, updatedAt: at, updatedBy: by })
            .onConflictDoUpdate({
              target: settings.key,
              set: { value: stored, updatedAt: at, updatedBy: by },
            }),
          auditInsert(db, {
            actorId: by,
            action: "update",
            entityType: "setting",
            entityId: key,
            before: before ? { value: before.value } : null,
            after: { value },
          }),
        ]);
      });
      cache = null;
    },
  };
};
