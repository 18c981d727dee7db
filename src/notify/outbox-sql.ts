import type { InStatement, InValue, Row } from "@libsql/client";
import { type Column, getTableColumns } from "drizzle-orm";
import { outbox } from "../db/schema";
import type { OutboxChannel, OutboxRow } from "./types";

/**
 * The outbox's hot statements as plain SQL (each one runs per message sent, several hundred
 * a second under chat load): drizzle's builder and result mapping cost more than SQLite's
 * work here. The texts are fixed per shape, so each connection keeps them prepared.
 */

/** The table's columns from its schema: [row key, SQL name, stored as JSON]. */
const COLUMNS = Object.entries(getTableColumns(outbox) as Record<string, Column>).map(
  ([key, c]) => [key as keyof OutboxRow, c.name, c.columnType === "SQLiteTextJson"] as const,
);
/**
 * A claimed row comes back as one JSON value: a one-row claim returning the columns cost
 * 0.22-0.30 ms of CPU through the client, returning them as one JSON value 0.07 ms (measured
 * on a copy of the bench's data set; the driver hands over each value on its own).
 */
const RETURNING = `json_array(${COLUMNS.map(([, c]) => `"${c}"`).join(", ")}) as "row"`;
const JSON_COLUMNS = new Set(COLUMNS.filter(([, , json]) => json).map(([key]) => key));

const parseJson = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : (v ?? null));

/** A row as drizzle would have given it (JSON columns decoded). */
export const outboxRowOf = (r: Row): OutboxRow => {
  const values = JSON.parse(r.row as string) as unknown[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < COLUMNS.length; i++) {
    const key = COLUMNS[i][0];
    out[key] = JSON_COLUMNS.has(key) ? parseJson(values[i]) : values[i];
  }
  out.data ??= {};
  return out as unknown as OutboxRow;
};

/**
 * Claims up to `limit` due rows of these channels (or rows whose lease ran out): the due rows
 * and the lapsed leases are two searches of `outbox_claim_idx` (channel, status, not_before).
 * Written as one OR, SQLite searched that index on the channel alone when one channel was
 * asked for (an instance sending only Slack) and walked every row the channel ever sent:
 * 0.92 ms a claim at 8,400 sent Slack rows, growing for ever, against 0.03 ms. Behind a
 * backlog the due rows are still sorted (7.6 ms a claim at 22,586 queued greetings): reading
 * each channel and status in index order up to the limit avoids that, but cost 0.13 ms a
 * claim when nothing is due — the common case, once per chat turn.
 */
export const claimStatement = (
  channels: OutboxChannel[],
  now: string,
  leaseUntil: string,
  limit: number,
): { sql: string; args: InValue[] } => {
  const inChannels = `"channel" in (${channels.map(() => "?").join(", ")})`;
  return {
    sql: `update "outbox" set "status" = 'sending', "lease_until" = ?, "attempts" = "attempts" + 1
    where "id" in (select "id" from (
        select "id", "not_before" from "outbox"
          where ${inChannels} and "status" in ('pending', 'retrying') and "not_before" <= ?
        union all
        select "id", "not_before" from "outbox"
          where ${inChannels} and "status" = 'sending' and "lease_until" < ?)
      order by "not_before", "id" limit ?)
    returning ${RETURNING}`,
    args: [leaseUntil, ...channels, now, ...channels, now, limit],
  };
};

/** What finishing a row may change. */
export type OutboxFinish = Partial<
  Pick<
    OutboxRow,
    | "status"
    | "error"
    | "suppressedReason"
    | "notBefore"
    | "sentAt"
    | "providerRef"
    | "attempts"
    | "leaseUntil"
  >
>;

/** Only the claim that still holds the lease may finish the row. */
export const finishStatement = (
  row: Pick<OutboxRow, "id" | "leaseUntil">,
  set: OutboxFinish,
): InStatement => {
  const names: string[] = [];
  const args: (string | number | null)[] = [];
  for (const [key, column] of COLUMNS) {
    if (!(key in set)) continue;
    const v = set[key as keyof OutboxFinish];
    names.push(`"${column}" = ?`);
    args.push(
      v === undefined || v === null
        ? null
        : JSON_COLUMNS.has(key)
          ? JSON.stringify(v)
          : (v as string | number),
    );
  }
  return {
    sql: `update "outbox" set ${names.join(", ")} where "id" = ? and "status" = 'sending' and "lease_until" = ?`,
    args: [...args, row.id, row.leaseUntil ?? null],
  };
};

/**
 * For the pacing check: the n-th newest send to this recipient on this channel within the last
 * minute and within the last hour (null when fewer were sent). Counting in SQLite over the
 * partial index `outbox_pacing_idx` (its condition repeated literally so it applies) instead
 * of reading every send of the hour.
 */
export const pacingStatement = (
  channel: OutboxChannel,
  recipientId: string,
  now: Date,
  quota: { perMinute: number; perHour: number },
): InStatement => {
  const nth = `select "sent_at" from "outbox"
      where "channel" = ? and "recipient_id" = ? and "status" = 'sent' and "sent_at" > ?
      order by "sent_at" desc limit 1 offset ?`;
  const t = now.getTime();
  const minute = [
    channel,
    recipientId,
    new Date(t - 60_000).toISOString(),
    Math.max(0, Math.ceil(quota.perMinute) - 1),
  ];
  // A minute quota kept every minute keeps an hour quota of 60 times it (Slack's 60 and
  // 3,600): the hour's walk over every send of the hour is then skipped.
  if (quota.perHour >= 60 * quota.perMinute)
    return { sql: `select (${nth}) as "minute", null as "hour"`, args: minute };
  return {
    sql: `select (${nth}) as "minute", (${nth}) as "hour"`,
    args: [
      ...minute,
      channel,
      recipientId,
      new Date(t - 3_600_000).toISOString(),
      Math.max(0, Math.ceil(quota.perHour) - 1),
    ],
  };
};
