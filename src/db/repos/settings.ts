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

/** Settings with their defaults; a stored value that no longer validates falls back to the default. */
export const createSettingsStore = ({ db, write }: Database): SettingsStore => {
  const read = async <K extends SettingKey>(key: K, stored: unknown): Promise<SettingValues[K]> => {
    if (stored === undefined) return settingDefaults[key];
    const parsed = settingSchemas[key].safeParse(stored);
    return parsed.success ? (parsed.data as SettingValues[K]) : settingDefaults[key];
  };
  let cache: { at: number; stored: Map<string, unknown> } | null = null;
  const storedValues = async () => {
    if (cache && Date.now() - cache.at < CACHE_MS) return cache.stored;
    const rows = await db.select().from(settings);
    cache = { at: Date.now(), stored: new Map(rows.map((r) => [r.key, r.value])) };
    return cache.stored;
  };
  return {
    async get(key) {
      return read(key, (await storedValues()).get(key));
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
