import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { users } from "./users";

/** A user's identity on a chat platform (Slack user id, WeCom contact id, console). */
export const chatIdentities = sqliteTable(
  "chat_identities",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    platform: text("platform", { enum: ["slack", "wecom", "console"] }).notNull(),
    externalId: text("external_id").notNull(),
    /** Where to reach the user on that platform (Slack DM channel id). */
    address: text("address"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("chat_identities_uq").on(t.platform, t.externalId),
    index("chat_identities_user_idx").on(t.userId),
  ],
);

/** One conversation session per user, persisted so a restart resumes mid-flow. */
export const chatSessions = sqliteTable("chat_sessions", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  flowId: text("flow_id"),
  flowVersion: text("flow_version"),
  step: text("step"),
  state: text("state", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
  /** The prompt last shown (its choices), to recognise stale choices. */
  prompt: text("prompt", { mode: "json" }).$type<Record<string, unknown>>(),
  history: text("history", { mode: "json" }).$type<string[]>().notNull().default([]),
  status: text("status", { enum: ["active", "completed", "cancelled", "idle"] })
    .notNull()
    .default("idle"),
  /** A flow that timed out keeps its draft for `continue/继续`. */
  draft: text("draft", { mode: "json" }).$type<Record<string, unknown>>(),
  updatedAt: text("updated_at").notNull(),
});

/** Inbound event ids already handled, with the answer given, so a redelivery is answered once. */
export const chatEvents = sqliteTable(
  "chat_events",
  {
    platform: text("platform").notNull(),
    eventId: text("event_id").notNull(),
    userId: text("user_id"),
    response: text("response", { mode: "json" }).$type<unknown>(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("chat_events_uq").on(t.platform, t.eventId)],
);

/** Messages posted on a platform that may need updating later (approval cards). */
export const chatCards = sqliteTable(
  "chat_cards",
  {
    id: id(),
    platform: text("platform").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    address: text("address").notNull(),
    messageRef: text("message_ref").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("chat_cards_subject_idx").on(t.subjectType, t.subjectId)],
);
