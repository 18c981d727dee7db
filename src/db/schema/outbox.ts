import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id } from "./columns";

export const outboxChannels = ["email", "sms", "slack", "wecom", "console"] as const;
export const outboxStatuses = [
  "pending",
  "sending",
  "sent",
  "retrying",
  "dead",
  "suppressed",
  "expired",
] as const;

/** Every message that leaves the process is a row here first (ARCHITECTURE.md rule 4). */
export const outbox = sqliteTable(
  "outbox",
  {
    id: id(),
    channel: text("channel", { enum: outboxChannels }).notNull(),
    recipientType: text("recipient_type", { enum: ["user", "customer"] }).notNull(),
    recipientId: text("recipient_id").notNull(),
    /** Platform address (Slack channel, WeCom contact, email, phone) resolved at send time. */
    address: text("address"),
    template: text("template").notNull(),
    locale: text("locale").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text("dedupe_key").notNull(),
    status: text("status", { enum: outboxStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    notBefore: text("not_before").notNull(),
    expiresAt: text("expires_at"),
    leaseUntil: text("lease_until"),
    createdAt: text("created_at").notNull(),
    sentAt: text("sent_at"),
    error: text("error"),
    suppressedReason: text("suppressed_reason"),
    /** What the platform answered (e.g. Slack channel + ts), so the message can be updated later. */
    providerRef: text("provider_ref", { mode: "json" }).$type<Record<string, string>>(),
    /** Console messages: when the user's chat client fetched it (`pending` in /api/chat). */
    readAt: text("read_at"),
  },
  (t) => [
    uniqueIndex("outbox_dedupe_uq").on(t.dedupeKey),
    index("outbox_due_idx").on(t.status, t.notBefore),
    // The worker's claim, per channel it sends: due rows of channels this process does not
    // send (e.g. e-mail on a chat-only instance) are never walked.
    index("outbox_claim_idx").on(t.channel, t.status, t.notBefore),
    // The admin list filtered by status, in id order, without sorting every row of the status.
    index("outbox_status_id_idx").on(t.status, t.id),
    // A chat client's unread console messages, read on every /api/chat turn.
    index("outbox_console_unread_idx")
      .on(t.recipientId, t.sentAt, t.id)
      .where(sql`channel = 'console' and status = 'sent' and read_at is null`),
    // The pacing check before each send: a recipient's sends of the last hour on a channel.
    index("outbox_pacing_idx").on(t.channel, t.recipientId, t.sentAt, t.status).where(sql`status = 'sent'`),
    index("outbox_recipient_idx").on(t.recipientType, t.recipientId, t.createdAt),
  ],
);
