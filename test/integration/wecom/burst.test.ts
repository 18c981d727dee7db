import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../../src/db/schema";
import { type WecomWorld, wecomWorld } from "./world";

let w: WecomWorld;
beforeAll(async () => {
  w = await wecomWorld("2026-11-23T02:00:00Z");
});
afterAll(() => w.close());

describe("WeCom quota: 30 messages a minute per member", () => {
  it("100 messages in a burst: never more than 30 in any minute, all 100 delivered in order", async () => {
    const rep = w.contacts.rep;
    const start = w.inbox(rep).length;
    await w.app.outbox.enqueue(
      Array.from({ length: 100 }, (_, i) => ({
        channel: "wecom" as const,
        recipientType: "user" as const,
        recipientId: w.ids.rep,
        template: "chat_reply",
        locale: "zh-CN",
        data: { text: `消息 ${i + 1}` },
        dedupeKey: `burst:${i + 1}:wecom:${w.ids.rep}`,
      })),
    );
    const perMinute: number[] = [];
    for (let minute = 0; minute < 6 && w.inbox(rep).length - start < 100; minute++) {
      const before = w.inbox(rep).length;
      await w.app.outbox.drain();
      await w.settle(rep, before, 30);
      perMinute.push(w.inbox(rep).length - before);
      w.clock.t += 60_000;
    }
    expect(perMinute).toEqual([30, 30, 30, 10]);
    expect(w.inbox(rep).slice(start)).toEqual(Array.from({ length: 100 }, (_, i) => `消息 ${i + 1}`));
    const sent = await w.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.recipientId, w.ids.rep), eq(outbox.status, "sent")));
    expect(sent).toHaveLength(100);
    // No failed attempts were spent on pacing: a paced row is put back, not retried.
    expect(sent.every((r) => r.attempts === 1)).toBe(true);
  });
});
