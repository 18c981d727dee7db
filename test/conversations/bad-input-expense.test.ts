import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TurnResult } from "../../src/bot/platform";
import { expenses } from "../../src/db/schema";
import { type ChatWorld, chatWorld, summaryOf, texts } from "../helpers/chat";

/**
 * Wrong answers at every step of the expense flow, in both languages, against the real
 * engine and a real libSQL file: each gets a sentence saying what was wrong, the draft
 * keeps what was already entered, and the stored expense is what the rep typed.
 */
const MONDAY_10H = Date.parse("2026-11-23T02:00:00Z"); // Monday 2026-11-23, 10:00 Shanghai
const YESTERDAY = "2026-11-22";
const TOMORROW = "2026-11-24";

describe("expense flow: bad answers at every step", () => {
  let w: ChatWorld;
  beforeEach(async () => {
    w = await chatWorld(() => new Date(MONDAY_10H));
  });
  afterEach(() => w.cleanup());

  const stored = () => w.database.db.select().from(expenses);
  const data = async (u: string) => (await w.session(u)).data;
  /** Answers the receipt question with skip when it is asked, then returns the confirm prompt. */
  const toConfirm = async (u: string, r: TurnResult) => {
    const en = u === w.ids.repEn;
    const out = r.session.step === "receipt" ? await w.say(u, en ? "skip" : "跳过") : r;
    expect(out.session.step).toBe("confirm");
    return out;
  };

  describe("the category step", () => {
    it("refuses an unknown category and shows the choices again, in both languages", async () => {
      const first = await w.say(w.ids.rep, "报销");
      expect(first.session.step).toBe("category");
      for (const bad of ["abc", "🍜🍜"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("category");
        expect(texts(r)).toContain("没看懂这句");
        expect(r.replies.at(-1)?.choices?.length).toBe(9);
      }
      await w.say(w.ids.repEn, "expense");
      const en = await w.say(w.ids.repEn, "spaceship");
      expect(texts(en)).toContain("I didn't get that");
      expect(en.replies.at(-1)?.text).toBe("Which category?");
    });
  });

  describe("the amount step", () => {
    it("refuses negative, zero, three-decimal, non-numeric and emoji amounts and keeps the category", async () => {
      await w.say(w.ids.rep, "报销 餐费");
      for (const bad of ["-50", "0", "12.345", "abc", "💰", "零"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("amount");
        expect(texts(r)).toContain(`没看懂金额「${bad}」，金额要大于 0，最多两位小数`);
      }
      expect(await data(w.ids.rep)).toMatchObject({ kind: "reimbursement", category: "meals" });
      await w.say(w.ids.rep, "¥1,234.50");
      await w.say(w.ids.rep, "昨天");
      await w.say(w.ids.rep, "发票12345678");
      const confirm = await w.say(w.ids.rep, "跳过");
      expect(summaryOf(confirm)).toMatchObject({
        类型: "报销",
        类别: "餐费",
        金额: "¥1,234.50",
        日期: YESTERDAY,
        发票号: "12345678",
      });
      await w.say(w.ids.rep, "确认");
      expect(await stored()).toMatchObject([
        {
          repId: w.ids.rep,
          kind: "reimbursement",
          category: "meals",
          amountCny: 1234.5,
          date: YESTERDAY,
          invoiceNo: "12345678",
          status: "pending",
        },
      ]);
    });

    it("refuses bad amounts in English", async () => {
      await w.say(w.ids.repEn, "expense taxi");
      for (const bad of ["-5", "12.345", "lots"]) {
        const r = await w.say(w.ids.repEn, bad);
        expect(r.session.step).toBe("amount");
        expect(texts(r)).toContain(`I couldn't read the amount “${bad}”: above 0, at most 2 decimals.`);
      }
      expect(await data(w.ids.repEn)).toMatchObject({ category: "transport" });
    });

    it("refuses a negative amount written with 元 instead of storing it as positive", async () => {
      await w.say(w.ids.rep, "报销 餐费");
      const r = await w.say(w.ids.rep, "-50元");
      expect(r.session.step).toBe("amount");
      expect(await data(w.ids.rep)).not.toHaveProperty("amountCny", 50);
    });

    it("does not read the one-line reimbursement 餐费 -320元 as ¥320", async () => {
      const r = await w.say(w.ids.rep, "报销 餐费 -320元 昨天 发票12345678");
      expect(await data(w.ids.rep)).not.toHaveProperty("amountCny", 320);
      expect(r.session.step).toBe("amount");
    });

    it("says why a one-line negative amount was refused, in English, and files nothing as description", async () => {
      const r = await w.say(w.ids.repEn, "expense taxi -85 yesterday invoice 87654321");
      expect(r.session.step).toBe("amount");
      expect(texts(r)).toContain("I couldn't read the amount “-85”");
      expect(await data(w.ids.repEn)).toMatchObject({
        category: "transport",
        date: YESTERDAY,
        invoiceNo: "87654321",
      });
      expect(await data(w.ids.repEn)).not.toHaveProperty("description");
    });

    it("asks only the amount again for a three-decimal one-line amount, says why, and files nothing as description", async () => {
      const r = await w.say(w.ids.rep, "报销 餐费 320.555元 昨天 发票12345678");
      expect(r.session.step).toBe("amount");
      expect(await data(w.ids.rep)).toMatchObject({
        category: "meals",
        date: YESTERDAY,
        invoiceNo: "12345678",
      });
      expect(texts(r)).toContain("最多两位小数");
      expect(await data(w.ids.rep)).not.toHaveProperty("description", "320.555元");
    });
  });

  describe("the date step", () => {
    it("refuses an unreadable date and keeps category and amount, in both languages", async () => {
      await w.say(w.ids.rep, "报销 餐费 320元");
      for (const bad of ["abc", "😀", "2026-02-30"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("date");
        expect(texts(r)).toContain(`没看懂日期「${bad}」`);
      }
      expect(await data(w.ids.rep)).toMatchObject({ category: "meals", amountCny: 320 });
      await w.say(w.ids.repEn, "expense taxi 30");
      const en = await w.say(w.ids.repEn, "someday");
      expect(texts(en)).toContain("I couldn't read the date “someday”.");
      expect(await data(w.ids.repEn)).toMatchObject({ category: "transport", amountCny: 30 });
    });

    it("refuses a reimbursement dated in the future (money not spent yet)", async () => {
      await w.say(w.ids.rep, "报销 餐费 320元");
      const r = await w.say(w.ids.rep, "明天");
      expect(r.session.step).toBe("date");
      expect(texts(r)).toContain("日期不能晚于今天");
      expect(await data(w.ids.rep)).not.toHaveProperty("date", TOMORROW);
      await w.say(w.ids.repEn, "expense taxi 30");
      const en = await w.say(w.ids.repEn, "tomorrow");
      expect(texts(en)).toContain("can't be dated after today");
    });

    it("lets a pre-approval be dated in the future", async () => {
      await w.say(w.ids.rep, "费用申请 会议 3000元");
      const r = await w.say(w.ids.rep, "明天");
      expect(r.session.step).not.toBe("date");
      expect(await data(w.ids.rep)).toMatchObject({ kind: "pre_approval", date: TOMORROW });
    });

    it("refuses a future reimbursement in the use case too (the API's path), naming the date field", async () => {
      const input = { repId: w.ids.rep, category: "meals" as const, amountCny: 50, date: TOMORROW };
      const refused = await w.services.expenses.create(
        { ...input, kind: "reimbursement", invoiceNo: "99990000", attendees: [], receiptIds: [] },
        { id: w.ids.rep, role: "rep", via: "api" },
      );
      expect(refused).toMatchObject({
        ok: false,
        error: { messageKey: "expense.future_date", field: "date" },
      });
      expect(await stored()).toHaveLength(0);
    });

    it("does not take a one-line reimbursement dated tomorrow as it stands", async () => {
      const r = await w.say(w.ids.rep, "报销 餐费 320元 明天 发票12345678");
      expect(r.session.step).toBe("date");
      expect(texts(r)).toContain("报销日期 2026-11-24 还没到");
      expect(await data(w.ids.rep)).toMatchObject({ amountCny: 320, invoiceNo: "12345678" });
      const confirm = r.session.step === "receipt" ? await w.say(w.ids.rep, "跳过") : r;
      if (confirm.session.step === "confirm") await w.say(w.ids.rep, "确认");
      expect((await stored()).map((e) => e.date)).not.toContain(TOMORROW);
    });
  });

  describe("invoice, attendees and receipt", () => {
    it("refuses a short invoice number and keeps the rest, in both languages", async () => {
      await w.say(w.ids.rep, "报销 餐费 320元 昨天");
      for (const bad of ["12", "发票 ab", "跳过"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("invoiceNo");
        expect(texts(r)).toContain("发票号是 6 位以上的字母或数字");
      }
      expect(await data(w.ids.rep)).toMatchObject({ category: "meals", amountCny: 320, date: YESTERDAY });
      await w.say(w.ids.repEn, "expense taxi 30 yesterday");
      const en = await w.say(w.ids.repEn, "x1");
      expect(texts(en)).toContain("An invoice number has 6 or more letters or digits.");
    });

    it("asks only the invoice again for a one-line short invoice, and does not file it as description", async () => {
      const r = await w.say(w.ids.rep, "报销 餐费 320元 昨天 发票12");
      expect(r.session.step).toBe("invoiceNo");
      expect(await data(w.ids.rep)).toMatchObject({ category: "meals", amountCny: 320, date: YESTERDAY });
      expect(await data(w.ids.rep)).not.toHaveProperty("description", "发票12");
      expect(texts(r)).toContain("「发票12」不是有效的发票号");
    });

    it("refuses empty attendees for hospitality and keeps the rest", async () => {
      await w.say(w.ids.rep, "报销 招待 600元 昨天 发票55556666");
      const r = await w.say(w.ids.rep, "，，、");
      expect(r.session.step).toBe("attendees");
      expect(texts(r)).toContain("请输入内容");
      const next = await w.say(w.ids.rep, "王主任, 李医生");
      const confirm = await toConfirm(w.ids.rep, next);
      expect(summaryOf(confirm)).toMatchObject({ 类别: "招待", 金额: "¥600.00", 参与人: "王主任、李医生" });
      await w.say(w.ids.rep, "确认");
      expect(await stored()).toMatchObject([
        { category: "hospitality", amountCny: 600, attendees: ["王主任", "李医生"], invoiceNo: "55556666" },
      ]);
    });

    it("says what was wrong when the receipt answer is neither a photo nor skip", async () => {
      await w.say(w.ids.rep, "报销 餐费 320元 昨天 发票12345678");
      const r = await w.say(w.ids.rep, "好的");
      expect(r.session.step).toBe("receipt");
      // Not just the same question twice in a row.
      const lines = r.replies.map((x) => x.text);
      expect(lines[0]).not.toBe(lines.at(-1));
      expect(lines[0]).toContain("没收到图片");
    });
  });

  describe("the confirm step", () => {
    it("says it did not understand an unreadable answer at the confirm step", async () => {
      await toConfirm(w.ids.rep, await w.say(w.ids.rep, "报销 餐费 320元 昨天 发票12345678"));
      for (const junk of ["金额 abc", "😀"]) {
        const r = await w.say(w.ids.rep, junk);
        expect(r.session.step).toBe("confirm");
        expect(texts(r)).toContain("没看懂");
        expect(summaryOf(r)).toMatchObject({ 金额: "¥320.00", 日期: YESTERDAY });
      }
    });

    it("edits the amount, refuses a bad one there, and stores the corrected expense", async () => {
      await toConfirm(w.ids.rep, await w.say(w.ids.rep, "报销 餐费 320元 昨天 发票12345678"));
      const edit = await w.say(w.ids.rep, "修改");
      expect(edit.session.step).toBe("edit");
      await w.tap(w.ids.rep, "opt:amount");
      const bad = await w.say(w.ids.rep, "0");
      expect(texts(bad)).toContain("金额要大于 0");
      expect(bad.session.step).toBe("amount");
      const confirm = await w.say(w.ids.rep, "88.5");
      expect(summaryOf(confirm)).toMatchObject({
        类别: "餐费",
        金额: "¥88.50",
        日期: YESTERDAY,
        发票号: "12345678",
        票据: "未附票据",
      });
      await w.say(w.ids.rep, "确认");
      expect(await stored()).toMatchObject([
        { category: "meals", amountCny: 88.5, date: YESTERDAY, invoiceNo: "12345678", ref: "E1" },
      ]);
    });

    it("edits the date in English and stores it", async () => {
      await toConfirm(w.ids.repEn, await w.say(w.ids.repEn, "expense taxi 85 yesterday invoice 87654321"));
      await w.say(w.ids.repEn, "edit");
      await w.tap(w.ids.repEn, "opt:date");
      const bad = await w.say(w.ids.repEn, "whenever");
      expect(texts(bad)).toContain("I couldn't read the date “whenever”.");
      const confirm = await w.say(w.ids.repEn, "Nov 20");
      expect(summaryOf(confirm)).toMatchObject({ Amount: "¥85.00", Date: "2026-11-20" });
      await w.say(w.ids.repEn, "confirm");
      expect(await stored()).toMatchObject([
        {
          repId: w.ids.repEn,
          category: "transport",
          amountCny: 85,
          date: "2026-11-20",
          invoiceNo: "87654321",
        },
      ]);
    });
  });

  describe("cancel and starting over", () => {
    it("cancels at every step in both languages and stores nothing", async () => {
      for (const line of [
        "报销",
        "报销 餐费",
        "报销 餐费 320元",
        "报销 餐费 320元 昨天",
        "报销 餐费 320元 昨天 发票12345678",
      ]) {
        await w.say(w.ids.rep, line);
        const c = await w.say(w.ids.rep, "取消");
        expect(c.session.status).toBe("cancelled");
        expect(texts(c)).toContain("已取消，未保存任何内容");
      }
      await toConfirm(w.ids.repEn, await w.say(w.ids.repEn, "expense taxi 85 yesterday invoice 87654321"));
      const en = await w.say(w.ids.repEn, "cancel");
      expect(texts(en)).toContain("Cancelled — nothing was saved.");
      expect(await stored()).toHaveLength(0);
    });

    it("starts a new expense on 报销 mid-flow and 继续 brings back the first one", async () => {
      await w.say(w.ids.rep, "报销 餐费 320元");
      const fresh = await w.say(w.ids.rep, "报销");
      expect(fresh.session).toMatchObject({ flow: "expense", step: "category" });
      await w.say(w.ids.rep, "取消");
      const resumed = await w.say(w.ids.rep, "继续");
      expect(resumed.session).toMatchObject({ flow: "expense", step: "date" });
      expect(await data(w.ids.rep)).toMatchObject({ category: "meals", amountCny: 320 });
    });

    it("refuses an over-long description and keeps the draft", async () => {
      await w.say(w.ids.rep, "报销 餐费 320元 昨天 发票12345678");
      const r = await w.say(w.ids.rep, "说".repeat(4001));
      expect(texts(r)).toContain("这条消息太长了");
      expect(await data(w.ids.rep)).toMatchObject({ amountCny: 320, invoiceNo: "12345678" });
    });
  });
});
