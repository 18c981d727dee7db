import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approvals,
  expenses,
  outbox,
  receipts,
  stockLines,
  stockReports,
  visits,
} from "../../../src/db/schema";
import { type WecomWorld, wecomWorld } from "./world";

let w: WecomWorld;
beforeAll(async () => {
  w = await wecomWorld("2026-11-23T02:00:00Z"); // Monday 10:00 Shanghai
});
afterAll(() => w.close());

describe("WeCom: a rep's day in 1:1 chat, a manager deciding by text", () => {
  it("logs a visit from one line: the summary as label：value lines, choices numbered, then 确认", async () => {
    const rep = w.contacts.rep;
    const asked = await w.talk(rep, "拜访 协和 王主任 昨天 评级6 下周二复访");
    expect(asked).toContain("客户：王建国");
    expect(asked).toContain("时间：2026-11-22");
    expect(asked).toMatch(/^1\. 确认$/m);
    expect(asked).toMatch(/^3\. 取消$/m);
    expect(asked).toMatch(/回复 1-\d+ 选择/);
    const done = await w.talk(rep, "确认");
    expect(done).toContain("已记录");
    const [v] = await w.database.db.select().from(visits);
    expect(v).toMatchObject({
      customerId: w.ids.wang,
      date: "2026-11-22",
      rating: 6,
      followUpOn: "2026-12-01",
    });
  });

  it("reports stock, confirming by the number on screen", async () => {
    const rep = w.contacts.rep;
    const asked = await w.talk(rep, "库存 康美大药房 感冒灵 24盒, 维C 10");
    expect(asked).toContain("门店：康美大药房");
    expect(await w.talk(rep, "1")).toContain("已上报");
    const [report] = await w.database.db.select().from(stockReports);
    expect(report.customerId).toBe(w.ids.store);
    const lines = await w.database.db.select().from(stockLines).where(eq(stockLines.reportId, report.id));
    expect(lines.map((l) => l.quantity).sort((a, b) => a - b)).toEqual([10, 24]);
  });

  it("submits an expense with an image as the receipt; the manager gets the request naming the replies", async () => {
    const rep = w.contacts.rep;
    expect(await w.talk(rep, "报销 餐费 320元 昨天 发票12345678")).toContain("请发送票据照片");
    const summary = await w.talk(rep, w.image());
    expect(summary).toContain("票据：已收到票据");
    expect(await w.talk(rep, "确认")).toContain("已提交 E1");
    const [e] = await w.database.db.select().from(expenses);
    expect(e).toMatchObject({ ref: "E1", amountCny: 320, status: "pending" });
    expect(e.receiptIds).toHaveLength(1);
    const [r] = await w.database.db.select().from(receipts);
    expect(r.mime).toBe("image/jpeg");
    const asked = (await w.settle(w.contacts.manager, 0)).join("\n");
    expect(asked).toContain("王小明 提交了报销 E1");
    expect(asked).toContain("回复「同意 E1」或「驳回 E1 理由」");
    // Approval buttons are not numbered: the reply is the text itself.
    expect(asked).not.toMatch(/^1\. /m);
  });

  it("the manager approves with 同意 E1 (full width, no space); the rep hears it", async () => {
    const before = w.inbox(w.contacts.rep).length;
    expect(await w.talk(w.contacts.manager, "同意ｅ１")).toContain("已同意 E1");
    const levels = await w.database.db.select().from(approvals);
    expect(levels.find((a) => a.level === 1)).toMatchObject({ status: "approved", decidedVia: "wecom" });
    const told = (await w.settle(w.contacts.rep, before)).join("\n");
    expect(told).toMatch(/E1.*(已通过|审批)/);
  });

  it("an English rep submits; the manager rejects with a reason; the rep is told in English", async () => {
    const en = w.contacts.repEn;
    expect(await w.talk(en, "expense taxi 85 yesterday invoice 87654321")).toContain("Reply 1-1 to choose");
    const summary = await w.talk(en, "skip");
    expect(summary).toMatch(/Amount：¥85\.00/);
    expect(await w.talk(en, "confirm")).toContain("E2");
    const before = w.inbox(en).length;
    expect(await w.talk(w.contacts.manager, "驳回 E2 发票抬头不对")).toContain("已驳回 E2");
    const [e2] = await w.database.db.select().from(expenses).where(eq(expenses.ref, "E2"));
    expect(e2.status).toBe("rejected");
    const told = (await w.settle(en, before)).join("\n");
    expect(told).toContain("E2");
    expect(told).toContain("发票抬头不对");
    expect(told).toMatch(/rejected/i);
  });

  it("every message went out through the outbox, none left behind", async () => {
    const rows = await w.database.db.select().from(outbox);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.channel === "wecom" && r.status === "sent")).toBe(true);
  });
});
