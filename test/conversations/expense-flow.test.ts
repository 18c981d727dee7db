import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, nowIso } from "../../src/db/ids";
import { approvals, budgets, expenses } from "../../src/db/schema";
import { chatWorld, texts } from "../helpers/chat";

const clock = { t: Date.parse("2026-11-23T02:00:00Z") }; // Monday 10:00 Shanghai

describe("expense flow and approvals by text", () => {
  let w: Awaited<ReturnType<typeof chatWorld>>;
  beforeEach(async () => {
    clock.t = Date.parse("2026-11-23T02:00:00Z");
    w = await chatWorld(() => new Date(clock.t));
    const at = nowIso();
    await w.database.db.insert(budgets).values([
      {
        id: newId(),
        repId: w.ids.rep,
        month: "2026-11",
        category: "meals",
        amountCny: 1000,
        createdAt: at,
        updatedAt: at,
      },
      {
        id: newId(),
        repId: w.ids.repEn,
        month: "2026-11",
        category: "transport",
        amountCny: 500,
        createdAt: at,
        updatedAt: at,
      },
    ]);
  });
  afterEach(() => w.cleanup());

  const submit = async (userId: string, line: string) => {
    const first = await w.say(userId, line);
    let r = first;
    // The receipt question is answered with "skip" when no image is at hand.
    if (r.session.step === "receipt") r = await w.say(userId, userId === w.ids.repEn ? "skip" : "跳过");
    expect(r.session.step).toBe("confirm");
    return w.say(userId, userId === w.ids.repEn ? "confirm" : "确认");
  };

  it("submits a reimbursement from one line, then the manager approves with 同意E1 (no space)", async () => {
    const done = await submit(w.ids.rep, "报销 餐费 320元 昨天 发票12345678");
    expect(texts(done)).toContain("E1");
    expect(texts(done)).toContain("李经理");
    const [e] = await w.database.db.select().from(expenses);
    expect(e).toMatchObject({
      ref: "E1",
      category: "meals",
      amountCny: 320,
      date: "2026-11-22",
      invoiceNo: "12345678",
      status: "pending",
    });
    const listed = await w.say(w.ids.manager, "审批");
    expect(texts(listed)).toContain("E1");
    const approved = await w.say(w.ids.manager, "同意E1");
    expect(texts(approved)).toContain("已同意 E1");
    const levels = await w.database.db.select().from(approvals).where(eq(approvals.subjectId, e.id));
    expect(levels.map((l) => [l.level, l.status, l.decidedVia])).toEqual([
      [1, "approved", "api"],
      [2, "pending", null],
    ]);
    const again = await w.say(w.ids.manager, "同意 E1");
    expect(texts(again)).toMatch(/李经理/);
  });

  it("rejects in English with a reason; without one it asks for the reason and decides nothing", async () => {
    await submit(w.ids.repEn, "expense taxi 85 yesterday invoice 87654321");
    const noReason = await w.say(w.ids.manager, "reject E1");
    expect(texts(noReason)).toContain("请输入驳回 E1 的理由");
    expect((await w.database.db.select().from(expenses))[0].status).toBe("pending");
    const rejected = await w.say(w.ids.manager, "REJECT e1 wrong invoice title");
    expect(texts(rejected)).toContain("已驳回 E1");
    const [e] = await w.database.db.select().from(expenses);
    expect(e.status).toBe("rejected");
  });

  it("refuses the same invoice number again and keeps the rest of the draft", async () => {
    await submit(w.ids.rep, "报销 餐费 100元 昨天 发票12345678");
    await w.say(w.ids.rep, "报销 餐费 200元 今天 发票12345678");
    const r = await w.say(w.ids.rep, "跳过");
    const refused = await w.say(w.ids.rep, "确认");
    expect(texts(refused)).toContain("已被使用");
    expect(refused.session.step).toBe("invoiceNo");
    await w.say(w.ids.rep, "99990000");
    const saved = await w.say(w.ids.rep, "确认");
    expect(saved.session.status).toBe("completed");
    expect(r.session.step).toBe("confirm");
    const rows = await w.database.db.select().from(expenses);
    expect(rows.map((x) => [x.amountCny, x.invoiceNo])).toEqual([
      [100, "12345678"],
      [200, "99990000"],
    ]);
  });

  it("asks hospitality attendees and shows the remaining budget before confirming", async () => {
    const first = await w.say(w.ids.rep, "报销 招待 600元 昨天 发票55556666");
    expect(first.session.step).toBe("attendees");
    const next = await w.say(w.ids.rep, "王主任, 李医生");
    expect(next.session.step).toBe("receipt");
    const confirm = await w.say(w.ids.rep, "跳过");
    expect(confirm.replies[0].summary?.find((s) => s.label === "参与人")?.value).toBe("王主任、李医生");
  });

  it("takes an approval decision only from the approver's own token, not an admin trying flows", async () => {
    await submit(w.ids.rep, "报销 餐费 320元 昨天 发票12345678");
    const r = await w.send({
      platform: "api",
      userId: w.ids.manager,
      text: "同意 E1",
      impersonatedBy: "admin",
    });
    expect(texts(r)).toContain("审批只能由审批人本人操作");
    const [e] = await w.database.db.select().from(approvals).where(eq(approvals.level, 1));
    expect(e.status).toBe("pending");
  });
});
