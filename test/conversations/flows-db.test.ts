import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Flow } from "../../src/conversations/flow";
import { expenseFlow } from "../../src/conversations/flows/expense";
import { stockFlow } from "../../src/conversations/flows/stock";
import { visitFlow } from "../../src/conversations/flows/visit";
import {
  alerts,
  approvals,
  expenses,
  sequences,
  stockLines,
  stockReports,
  users,
  visitPlans,
  visitProducts,
  visits,
} from "../../src/db/schema";
import { type ChatWorld, chatWorld, choicesOf, summaryOf, texts } from "../helpers/chat";

const MONDAY_10H = Date.parse("2026-11-23T02:00:00Z"); // Monday 2026-11-23, 10:00 Shanghai

describe("every flow end to end against the database", () => {
  const clock = { t: MONDAY_10H };
  let w: ChatWorld;
  beforeEach(async () => {
    clock.t = MONDAY_10H;
    w = await chatWorld(() => new Date(clock.t));
  });
  afterEach(() => w.cleanup());

  const rows = {
    visits: () => w.database.db.select().from(visits),
    expenses: () => w.database.db.select().from(expenses),
    reports: () => w.database.db.select().from(stockReports),
  };

  describe("visit", () => {
    it("logs a visit started from today's plan and completes the plan", async () => {
      const planId = await w.plan(w.ids.rep, w.ids.wang, "2026-11-23");
      const plan = await w.say(w.ids.rep, "计划");
      // A booked visit to a doctor is listed even though the computed plan lists accounts.
      expect(texts(plan)).toContain("王建国 · 主任 · 北京协和医院（-，已预约）");
      const button = choicesOf(plan).find((c) => c.id === `start:visit:${w.ids.wang}:${planId}`);
      expect(button).toBeDefined();
      const started = await w.tap(w.ids.rep, button!.id);
      expect(started.session).toMatchObject({ flow: "visit", step: "when" });
      expect((await w.session(w.ids.rep)).data).toMatchObject({ customerId: w.ids.wang, planId });
      const when = await w.say(w.ids.rep, "今天上午9点 评级6 推广 感冒灵");
      expect(when.session.step).toBe("confirm");
      expect(summaryOf(when)).toMatchObject({
        时间: "2026-11-23 09:00",
        评级: "6 优先使用",
        产品: "感冒灵颗粒",
      });
      const done = await w.say(w.ids.rep, "确认");
      expect(done.session.status).toBe("completed");
      const [v] = await rows.visits();
      expect(v).toMatchObject({
        customerId: w.ids.wang,
        repId: w.ids.rep,
        date: "2026-11-23",
        timeKnown: true,
        rating: 6,
        purposes: ["promotion"],
        planId,
        via: "api",
      });
      expect(await w.database.db.select().from(visitProducts)).toEqual([
        { visitId: v.id, productId: w.ids.ganmaoling },
      ]);
      const [p] = await w.database.db.select().from(visitPlans).where(eq(visitPlans.id, planId));
      expect(p).toMatchObject({ status: "completed", visitId: v.id });
    });

    it("leaves the plan open when the rep changes the customer of a visit started from it", async () => {
      const planId = await w.plan(w.ids.rep, w.ids.wang, "2026-11-23");
      await w.tap(w.ids.rep, `start:visit:${w.ids.wang}:${planId}`);
      expect((await w.say(w.ids.rep, "今天上午9点 评级6")).session.step).toBe("confirm");
      await w.tap(w.ids.rep, "edit");
      expect((await w.tap(w.ids.rep, "opt:customer")).session.step).toBe("customer");
      const confirm = await w.say(w.ids.rep, "王芳");
      expect(confirm.session.step).toBe("confirm");
      expect((await w.say(w.ids.rep, "确认")).session.status).toBe("completed");
      const [v] = await rows.visits();
      expect(v).toMatchObject({ customerId: w.ids.wang2, planId: null });
      const [p] = await w.database.db.select().from(visitPlans).where(eq(visitPlans.id, planId));
      expect(p).toMatchObject({ status: "normal", visitId: null });
    });

    it("saves a second visit from a plan already completed on its own, instead of sticking at confirm", async () => {
      const planId = await w.plan(w.ids.rep, w.ids.wang, "2026-11-23");
      for (const rating of ["评级6", "评级5"]) {
        await w.tap(w.ids.rep, `start:visit:${w.ids.wang}:${planId}`);
        expect((await w.say(w.ids.rep, `今天上午9点 ${rating}`)).session.step).toBe("confirm");
        expect((await w.say(w.ids.rep, "确认")).session.status).toBe("completed");
      }
      const saved = await rows.visits();
      expect(saved.map((v) => [v.rating, v.planId]).sort()).toEqual([
        [5, null],
        [6, planId],
      ]);
      const [p] = await w.database.db.select().from(visitPlans).where(eq(visitPlans.id, planId));
      expect(p).toMatchObject({ status: "completed", visitId: saved.find((v) => v.rating === 6)!.id });
    });

    it("asks only the missing fields, one by one, and stores the answers typed at each step", async () => {
      expect((await w.say(w.ids.rep, "拜访")).session.step).toBe("customer");
      const picked = await w.say(w.ids.rep, "王");
      // Several 王 among the rep's doctors: a choice, nothing guessed.
      expect(picked.session.step).toBe("customer");
      expect(choicesOf(picked).map((c) => c.label)).toEqual(
        expect.arrayContaining(["王建国 · 主任 · 北京协和医院", "王芳 · 主治医师 · 北京协和医院"]),
      );
      await w.tap(w.ids.rep, `c:${w.ids.wang2}`);
      const rating = await w.tap(w.ids.rep, "d:2026-11-22");
      expect(rating.session.step).toBe("rating");
      expect((await w.say(w.ids.rep, "评级9")).replies[0].text).toContain("1 到 7");
      await w.tap(w.ids.rep, "r:5");
      await w.tap(w.ids.rep, "opt:method");
      await w.tap(w.ids.rep, "m:phone");
      await w.tap(w.ids.rep, "opt:notes");
      const confirm = await w.say(w.ids.rep, "主任说下月进药会上讨论");
      expect(summaryOf(confirm)).toMatchObject({ 方式: "电话", 备注: "主任说下月进药会上讨论" });
      await w.say(w.ids.rep, "确认");
      expect(await rows.visits()).toMatchObject([
        {
          customerId: w.ids.wang2,
          date: "2026-11-22",
          rating: 5,
          method: "phone",
          notes: "主任说下月进药会上讨论",
          timeKnown: false,
        },
      ]);
    });
  });

  describe("stock", () => {
    it("shows a discrepancy at once when a distributor's count differs from purchases in and out", async () => {
      // 500 in from the company, 100 out to a pharmacy: 400 expected; 300 counted is 100 off (> 50 and > 20 %).
      await w.purchase({
        sellerId: null,
        buyerId: w.ids.distributor,
        productId: w.ids.amoxi,
        date: "2026-11-10",
        quantity: 500,
      });
      await w.purchase({
        sellerId: w.ids.distributor,
        buyerId: w.ids.store,
        productId: w.ids.amoxi,
        date: "2026-11-15",
        quantity: 100,
      });
      const confirm = await w.say(w.ids.rep, "库存 九州通 阿莫西林 300盒");
      expect(summaryOf(confirm)).toMatchObject({ 门店: "九州通医药", 库存: "阿莫西林胶囊 300" });
      const done = await w.say(w.ids.rep, "确认");
      expect(texts(done)).toContain("阿莫西林胶囊：上报 300，理论库存 400");
      const [report] = await rows.reports();
      expect(report).toMatchObject({
        customerId: w.ids.distributor,
        date: "2026-11-23",
        findings: [{ productId: w.ids.amoxi, kind: "discrepancy", reported: 300, expected: 400 }],
      });
      expect(await w.database.db.select().from(stockLines)).toMatchObject([
        { reportId: report.id, productId: w.ids.amoxi, quantity: 300 },
      ]);
      const [alert] = await w.database.db.select().from(alerts);
      expect(alert).toMatchObject({
        type: "stock_discrepancy",
        customerId: w.ids.distributor,
        closedAt: null,
      });
    });

    it("reports a stock-out when a pharmacy's carried product is counted 0", async () => {
      await w.purchase({
        sellerId: w.ids.distributor,
        buyerId: w.ids.store,
        productId: w.ids.vc,
        date: "2026-11-01",
        quantity: 40,
      });
      const first = await w.say(w.ids.repEn, "stock");
      expect(first.session.step).toBe("store");
      // The English rep owns Guardian only: 康美 is the Chinese rep's. Back to the Chinese rep.
      await w.say(w.ids.repEn, "cancel");
      await w.say(w.ids.rep, "库存");
      await w.say(w.ids.rep, "康美");
      const confirm = await w.say(w.ids.rep, "维C 0，感冒灵 12盒");
      expect(confirm.session.step).toBe("confirm");
      const done = await w.say(w.ids.rep, "确认");
      expect(texts(done)).toContain("🔴 维生素C片 断货了");
      const [report] = await rows.reports();
      expect(report.findings).toEqual([
        { productId: w.ids.vc, kind: "stock_out", reported: 0, expected: null },
      ]);
      const lines = await w.database.db.select().from(stockLines);
      expect(lines.map((l) => [l.productId, l.quantity])).toEqual([
        [w.ids.vc, 0],
        [w.ids.ganmaoling, 12],
      ]);
      const [alert] = await w.database.db.select().from(alerts);
      expect(alert).toMatchObject({ type: "stock_out", customerId: w.ids.store, repId: w.ids.rep });
    });
  });

  describe("expense", () => {
    const submit = async (userId: string, line: string) => {
      const en = userId === w.ids.repEn;
      let r = await w.say(userId, line);
      if (r.session.step === "receipt") r = await w.say(userId, en ? "skip" : "跳过");
      expect(r.session.step).toBe("confirm");
      return w.say(userId, en ? "confirm" : "确认");
    };

    it("refuses an over-budget amount when the policy blocks, asks the amount again and keeps the rest", async () => {
      await w.services.settings.set("expense.overBudget", "block", w.ids.regional);
      await w.budget(w.ids.rep, "2026-11", "meals", 1000);
      let r = await w.say(w.ids.rep, "报销 餐费 1200元 昨天 发票11112222 年终聚餐");
      r = await w.say(w.ids.rep, "跳过");
      expect(summaryOf(r)).toMatchObject({ 金额: "¥1,200.00", 本月该类预算剩余: "¥1,000.00" });
      const refused = await w.say(w.ids.rep, "确认");
      expect(texts(refused)).toContain("没有保存");
      expect(refused.session.step).toBe("amount");
      expect(await rows.expenses()).toHaveLength(0);
      const back = await w.say(w.ids.rep, "800");
      expect(back.session.step).toBe("confirm");
      expect(summaryOf(back)).toMatchObject({ 发票号: "11112222", 日期: "2026-11-22", 说明: "年终聚餐" });
      const done = await w.say(w.ids.rep, "确认");
      expect(done.session.status).toBe("completed");
      expect(await rows.expenses()).toMatchObject([
        { amountCny: 800, category: "meals", invoiceNo: "11112222", status: "pending", warnings: [] },
      ]);
    });

    it("escalates instead when the policy allows going over the budget", async () => {
      await w.budget(w.ids.rep, "2026-11", "meals", 1000);
      const done = await submit(w.ids.rep, "报销 餐费 1200元 昨天 发票11112223");
      expect(done.session.status).toBe("completed");
      const [e] = await rows.expenses();
      expect(e).toMatchObject({ amountCny: 1200, warnings: ["over_budget_escalated"] });
    });

    it("refuses a duplicate invoice and asks only for the invoice number again", async () => {
      await submit(w.ids.repEn, "expense taxi 85 yesterday invoice 87654321");
      let r = await w.say(w.ids.repEn, "expense taxi 42 today invoice 87654321");
      r = await w.say(w.ids.repEn, "skip");
      const refused = await w.say(w.ids.repEn, "confirm");
      expect(texts(refused)).toContain("Not saved");
      expect(refused.session.step).toBe("invoiceNo");
      expect(r.session.step).toBe("confirm");
      const again = await w.say(w.ids.repEn, "87654322");
      expect(summaryOf(again)).toMatchObject({ Amount: "¥42.00", Date: "2026-11-23" });
      await w.say(w.ids.repEn, "confirm");
      expect((await rows.expenses()).map((e) => [e.ref, e.amountCny, e.invoiceNo])).toEqual([
        ["E1", 85, "87654321"],
        ["E2", 42, "87654322"],
      ]);
    });

    it("asks hospitality attendees and refuses a spend above the per-head cap", async () => {
      let r = await w.say(w.ids.rep, "报销 招待 1200元 昨天 发票33334444");
      expect(r.session.step).toBe("attendees");
      r = await w.say(w.ids.rep, "王主任");
      r = await w.say(w.ids.rep, "跳过");
      const refused = await w.say(w.ids.rep, "确认");
      // 1,200 for two (the rep and one guest) is 600 a head, above the 300 cap.
      expect(texts(refused)).toContain("没有保存");
      expect(await rows.expenses()).toHaveLength(0);
      expect(["amount", "attendees"]).toContain(refused.session.step);
      r = await w.say(w.ids.rep, refused.session.step === "amount" ? "600" : "王主任, 李主任, 赵医生");
      expect(r.session.step).toBe("confirm");
      await w.say(w.ids.rep, "确认");
      const [e] = await rows.expenses();
      expect(e).toMatchObject({ category: "hospitality", status: "pending" });
      expect(e.amountCny / (e.attendees.length + 1)).toBeLessThanOrEqual(300);
    });
  });

  describe("approvals by text", () => {
    const submit = async (line: string) => {
      await w.say(w.ids.rep, line);
      await w.say(w.ids.rep, "跳过");
      const r = await w.say(w.ids.rep, "确认");
      expect(r.session.status).toBe("completed");
    };
    const levels = async (ref: string) => {
      const [e] = await w.database.db.select().from(expenses).where(eq(expenses.ref, ref));
      const list = await w.database.db
        .select()
        .from(approvals)
        .where(eq(approvals.subjectId, e.id))
        .orderBy(approvals.level);
      return { expense: e, levels: list };
    };

    it("approves with 同意E42 without a space, full-width 同意Ｅ１, and approve e42 in English", async () => {
      await submit("报销 餐费 320元 昨天 发票12345678");
      const wide = await w.say(w.ids.manager, "同意Ｅ１");
      expect(texts(wide)).toContain("已同意 E1");
      await w.database.db.update(sequences).set({ value: "41" }).where(eq(sequences.name, "expense"));
      await submit("报销 打车 66元 昨天 发票22223333");
      const e42 = await levels("E42");
      expect(e42.expense).toBeDefined();
      const tight = await w.say(w.ids.manager, "同意E42");
      expect(texts(tight)).toContain("已同意 E42");
      const after = await levels("E42");
      expect(after.levels.map((l) => [l.level, l.status, l.decidedBy])).toEqual([
        [1, "approved", w.ids.manager],
        [2, "pending", null],
      ]);
      // The next level decides in English; the reply follows that user's language after the switch.
      const second = after.levels[1].approverId;
      await w.say(second, "English");
      const en = await w.say(second, "approve e42");
      expect(texts(en)).toContain("Approved E42");
      const done = await levels("E42");
      expect(done.levels.map((l) => l.status)).toEqual(["approved", "approved"]);
      expect(done.expense.status).toBe("approved");
      // Deciding again says who already did, and changes nothing.
      const again = await w.say(w.ids.manager, "同意 E42");
      expect(texts(again)).toContain("李经理");
      expect((await levels("E1")).levels.map((l) => l.status)).toEqual(["approved", "pending"]);
    });

    it("rejects with a reason in Chinese and in English, and asks for the reason when it is missing", async () => {
      await submit("报销 餐费 320元 昨天 发票12345678");
      await submit("报销 打车 66元 昨天 发票22223333");
      const bare = await w.say(w.ids.manager, "驳回E1");
      expect(texts(bare)).toContain("请输入驳回 E1 的理由");
      expect((await levels("E1")).expense.status).toBe("pending");
      const zh = await w.say(w.ids.manager, "驳回E1 发票抬头不对");
      expect(texts(zh)).toContain("已驳回 E1：发票抬头不对");
      await w.say(w.ids.manager, "English");
      const en = await w.say(w.ids.manager, "Reject e2: no receipt attached");
      expect(texts(en)).toContain("Rejected E2: no receipt attached");
      for (const [ref, reason] of [
        ["E1", "发票抬头不对"],
        ["E2", "no receipt attached"],
      ]) {
        const { expense, levels: l } = await levels(ref);
        expect(expense.status).toBe("rejected");
        expect(l[0]).toMatchObject({ status: "rejected", reason, decidedBy: w.ids.manager });
      }
      const [manager] = await w.database.db.select().from(users).where(eq(users.id, w.ids.manager));
      expect(manager.locale).toBe("en");
    });

    it("says why a decision is refused: not yours, unknown, and your own request", async () => {
      await submit("报销 餐费 320元 昨天 发票12345678");
      expect(texts(await w.say(w.ids.repEn, "approve E1"))).toContain("E1 is not waiting for you");
      expect(texts(await w.say(w.ids.manager, "同意 E999"))).toContain("没有编号为 E999 的申请");
      const mine = await w.say(w.ids.rep, "同意E1");
      expect(texts(mine)).not.toContain("已同意");
      expect((await levels("E1")).levels[0].status).toBe("pending");
    });
  });

  describe("words that work at any step", () => {
    it("goes back, helps, switches language and cancels at several steps without losing answers", async () => {
      const u = w.ids.rep;
      await w.say(u, "拜访 王主任");
      const help = await w.say(u, "帮助");
      expect(help.session.step).toBe("when");
      expect(texts(help)).toContain("什么时候拜访的");
      await w.say(u, "昨天");
      const back = await w.say(u, "上一步");
      expect(back.session.step).toBe("when");
      expect((await w.session(u)).data).not.toHaveProperty("date", "2026-11-22");
      await w.say(u, "前天");
      const en = await w.say(u, "English");
      expect(en.session.step).toBe("rating");
      expect(texts(en)).toContain("Switched to English.");
      expect(texts(en)).toContain("usage rating (1-7)");
      const helpEn = await w.say(u, "help");
      expect(texts(helpEn)).toContain("Now: The doctor's usage rating");
      const confirm = await w.say(u, "6");
      expect(summaryOf(confirm)).toMatchObject({
        Customer: "王建国 · 主任 · 北京协和医院",
        When: "2026-11-21",
      });
      const zh = await w.say(u, "中文");
      expect(texts(zh)).toContain("已切换为中文");
      expect(summaryOf(zh)).toMatchObject({ 评级: "6 优先使用" });
      const backFromConfirm = await w.say(u, "上一步");
      expect(backFromConfirm.session.step).toBe("rating");
      await w.tap(u, "r:4");
      const cancelled = await w.say(u, "取消");
      expect(cancelled.session.status).toBe("cancelled");
      expect(texts(cancelled)).toContain("已取消");
      expect(await rows.visits()).toHaveLength(0);
      expect(texts(await w.say(u, "取消"))).toContain("当前没有进行中的操作");
      expect(texts(await w.say(u, "继续"))).toContain("没有可以继续的草稿");
    });

    it("keeps a flow as a draft when another starts, and 继续 picks it up at the same step", async () => {
      const u = w.ids.rep;
      await w.say(u, "拜访 协和 李明 昨天");
      const stock = await w.say(u, "库存");
      expect(stock.session).toMatchObject({ flow: "stock", step: "store" });
      const back = await w.say(u, "上一步");
      expect(texts(back)).toContain("已经是第一步了");
      await w.say(u, "取消");
      const resumed = await w.say(u, "继续");
      expect(texts(resumed)).toContain("继续上次的草稿");
      expect(resumed.session).toMatchObject({ flow: "visit", step: "rating" });
      expect((await w.session(u)).data).toMatchObject({ customerId: w.ids.li, date: "2026-11-22" });
      await w.say(u, "7");
      await w.say(u, "确认");
      expect(await rows.visits()).toMatchObject([{ customerId: w.ids.li, rating: 7 }]);
    });

    it("pauses a flow idle for 30 minutes, keeps its draft, and resumes it with 继续", async () => {
      const u = w.ids.rep;
      await w.say(u, "拜访 王主任 昨天 下周二复访");
      clock.t += 31 * 60_000;
      const late = await w.say(u, "6");
      expect(texts(late)).toContain("超过 30 分钟未完成，已暂停");
      expect(late.session.status).toBe("idle");
      expect(await rows.visits()).toHaveLength(0);
      const stored = await w.session(u);
      expect(stored.draft).toMatchObject({ flowId: "visit", step: "rating" });
      const resumed = await w.say(u, "继续");
      expect(resumed.session).toMatchObject({ flow: "visit", step: "rating", status: "active" });
      const confirm = await w.say(u, "6");
      expect(summaryOf(confirm)).toMatchObject({ 时间: "2026-11-22", 复访日期: "2026-12-01" });
      await w.say(u, "确认");
      expect(await rows.visits()).toMatchObject([
        { customerId: w.ids.wang, rating: 6, followUpOn: "2026-12-01" },
      ]);
    });

    it("an idle English user is told in English and resumes with continue", async () => {
      const u = w.ids.repEn;
      await w.say(u, "expense taxi 30");
      clock.t += 45 * 60_000;
      const late = await w.say(u, "yesterday");
      expect(texts(late)).toContain("idle for over 30 minutes");
      const resumed = await w.say(u, "continue");
      expect(resumed.session).toMatchObject({ flow: "expense", step: "date" });
      expect((await w.session(u)).data).toMatchObject({ category: "transport", amountCny: 30 });
    });

    it("restarts politely when the flow's definition version changed since the session began", async () => {
      const u = w.ids.rep;
      await w.say(u, "拜访 王主任 昨天");
      expect((await w.session(u)).flowVersion).toBe("1");
      const v2 = { ...visitFlow, version: visitFlow.version + 1 };
      const newer = w.otherEngine([v2, stockFlow, expenseFlow] as unknown as Flow<Record<string, unknown>>[]);
      const r = await newer.say(u, "6");
      expect(texts(r)).toContain("「拜访记录」的表单已更新，请重新开始");
      expect(r.session).toMatchObject({ flow: "visit", step: "customer", status: "active" });
      const s = await w.session(u);
      expect(s.flowVersion).toBe("2");
      // Nothing collected survives; only the new flow's own submission id is there.
      expect(s.data).toEqual({ _submission: expect.any(String) });
      // Carrying on with the new definition works.
      await newer.say(u, "王主任 昨天 评级6");
      const done = await newer.say(u, "确认");
      expect(done.session.status).toBe("completed");
      expect(await rows.visits()).toHaveLength(1);
    });

    it("answers a button from an older prompt with the current question again", async () => {
      const u = w.ids.rep;
      await w.say(u, "拜访 王主任");
      await w.tap(u, "d:2026-11-22");
      const stale = await w.tap(u, "d:2026-11-21");
      expect(texts(stale)).toContain("那个选项已过期");
      expect(stale.session.step).toBe("rating");
      expect(choicesOf(stale).map((c) => c.id)).toContain("r:7");
      expect((await w.session(u)).data).toMatchObject({ date: "2026-11-22" });
      const random = await w.tap(u, "x:nonsense");
      expect(texts(random)).toContain("那个选项已过期");
      // With nothing in progress, an old button says so and how to start.
      await w.say(u, "取消");
      const idle = await w.tap(u, "r:5");
      expect(texts(idle)).toContain("那个选项已过期");
      expect(idle.session.status).toBe("cancelled");
      expect(await rows.visits()).toHaveLength(0);
    });

    it("answers a redelivered event once", async () => {
      const first = await w.send({
        platform: "wecom",
        eventId: "dup-1",
        userId: w.ids.rep,
        text: "拜访 王主任 昨天 评级5",
      });
      const again = await w.send({
        platform: "wecom",
        eventId: "dup-1",
        userId: w.ids.rep,
        text: "拜访 王主任 昨天 评级5",
      });
      expect(again).toEqual(first);
      await w.send({ platform: "wecom", eventId: "dup-2", userId: w.ids.rep, text: "确认" });
      await w.send({ platform: "wecom", eventId: "dup-2", userId: w.ids.rep, text: "确认" });
      expect(await rows.visits()).toHaveLength(1);
      expect(
        await w.database.db
          .select()
          .from(visits)
          .where(and(eq(visits.via, "wecom"), eq(visits.customerId, w.ids.wang))),
      ).toHaveLength(1);
    });
  });
});
