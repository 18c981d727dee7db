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

/** Rows per multi-row insert: 14 columns each stays well under SQLite's 32,766 parameters. */
const ROWS_PER_INSERT = 500;

/**
 * The inserts for many messages, a few hundred rows per statement (a job queues thousands;
 * building one statement per message cost more than writing them). Each row whose dedupe key
 * is already queued is skipped on its own, as with `enqueueStatement`.
 */
export const enqueueManyStatements = (db: Db, messages: OutboxMessage[], now = new Date()): Statement[] => {
  const out: Statement[] = [];
  for (let i = 0; i < messages.length; i += ROWS_PER_INSERT)
    out.push(
      db
        .insert(outbox)
        .values(messages.slice(i, i + ROWS_PER_INSERT).map((m) => outboxRow(m, now)))
        .onConflictDoNothing({ target: outbox.dedupeKey }),
    );
  return out;
};

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
