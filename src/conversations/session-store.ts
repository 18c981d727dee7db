import type { InStatement, InValue, Row } from "@libsql/client";
import type { Column } from "drizzle-orm";
import type { Choice, TurnResult } from "../bot/platform";
import type { Database } from "../db/client";
import { chatEvents, chatSessions, users } from "../db/schema";

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

/** The user a turn is for, as stored. */
export interface StoredUser {
  id: string;
  name: string;
  role: "admin" | "manager" | "finance" | "rep";
  locale: "zh-CN" | "en";
  timezone: string | null;
  active: boolean;
}

/** Everything a turn starts from, read in one statement. */
export interface TurnStart {
  /** The answer already given to this event (a redelivery), or null. */
  seen: TurnResult | null;
  user: StoredUser | null;
  /** The stored session, or an empty one. */
  session: Session;
  /** Changes whenever the product list does (count and latest change): keys the product cache. */
  productsStamp: string;
}

/** A column's value as drizzle would give it (JSON parsed, booleans), null as null. */
const decode = <T>(column: Column, value: unknown): T =>
  (value === null || value === undefined ? null : column.mapFromDriverValue(value)) as T;
const encode = (column: Column, value: unknown): InValue =>
  value === null || value === undefined ? null : (column.mapToDriverValue(value) as InValue);

/*
 * Plain SQL, written once: a turn's statements cost more to build through drizzle than to
 * run. The event's answer, the user and their session come back in one row (the event and
 * the user may be missing: `(select 1)` keeps the row).
 */
const START_SQL = `select
  (select "response" from "chat_events" where "platform" = ? and "event_id" = ?) as "seen",
  (select count(*) || '|' || ifnull(max("updated_at"), '') from "products") as "products_stamp",
  u."id" as "u_id", u."name" as "u_name", u."role" as "u_role", u."locale" as "u_locale",
  u."timezone" as "u_timezone", u."active" as "u_active",
  s."user_id" as "s_user_id", s."flow_id" as "s_flow_id", s."flow_version" as "s_flow_version",
  s."step" as "s_step", s."state" as "s_state", s."prompt" as "s_prompt", s."history" as "s_history",
  s."status" as "s_status", s."draft" as "s_draft", s."updated_at" as "s_updated_at"
from (select 1) as "one"
left join "users" u on u."id" = ?
left join "chat_sessions" s on s."user_id" = ?`;

const SESSION_COLUMNS = [
  chatSessions.userId,
  chatSessions.flowId,
  chatSessions.flowVersion,
  chatSessions.step,
  chatSessions.state,
  chatSessions.prompt,
  chatSessions.history,
  chatSessions.status,
  chatSessions.draft,
  chatSessions.updatedAt,
];
const UPSERT_SESSION_SQL = `insert into "chat_sessions" (${SESSION_COLUMNS.map((c) => `"${c.name}"`).join(", ")})
values (${SESSION_COLUMNS.map(() => "?").join(", ")})
on conflict ("user_id") do update set ${SESSION_COLUMNS.map((c) => `"${c.name}" = excluded."${c.name}"`).join(", ")}`;

const EVENT_COLUMNS = [
  chatEvents.platform,
  chatEvents.eventId,
  chatEvents.userId,
  chatEvents.response,
  chatEvents.createdAt,
];
const INSERT_EVENT_SQL = `insert into "chat_events" (${EVENT_COLUMNS.map((c) => `"${c.name}"`).join(", ")})
values (${EVENT_COLUMNS.map(() => "?").join(", ")}) on conflict do nothing`;

const sessionOf = (row: Row, userId: string, now: Date): Session => {
  if (row.s_user_id === null) return emptySession(userId, now);
  const state = decode<{ data?: Record<string, unknown>; returnTo?: string | null }>(
    chatSessions.state,
    row.s_state,
  );
  const flowVersion = row.s_flow_version as string | null;
  return {
    userId,
    flowId: row.s_flow_id as string | null,
    flowVersion: flowVersion === null ? null : Number(flowVersion),
    step: row.s_step as string | null,
    data: state?.data ?? {},
    returnTo: state?.returnTo ?? null,
    prompt: decode<Session["prompt"]>(chatSessions.prompt, row.s_prompt) ?? null,
    history: decode<string[]>(chatSessions.history, row.s_history),
    status: row.s_status as Session["status"],
    draft: decode<Session["draft"]>(chatSessions.draft, row.s_draft) ?? null,
    updatedAt: new Date(row.s_updated_at as string),
  };
};

export const createSessionStore = (database: Database) => ({
  /** A turn's starting point: the event's earlier answer, the user and their session. */
  async start(platform: string, eventId: string, userId: string, now: Date): Promise<TurnStart> {
    const { rows } = await database.client.execute({
      sql: START_SQL,
      args: [platform, eventId, userId, userId],
    });
    const row = rows[0];
    const user: StoredUser | null =
      row.u_id === null
        ? null
        : {
            id: row.u_id as string,
            name: row.u_name as string,
            role: row.u_role as StoredUser["role"],
            locale: row.u_locale as StoredUser["locale"],
            timezone: row.u_timezone as string | null,
            active: decode<boolean>(users.active, row.u_active),
          };
    return {
      seen: decode<TurnResult | null>(chatEvents.response, row.seen) ?? null,
      user,
      session: sessionOf(row, userId, now),
      productsStamp: row.products_stamp as string,
    };
  },

  /**
   * Saves the session and remembers the answer to this event in one transaction, after
   * `before` (the record a confirmed flow writes), so the record, the session that moved on
   * and the answer to a redelivery are stored together or not at all; `after` (the answer's
   * outbox rows, when the platform sends through the outbox) in the same transaction.
   */
  async save(
    s: Session,
    event: { platform: string; eventId: string; response: TurnResult } | null,
    before: InStatement[] = [],
    after: InStatement[] = [],
  ) {
    const session: InStatement = {
      sql: UPSERT_SESSION_SQL,
      args: [
        s.userId,
        s.flowId,
        s.flowVersion === null ? null : String(s.flowVersion),
        s.step,
        encode(chatSessions.state, { data: s.data, returnTo: s.returnTo }),
        encode(chatSessions.prompt, s.prompt),
        encode(chatSessions.history, s.history),
        s.status,
        encode(chatSessions.draft, s.draft),
        s.updatedAt.toISOString(),
      ],
    };
    const statements = [...before, session];
    if (event)
      statements.push({
        sql: INSERT_EVENT_SQL,
        args: [
          event.platform,
          event.eventId,
          s.userId,
          encode(chatEvents.response, event.response),
          new Date().toISOString(),
        ],
      });
    statements.push(...after);
    await database.write(() => database.client.batch(statements, "write"));
  },
});

export type SessionStore = ReturnType<typeof createSessionStore>;
