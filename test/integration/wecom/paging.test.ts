import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, nowIso } from "../../../src/db/ids";
import { chatSessions, customers } from "../../../src/db/schema";
import { type WecomWorld, wecomWorld } from "./world";

let w: WecomWorld;
beforeAll(async () => {
  w = await wecomWorld("2026-11-23T02:00:00Z");
  const at = nowIso();
  const names = "一二三四五六七八九十".split("").concat(["甲", "乙", "丙", "丁", "戊"]);
  await w.database.db.insert(customers).values(
    names.map((n) => ({
      id: newId(),
      code: newId().slice(-8),
      name: `李${n}`,
      kind: "doctor" as const,
      parentId: w.ids.xiehe,
      ownerId: w.ids.rep,
      createdAt: at,
      updatedAt: at,
    })),
  );
});
afterAll(() => w.close());

/** The customer the rep's visit in progress is about. */
const visitCustomer = async () => {
  const [s] = await w.database.db.select().from(chatSessions).where(eq(chatSessions.userId, w.ids.rep));
  const data = (s?.state.data ?? {}) as Record<string, unknown>;
  return s?.flowId === "visit" ? String(data.customerName ?? "") : null;
};

const enqueue = (template: string, data: Record<string, unknown>, key: string) =>
  w.app.outbox.enqueue([
    {
      channel: "wecom",
      recipientType: "user",
      recipientId: w.ids.rep,
      template,
      locale: "zh-CN",
      data,
      dedupeKey: key,
    },
  ]);

describe("WeCom lists, pages and long messages", () => {
  it("pages a long list: 更多 shows the next numbers, and a number from page two still picks", async () => {
    const rep = w.contacts.rep;
    const first = await w.talk(rep, "拜访 李");
    expect(first).toMatch(/^1\. /m);
    expect(first).toMatch(/^10\. /m);
    expect(first).not.toMatch(/^11\. /m);
    expect(first).toContain("还有 5 项，回复「更多」查看。");
    const second = await w.talk(rep, "更多");
    expect(second).toMatch(/^11\. /m);
    expect(second).toMatch(/^15\. /m);
    expect(second).toContain("回复 1-15 选择");
    expect(await w.talk(rep, "more")).toContain("已经是最后一页了");
    const twelfth = /^12\. (.+)$/m.exec(second)?.[1] ?? "";
    expect(await w.talk(rep, "12")).toContain("什么时候拜访的");
    expect(await visitCustomer()).toBe(twelfth);
    expect(await w.talk(rep, "取消")).toContain("已取消");
  });

  it("splits a long message on line ends, in order, each piece under WeCom's limit", async () => {
    const before = w.inbox(w.contacts.rep).length;
    const lines = Array.from({ length: 150 }, (_, i) => `第 ${i + 1} 行：${"长".repeat(20)}`);
    await enqueue("chat_reply", { text: lines.join("\n") }, "long:1");
    const got = await w.settle(w.contacts.rep, before);
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(got.every((p) => Array.from(p).length <= 2000)).toBe(true);
    expect(got.join("\n")).toBe(lines.join("\n"));
  });

  it("a notification's list is numbered too, and a typed number picks from it", async () => {
    const before = w.inbox(w.contacts.rep).length;
    await enqueue(
      "daily_plan",
      {
        date: "2026-11-23",
        items: [{ customerId: w.ids.wang, name: "王建国", slot: "am", className: "A", reasons: ["due"] }],
      },
      "plan:1",
    );
    const plan = (await w.settle(w.contacts.rep, before)).join("\n");
    expect(plan).toMatch(/^1\. 记录 王建国$/m);
    const started = await w.talk(w.contacts.rep, "1");
    expect(started).toContain("什么时候拜访的");
    expect(await visitCustomer()).toContain("王建国");
  });
});
