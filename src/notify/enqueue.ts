import type { InStatement } from "@libsql/client";
import { bulkInsert } from "../db/bulk-insert";
import type { Db, Statement } from "../db/client";
import { newId } from "../db/ids";
import { outbox } from "../db/schema";
import type { OutboxMessage } from "./types";

/**
 * The insert for one message, for use inside the batch that makes the change it reports
 * (a row first, then the send). A second enqueue of the same dedupe key is a no-op.
 */
export const enqueueStatement = (db: Db, m: OutboxMessage, now = new Date()): Statement =>
  db.insert(outbox).values(outboxRow(m, now)).onConflictDoNothing({ target: outbox.dedupeKey });

/**
 * The inserts for many messages, as plain multi-row statements for the libSQL client (a job
 * queues thousands; building one drizzle statement per message cost more than writing them).
 * Each row whose dedupe key is already queued is skipped on its own, as with `enqueueStatement`.
 * `now` is the app's clock (never the wall clock by default): a row is due from it, and the
 * outbox claims by the same clock.
 */
export const enqueueManyStatements = (messages: OutboxMessage[], now: Date): InStatement[] =>
  bulkInsert(
    outbox,
    messages.map((m) => outboxRow(m, now)),
    { ignoreConflicts: outbox.dedupeKey },
  );

const outboxRow = (m: OutboxMessage, now: Date) =>
  ({
    id: newId(),
    channel: m.channel,
    recipientType: m.recipientType,
    recipientId: m.recipientId,
    address: m.address ?? null,
    template: m.template,
    locale: m.locale,
    data: m.data,
    dedupeKey: m.dedupeKey,
    status: "pending",
    attempts: 0,
    notBefore: (m.notBefore ?? now).toISOString(),
    expiresAt: m.expiresAt ? m.expiresAt.toISOString() : null,
    createdAt: now.toISOString(),
  }) satisfies typeof outbox.$inferInsert;
