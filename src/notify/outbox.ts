import type { InStatement } from "@libsql/client";
import type { Logger } from "pino";
import type { Database } from "../db/client";
import type { SettingsStore } from "../db/repos/settings";
import { CARE_GREETING } from "./customer-templates";
import { enqueueManyStatements } from "./enqueue";
import { claimStatement, finishStatement, outboxRowOf, pacingStatement } from "./outbox-sql";
import { backoffMs, nextSendableAt, pacingDelayMs } from "./policy";
import type { Channel, OutboxChannel, OutboxMessage, OutboxRow, SendResult } from "./types";

export interface OutboxOptions {
  database: Database;
  settings: SettingsStore;
  timeZone: string;
  channels: Channel[];
  log: Logger;
  now?: () => Date;
  random?: () => number;
  /** A claimed row not finished within this is considered lost (crash) and retried. */
  leaseMs?: number;
  batchSize?: number;
  pollMs?: number;
}

type Outcome = Partial<
  Pick<OutboxRow, "status" | "error" | "suppressedReason" | "notBefore" | "sentAt" | "providerRef">
> & {
  release?: boolean;
};

/**
 * The durable queue (ARCHITECTURE.md rule 4). States:
 * pending → sending → sent | retrying (→ sending …) | dead | suppressed | expired.
 * A row is claimed with one conditional UPDATE, so two workers (or processes) never
 * send the same row at once; a crash leaves it `sending` until its lease ends, then it
 * is retried — delivery is at least once, and each send carries the outbox id.
 */
export const createOutbox = (opts: OutboxOptions) => {
  const { database, settings, log } = opts;
  const now = opts.now ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? 60_000;
  const batchSize = opts.batchSize ?? 50;
  const channels = new Map<OutboxChannel, Channel>(opts.channels.map((c) => [c.name, c]));
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;

  const enqueue = async (messages: OutboxMessage[]) => {
    if (messages.length === 0) return;
    const at = now();
    await database.write(() => database.client.batch(enqueueManyStatements(messages, at), "write"));
    kick();
  };

  const claim = async (limit: number): Promise<OutboxRow[]> => {
    const names = [...channels.keys()];
    if (names.length === 0) return [];
    const t = now();
    const lease = new Date(t.getTime() + leaseMs).toISOString();
    const { rows } = await database.write(() =>
      database.client.execute(claimStatement(names, t.toISOString(), lease, limit)),
    );
    return rows.map(outboxRowOf);
  };

  /** Consent, erasure and quiet hours for messages to customers, checked at send time. */
  const customerGate = async (row: OutboxRow, at: Date): Promise<Outcome | null> => {
    if (row.recipientType !== "customer") return null;
    // The rep's 不发 suppresses a queued greeting itself; this catches one the job queued from
    // what it read just before the rep tapped (null date: not a greeting, never skipped).
    const date = row.template === CARE_GREETING && typeof row.data.date === "string" ? row.data.date : null;
    const { rows } = await database.client.execute({
      sql: `select "erased_at", "sms_consent", "email_consent", "timezone",
              exists (select 1 from "care_skips" where "customer_id" = "customers"."id" and "date" = ?) as "skipped"
            from "customers" where "id" = ?`,
      args: [date, row.recipientId],
    });
    const found = rows[0];
    if (!found || found.erased_at) return { status: "suppressed", suppressedReason: "erased" };
    if (found.skipped) return { status: "suppressed", suppressedReason: "skipped_by_rep" };
    const c = {
      smsConsent: found.sms_consent as string | null,
      emailConsent: found.email_consent as string | null,
      timezone: found.timezone as string | null,
    };
    if (row.channel === "sms" || row.channel === "email") {
      const state = row.channel === "sms" ? c.smsConsent : c.emailConsent;
      if (state !== "granted")
        return { status: "suppressed", suppressedReason: state === "withdrawn" ? "withdrawn" : "no_consent" };
    }
    const next = nextSendableAt(at, c.timezone ?? opts.timeZone, await settings.get("care.window"));
    if (next.getTime() <= at.getTime()) return null;
    if (row.expiresAt && next.toISOString() >= row.expiresAt) return { status: "expired" };
    return { release: true, notBefore: next.toISOString() };
  };

  const pacingGate = async (row: OutboxRow, at: Date): Promise<Outcome | null> => {
    const quota = (await settings.get("outbox.pacing"))[row.channel];
    if (!quota) return null;
    const { rows } = await database.client.execute(pacingStatement(row.channel, row.recipientId, at, quota));
    const nth = (v: unknown) => (typeof v === "string" ? new Date(v) : null);
    const wait = pacingDelayMs({ minute: nth(rows[0]?.minute), hour: nth(rows[0]?.hour) }, at);
    return wait > 0 ? { release: true, notBefore: new Date(at.getTime() + wait).toISOString() } : null;
  };

  const afterSend = async (row: OutboxRow, result: SendResult, at: Date): Promise<Outcome> => {
    if (result.ok)
      return {
        status: "sent",
        sentAt: at.toISOString(),
        providerRef: result.providerRef ?? null,
        error: null,
      };
    if (result.invalidAddress)
      return { status: "suppressed", suppressedReason: "invalid_address", error: result.error };
    const max = await settings.get("outbox.maxAttempts");
    if (!result.retryable || row.attempts >= max) return { status: "dead", error: result.error };
    const delay = Math.max(backoffMs(row.attempts, opts.random), result.retryAfterMs ?? 0);
    return {
      status: "retrying",
      error: result.error,
      notBefore: new Date(at.getTime() + delay).toISOString(),
    };
  };

  /**
   * Finished rows are written together: while one write waits for the lock or runs, the rows
   * finished meanwhile queue up and go in the next single transaction (one commit for many
   * sends under load, one for one when quiet).
   */
  let finishing: { statement: InStatement; done: () => void; failed: (e: unknown) => void }[] = [];
  let flushing = false;
  const flushFinishes = async () => {
    flushing = true;
    while (finishing.length > 0) {
      const items = finishing;
      finishing = [];
      try {
        await database.write(() =>
          database.client.batch(
            items.map((i) => i.statement),
            "write",
          ),
        );
        for (const i of items) i.done();
      } catch {
        // One bad statement must not cost the others their finish: each on its own.
        for (const i of items)
          await database.write(() => database.client.execute(i.statement)).then(i.done, i.failed);
      }
    }
    flushing = false;
  };

  const finish = (row: OutboxRow, o: Outcome) => {
    const { release, ...fields } = o;
    const set = release
      ? { ...fields, status: "pending" as const, attempts: row.attempts - 1, leaseUntil: null }
      : { ...fields, leaseUntil: null };
    return new Promise<void>((done, failed) => {
      finishing.push({ statement: finishStatement(row, set), done, failed });
      if (!flushing) void flushFinishes();
    });
  };

  const processRow = async (row: OutboxRow) => {
    const at = now();
    if (row.expiresAt && at.toISOString() >= row.expiresAt) return finish(row, { status: "expired" });
    const gated = (await customerGate(row, at)) ?? (await pacingGate(row, at));
    if (gated) return finish(row, gated);
    let result: SendResult;
    try {
      result = await channels.get(row.channel)!.send(row);
    } catch (e) {
      result = { ok: false, retryable: true, error: e instanceof Error ? e.message : String(e) };
    }
    if (!result.ok)
      log.warn(
        { outboxId: row.id, channel: row.channel, error: result.error, attempt: row.attempts },
        "send failed",
      );
    await finish(row, await afterSend(row, result, now()));
  };

  /**
   * Rows in flight, chained per recipient: a recipient's rows go out in claim order while
   * other recipients' rows pass them (one paced DM must not hold up everyone's replies).
   */
  const tails = new Map<string, Promise<void>>();
  let inFlight = 0;
  /** The background loop stopped claiming because `batchSize` rows were in flight. */
  let full = false;

  const dispatch = (rows: OutboxRow[]): Promise<void>[] =>
    rows.map((r) => {
      const key = `${r.channel}:${r.recipientId}`;
      inFlight++;
      const done = (tails.get(key) ?? Promise.resolve())
        .then(() => processRow(r))
        .catch((e) => log.error({ err: e, outboxId: r.id }, "outbox row failed"))
        .finally(() => {
          inFlight--;
          if (tails.get(key) === done) tails.delete(key);
          if (full && inFlight < batchSize) {
            full = false;
            kick();
          }
        });
      tails.set(key, done);
      return done;
    });

  /** One round: claim a batch and wait until each of its rows is finished. */
  const processOnce = async (): Promise<number> => {
    const rows = await claim(batchSize);
    await Promise.all(dispatch(rows));
    return rows.length;
  };

  /** Until nothing is due now (tests, `npm run job`). */
  const drain = async () => {
    while ((await processOnce()) > 0) {}
  };

  /**
   * The background loop claims while it has room and does not wait for the rows it hands
   * out: a row waiting out a recipient's pacing (or a slow provider) holds only its own
   * recipient's later rows. At most `batchSize` rows are in flight, so none outlives its lease.
   */
  let claiming: Promise<void> | null = null;
  let kicked = false;
  const tick = () => {
    timer = null;
    if (stopped || claiming) return;
    const room = batchSize - inFlight;
    if (room <= 0) {
      full = true;
      return;
    }
    kicked = false;
    claiming = claim(room)
      .then(
        (rows) => {
          dispatch(rows);
          return rows.length === room;
        },
        (e) => {
          log.error({ err: e }, "outbox round failed");
          return false;
        },
      )
      .then((more) => {
        claiming = null;
        if (stopped) return;
        timer = setTimeout(tick, more || kicked ? 0 : (opts.pollMs ?? 500));
      });
  };

  /** Something was enqueued: look now rather than at the next poll. */
  const kick = () => {
    if (stopped) return;
    if (claiming) {
      kicked = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, 0);
  };

  return {
    enqueue,
    processOnce,
    drain,
    kick,
    start: () => {
      stopped = false;
      kick();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await claiming;
      while (tails.size > 0) await Promise.all(tails.values());
    },
  };
};

export type Outbox = ReturnType<typeof createOutbox>;
