import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, nowIso } from "../../src/db/ids";
import { createSettingsStore } from "../../src/db/repos/settings";
import { customers, outbox, users } from "../../src/db/schema";
import { createLogger } from "../../src/lib/log";
import { createOutbox } from "../../src/notify/outbox";
import { claimStatement } from "../../src/notify/outbox-sql";
import type { Channel, OutboxMessage, OutboxRow, SendResult } from "../../src/notify/types";
import { tempDatabase } from "../helpers/app";

type Temp = Awaited<ReturnType<typeof tempDatabase>>;

/** A channel whose answers the test scripts, recording every send. */
const scriptedChannel = (answers: (row: OutboxRow, n: number) => SendResult) => {
  const sent: { id: string; at: number }[] = [];
  let n = 0;
  const channel: Channel = {
    name: "email",
    send: async (row) => {
      const result = answers(row, n++);
      sent.push({ id: row.id, at: clock.t });
      return result;
    },
  };
  return { channel, sent };
};

const clock = { t: Date.parse("2026-11-23T02:00:00Z") }; // 10:00 Shanghai
const now = () => new Date(clock.t);

const message = (over: Partial<OutboxMessage> = {}): OutboxMessage => ({
  channel: "email",
  recipientType: "user",
  recipientId: "u1",
  template: "test",
  locale: "zh-CN",
  data: { n: 1 },
  dedupeKey: `test:${newId()}:2026-11-23:email:u1`,
  ...over,
});

describe("outbox", () => {
  let t: Temp;
  const make = (channel: Channel, leaseMs = 60_000) =>
    createOutbox({
      database: t.database,
      settings: createSettingsStore(t.database),
      timeZone: "Asia/Shanghai",
      channels: [channel],
      log: createLogger("silent"),
      now,
      random: () => 0.5,
      leaseMs,
    });
  const rows = () => t.database.db.select().from(outbox);

  beforeEach(async () => {
    t = await tempDatabase();
    clock.t = Date.parse("2026-11-23T02:00:00Z");
  });
  afterEach(() => t.cleanup());

  it("stores one row for the same dedupe key enqueued twice", async () => {
    const { channel } = scriptedChannel(() => ({ ok: true }));
    const box = make(channel);
    const m = message();
    await box.enqueue([m]);
    await box.enqueue([m, { ...m, data: { n: 2 } }]);
    expect(await rows()).toHaveLength(1);
  });

  it("retries a failing send with growing backoff, then marks it dead with the error", async () => {
    const { channel, sent } = scriptedChannel(() => ({ ok: false, retryable: true, error: "451 try later" }));
    const box = make(channel);
    await box.enqueue([message()]);
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      await box.drain();
      const [r] = await rows();
      if (r.status === "dead") break;
      expect(r.status).toBe("retrying");
      const wait = Date.parse(r.notBefore) - clock.t;
      delays.push(wait);
      clock.t += wait;
    }
    const [r] = await rows();
    expect(r.status).toBe("dead");
    expect(r.error).toBe("451 try later");
    expect(r.attempts).toBe(8);
    expect(sent).toHaveLength(8);
    expect(delays).toEqual([5000, 10000, 20000, 40000, 80000, 160000, 320000]);
  });

  it("waits at least the Retry-After the channel reports", async () => {
    const { channel, sent } = scriptedChannel((_r, n) =>
      n === 0 ? { ok: false, retryable: true, retryAfterMs: 42_000, error: "429" } : { ok: true },
    );
    const box = make(channel);
    await box.enqueue([message()]);
    await box.drain();
    expect((await rows())[0].status).toBe("retrying");
    clock.t += 41_000;
    await box.drain();
    expect(sent).toHaveLength(1);
    clock.t += 1_000;
    await box.drain();
    expect(sent).toHaveLength(2);
    expect((await rows())[0].status).toBe("sent");
  });

  it("after a crash mid-send resends only the rows not marked sent", async () => {
    const { channel, sent } = scriptedChannel(() => ({ ok: true }));
    const first = make(channel);
    await first.enqueue([1, 2, 3, 4].map((n) => message({ dedupeKey: `k${n}`, recipientId: `u${n}` })));
    await first.processOnce();
    expect(sent).toHaveLength(4);
    // Two more rows are claimed, then the process dies before finishing them.
    await first.enqueue([5, 6].map((n) => message({ dedupeKey: `k${n}`, recipientId: `u${n}` })));
    await t.database.db
      .update(outbox)
      .set({ status: "sending", leaseUntil: new Date(clock.t + 60_000).toISOString(), attempts: 1 })
      .where(eq(outbox.dedupeKey, "k5"));
    const restarted = make(channel);
    await restarted.drain();
    expect(sent.map((s) => s.id)).toHaveLength(5); // k6 only: k5 is still leased
    clock.t += 61_000;
    await restarted.drain();
    expect(sent).toHaveLength(6);
    expect((await rows()).every((r) => r.status === "sent")).toBe(true);
  });

  it("holds a customer message outside 08:00-21:00 and expires it when its day ends", async () => {
    const at = nowIso();
    await t.database.db
      .insert(users)
      .values({ id: "rep", name: "R", role: "rep", createdAt: at, updatedAt: at });
    await t.database.db.insert(customers).values({
      id: "c1",
      code: "C1",
      kind: "doctor",
      name: "王医生",
      ownerId: "rep",
      emailConsent: "granted",
      createdAt: at,
      updatedAt: at,
    });
    const { channel, sent } = scriptedChannel(() => ({ ok: true }));
    const box = make(channel);
    clock.t = Date.parse("2026-11-23T14:00:00Z"); // 22:00 Shanghai
    const base = { recipientType: "customer" as const, recipientId: "c1" };
    await box.enqueue([
      // Valid until the end of the next day: held to 08:00 and sent.
      message({ ...base, dedupeKey: "held", expiresAt: new Date("2026-11-24T13:00:00Z") }),
      // Its day ends at 21:00 today: expired, never sent a day late.
      message({ ...base, dedupeKey: "late", expiresAt: new Date("2026-11-23T13:00:00Z") }),
      message({ ...base, dedupeKey: "today", expiresAt: new Date("2026-11-23T15:59:00Z") }),
    ]);
    await box.drain();
    const byKey = Object.fromEntries((await rows()).map((r) => [r.dedupeKey, r]));
    expect(byKey.late.status).toBe("expired");
    expect(byKey.today.status).toBe("expired");
    expect(byKey.held.status).toBe("pending");
    expect(byKey.held.notBefore).toBe("2026-11-24T00:00:00.000Z");
    clock.t = Date.parse("2026-11-24T00:00:00Z");
    await box.drain();
    expect(sent).toHaveLength(1);
    expect((await rows()).find((r) => r.dedupeKey === "held")?.status).toBe("sent");
  });

  it("suppresses messages to a customer without consent or erased", async () => {
    const at = nowIso();
    await t.database.db
      .insert(users)
      .values({ id: "rep", name: "R", role: "rep", createdAt: at, updatedAt: at });
    const base = { kind: "doctor" as const, ownerId: "rep", createdAt: at, updatedAt: at };
    await t.database.db.insert(customers).values([
      { ...base, id: "none", code: "A", name: "a" },
      { ...base, id: "gone", code: "B", name: "b", emailConsent: "withdrawn" },
      { ...base, id: "erased", code: "C", name: "c", emailConsent: "granted", erasedAt: at },
    ]);
    const { channel, sent } = scriptedChannel(() => ({ ok: true }));
    const box = make(channel);
    await box.enqueue(
      ["none", "gone", "erased"].map((id) =>
        message({ recipientType: "customer", recipientId: id, dedupeKey: id }),
      ),
    );
    await box.drain();
    expect(sent).toHaveLength(0);
    const reasons = Object.fromEntries(
      (await rows()).map((r) => [r.recipientId, [r.status, r.suppressedReason]]),
    );
    expect(reasons).toEqual({
      none: ["suppressed", "no_consent"],
      gone: ["suppressed", "withdrawn"],
      erased: ["suppressed", "erased"],
    });
  });

  it("paces a burst to one recipient at the channel quota and keeps the order", async () => {
    const { channel, sent } = scriptedChannel(() => ({ ok: true }));
    const wecom: Channel = { ...channel, name: "wecom" };
    const box = make(wecom);
    await box.enqueue(
      Array.from({ length: 100 }, (_, i) =>
        message({ channel: "wecom", dedupeKey: `b${String(i).padStart(3, "0")}`, data: { i } }),
      ),
    );
    const perMinute: number[] = [];
    for (let minute = 0; minute < 5; minute++) {
      const before = sent.length;
      for (let s = 0; s < 60; s += 5) {
        await box.drain();
        clock.t += 5_000;
      }
      perMinute.push(sent.length - before);
    }
    expect(perMinute).toEqual([30, 30, 30, 10, 0]);
    const iById = new Map((await rows()).map((r) => [r.id, r.data.i]));
    const order = sent.map((s) => iById.get(s.id));
    expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("in the background, a recipient's slow send holds only that recipient's later rows", async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const channel: Channel = {
      name: "email",
      send: async (row) => {
        if (row.dedupeKey === "slow-1") await held;
        order.push(row.dedupeKey);
        return { ok: true };
      },
    };
    const box = make(channel);
    box.start();
    await box.enqueue([
      message({ dedupeKey: "slow-1", recipientId: "slow" }),
      message({ dedupeKey: "slow-2", recipientId: "slow" }),
    ]);
    await box.enqueue([message({ dedupeKey: "quick-1", recipientId: "quick" })]);
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => order.includes("quick-1"));
    // quick's row went out while slow's first send still waits; slow's second waits behind it.
    expect(order).toEqual(["quick-1"]);
    const stopped = box.stop();
    release();
    await stopped;
    // stop() waited for the rows in flight, and slow's rows kept their order.
    expect(order).toEqual(["quick-1", "slow-1", "slow-2"]);
    expect((await rows()).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("holds a recipient at the hour quota once the minute quota no longer binds", async () => {
    await createSettingsStore(t.database).set(
      "outbox.pacing",
      { email: { perMinute: 5, perHour: 8 } },
      "test",
    );
    const { channel, sent } = scriptedChannel(() => ({ ok: true }));
    const box = make(channel);
    await box.enqueue(
      Array.from({ length: 12 }, (_, i) => message({ dedupeKey: `h${String(i).padStart(2, "0")}` })),
    );
    const perStep: number[] = [];
    // Minutes 0, 1 and 2, then just past the hour since the first sends, then a minute on.
    for (const step of [0, 60_000, 60_000, 58 * 60_000 + 1, 60_000]) {
      clock.t += step;
      const before = sent.length;
      await box.drain();
      perStep.push(sent.length - before);
    }
    expect(perStep).toEqual([5, 3, 0, 4, 0]);
  });

  it("claims through the claim index by channel and status, never walking what a channel sent", async () => {
    // One channel (an instance sending only Slack) is the case SQLite planned badly as an OR.
    for (const channels of [["slack"], ["slack", "email"]] as const) {
      const { sql, args } = claimStatement([...channels], now().toISOString(), "2026-11-23T02:01:00Z", 50);
      const plan = (await t.database.client.execute({ sql: `explain query plan ${sql}`, args })).rows.map(
        (r) => String(r.detail),
      );
      // The due rows and the lapsed leases (the update's own lookup of each claimed id aside):
      // never the channel alone (everything it ever sent), never the whole table.
      const searches = plan.filter((d) => /^(SEARCH|SCAN) outbox\b/.test(d) && !d.endsWith("(id=?)"));
      expect(searches).toHaveLength(2);
      for (const d of searches) expect(d).toContain("USING INDEX outbox_claim_idx (channel=? AND status=?");
    }
  });
});
