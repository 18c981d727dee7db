import { and, eq } from "drizzle-orm";
import type { Choice, TurnResult } from "../bot/platform";
import type { Database } from "../db/client";
import { chatEvents, chatSessions } from "../db/schema";

/** A user's conversation as stored: survives a restart mid-flow. */
export interface Session {
  userId: string;
  flowId: string | null;
  flowVersion: number | null;
  step: string | null;
  data: Record<string, unknown>;
  /** Set while editing one field from the confirm step. */
  returnTo: string | null;
  /** The prompt last shown, to tell current choices from stale ones. */
  prompt: { step: string; choices: Choice[] } | null;
  history: string[];
  status: "active" | "completed" | "cancelled" | "idle";
  /** A paused flow (idle too long), resumable with `continue`. */
  draft: {
    flowId: string;
    flowVersion: number;
    step: string | null;
    data: Record<string, unknown>;
    history: string[];
  } | null;
  updatedAt: Date;
}

export const emptySession = (userId: string, now: Date): Session => ({
  userId,
  flowId: null,
  flowVersion: null,
  step: null,
  data: {},
  returnTo: null,
  prompt: null,
  history: [],
  status: "idle",
  draft: null,
  updatedAt: now,
});

export const createSessionStore = (database: Database) => ({
  async load(userId: string, now: Date): Promise<Session> {
    const row = await database.db.select().from(chatSessions).where(eq(chatSessions.userId, userId)).get();
    if (!row) return emptySession(userId, now);
    const state = row.state as { data?: Record<string, unknown>; returnTo?: string | null };
    return {
      userId,
      flowId: row.flowId,
      flowVersion: row.flowVersion === null ? null : Number(row.flowVersion),
      step: row.step,
      data: state.data ?? {},
      returnTo: state.returnTo ?? null,
      prompt: (row.prompt as Session["prompt"]) ?? null,
      history: row.history,
      status: row.status,
      draft: (row.draft as Session["draft"]) ?? null,
      updatedAt: new Date(row.updatedAt),
    };
  },

  /** Saves the session and remembers the answer to this event in one batch. */
  async save(s: Session, event: { platform: string; eventId: string; response: TurnResult } | null) {
    const values = {
      userId: s.userId,
      flowId: s.flowId,
      flowVersion: s.flowVersion === null ? null : String(s.flowVersion),
      step: s.step,
      state: { data: s.data, returnTo: s.returnTo },
      prompt: s.prompt,
      history: s.history,
      status: s.status,
      draft: s.draft,
      updatedAt: s.updatedAt.toISOString(),
    };
    await database.write(async (db) => {
      const upsert = db
        .insert(chatSessions)
        .values(values)
        .onConflictDoUpdate({ target: chatSessions.userId, set: values });
      if (!event) return void (await upsert);
      await db.batch([
        upsert,
        db
          .insert(chatEvents)
          .values({
            platform: event.platform,
            eventId: event.eventId,
            userId: s.userId,
            response: event.response,
            createdAt: new Date().toISOString(),
          })
          .onConflictDoNothing(),
      ]);
    });
  },

  async answered(platform: string, eventId: string): Promise<TurnResult | null> {
    const hit = await database.db
      .select({ response: chatEvents.response })
      .from(chatEvents)
      .where(and(eq(chatEvents.platform, platform), eq(chatEvents.eventId, eventId)))
      .get();
    return (hit?.response as TurnResult | undefined) ?? null;
  },
});

export type SessionStore = ReturnType<typeof createSessionStore>;
