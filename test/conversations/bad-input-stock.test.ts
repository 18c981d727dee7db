import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TurnResult } from "../../src/bot/platform";
import { stockLines, stockReports } from "../../src/db/schema";
import { type ChatWorld, chatWorld, summaryOf, texts } from "../helpers/chat";

/**
 * Wrong answers at every step of the stock report, in both languages, against the real
 * engine and a real libSQL file: each gets a sentence saying what was wrong, the draft
 * keeps what was already entered, and the stored report is what the rep counted.
 */
const MONDAY_10H = Date.parse("2026-11-23T02:00:00Z"); // Monday 2026-11-23, 10:00 Shanghai
const TODAY = "2026-11-23";
const YESTERDAY = "2026-11-22";

/** Everything the bot said in a turn, summaries included. */
const everything = (r: TurnResult) =>
  r.replies
    .map((x) => [x.text, ...(x.summary ?? []).map((s) => `${s.label}: ${s.value}`)].join("\n"))
    .join("\n");

describe("stock flow: bad answers at every step", () => {
  let w: ChatWorld;
  beforeEach(async () => {
    w = await chatWorld(() => new Date(MONDAY_10H));
  });
  afterEach(() => w.cleanup());

  const reports = () => w.database.db.select().from(stockReports);
  const lines = async () =>
    (await w.database.db.select().from(stockLines)).map((l) => [l.productId, l.quantity]);
  const data = async (u: string) => (await w.session(u)).data;

  describe("the store step", () => {
    it("says which store was not found, and does not offer a doctor as a store", async () => {
      await w.say(w.ids.rep, "库存");
      for (const bad of ["张三药店", "🏪", "王主任"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("store");
        expect(texts(r)).toContain(`你负责的门店里没有「${bad}」`);
        expect(texts(r)).toContain("哪家门店/商业公司的库存");
      }
      await w.say(w.ids.repEn, "stock");
      // 康美 is the Chinese rep's store, not this rep's.
      const en = await w.say(w.ids.repEn, "康美");
      expect(en.session.step).toBe("store");
      expect(texts(en)).toContain("None of your stores matches “康美”");
      expect(await reports()).toHaveLength(0);
    });

    it("keeps the counts of a one-line report with an unknown store and asks only the store", async () => {
      const r = await w.say(w.ids.rep, "库存 张三药店 感冒灵 24盒 维C 10");
      expect(r.session.step).toBe("store");
      expect(texts(r)).toContain("你负责的门店里没有「张三药店」");
      const confirm = await w.say(w.ids.rep, "康美");
      expect(summaryOf(confirm)).toMatchObject({
        门店: "康美大药房",
        库存: "感冒灵颗粒 24，维生素C片 10",
        日期: TODAY,
      });
      await w.say(w.ids.rep, "确认");
      expect(await reports()).toMatchObject([{ customerId: w.ids.store, repId: w.ids.rep, date: TODAY }]);
      expect(await lines()).toEqual([
        [w.ids.ganmaoling, 24],
        [w.ids.vc, 10],
      ]);
    });
  });

  describe("the counts step", () => {
    it("refuses a line with no count, an unknown product and a fractional count, naming each", async () => {
      await w.say(w.ids.rep, "库存 康美");
      const noCount = await w.say(w.ids.rep, "感冒灵");
      expect(noCount.session.step).toBe("lines");
      expect(texts(noCount)).toContain("「感冒灵」缺少数量");
      const unknown = await w.say(w.ids.rep, "布洛芬 10");
      expect(unknown.session.step).toBe("lines");
      expect(texts(unknown)).toContain("「布洛芬 10」不是已知产品");
      const fraction = await w.say(w.ids.rep, "感冒灵 2.5盒");
      expect(fraction.session.step).toBe("lines");
      expect(texts(fraction)).toContain("感冒灵 2.5盒");
      const emoji = await w.say(w.ids.rep, "📦📦");
      expect(emoji.session.step).toBe("lines");
      expect(texts(emoji)).toMatch(/没有识别到产品和数量|没看懂/);
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.store });
      const confirm = await w.say(w.ids.rep, "感冒灵 12盒");
      expect(summaryOf(confirm)).toMatchObject({ 门店: "康美大药房", 库存: "感冒灵颗粒 12" });
    });

    it("does not claim 'the rest is noted' when nothing at all was read", async () => {
      await w.say(w.ids.rep, "库存 康美");
      const r = await w.say(w.ids.rep, "布洛芬 10");
      expect(r.session.step).toBe("lines");
      expect(await data(w.ids.rep)).not.toHaveProperty("lines");
      expect(texts(r)).not.toContain("其余已记下");
      await w.say(w.ids.repEn, "stock Guardian");
      const en = await w.say(w.ids.repEn, "Aspirin 5");
      expect(texts(en)).not.toContain("The rest is noted");
    });

    it("answers bad counts in English", async () => {
      await w.say(w.ids.repEn, "stock Guardian");
      const r = await w.say(w.ids.repEn, "Ganmaoling");
      expect(r.session.step).toBe("lines");
      expect(texts(r)).toContain("“Ganmaoling” has no count");
      const unknown = await w.say(w.ids.repEn, "Aspirin 5");
      expect(texts(unknown)).toContain("“Aspirin 5” is not a known product");
    });

    it("refuses a negative count instead of storing it as a positive one", async () => {
      await w.say(w.ids.rep, "库存 康美");
      const r = await w.say(w.ids.rep, "感冒灵 -5盒");
      const atConfirm = r.session.step === "confirm";
      if (atConfirm) await w.say(w.ids.rep, "确认");
      // What a confirm stores: a count of 5 the rep never typed.
      expect(await lines()).not.toContainEqual([w.ids.ganmaoling, 5]);
      expect(atConfirm).toBe(false);
      expect(texts(r)).toContain("「感冒灵 -5盒」的数量不能是负数");
    });

    it("refuses a negative count in an English one-line report", async () => {
      const r = await w.say(w.ids.repEn, "stock Guardian Ganmaoling -3 boxes");
      expect(summaryOf(r).Counts ?? "").not.toBe("Ganmaoling 3");
      expect(r.session.step).toBe("lines");
    });

    it("tells the rep which parts of a partly readable count were left out before saving", async () => {
      await w.say(w.ids.rep, "库存 康美");
      const r = await w.say(w.ids.rep, "感冒灵 24盒, 维C, 布洛芬 10");
      // 感冒灵 is kept; 维C (no count) and 布洛芬 (unknown) must be pointed out, not dropped silently.
      expect(await data(w.ids.rep)).toMatchObject({ lines: [{ productId: w.ids.ganmaoling, quantity: 24 }] });
      expect(everything(r)).toContain("维C");
      expect(everything(r)).toContain("布洛芬");
      // Said before the confirm prompt, once.
      expect(r.session.step).toBe("confirm");
      expect(texts(r)).toContain("未记入：「维C」缺少数量；「布洛芬 10」不是已知产品");
      const again = await w.say(w.ids.rep, "维C 10");
      expect(texts(again)).not.toContain("未记入");
      expect(summaryOf(again).库存).toBe("感冒灵颗粒 24，维生素C片 10");
    });

    it("tells an English rep which part of a one-line report was left out", async () => {
      const r = await w.say(w.ids.repEn, "stock Guardian Ganmaoling 24 boxes, Vitamin C ten, Aspirin 5");
      expect(summaryOf(r)).toMatchObject({ Store: "Guardian Pharmacy" });
      expect(everything(r)).toContain("Aspirin");
    });
  });

  describe("the date", () => {
    it("says a count cannot be dated in the future (not that the date was unreadable)", async () => {
      await w.say(w.ids.rep, "库存 康美 感冒灵 24盒");
      await w.tap(w.ids.rep, "opt:date");
      const future = await w.say(w.ids.rep, "明天");
      expect(future.session.step).toBe("date");
      expect(texts(future)).not.toContain("没看懂日期「明天」");
      expect(texts(future)).toMatch(/不能晚于今天|未来/);
    });

    it("refuses an unreadable count date and keeps store and counts", async () => {
      await w.say(w.ids.rep, "库存 康美 感冒灵 24盒");
      await w.tap(w.ids.rep, "opt:date");
      for (const bad of ["abc", "😀", "2026-02-30"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("date");
        expect(texts(r)).toContain(`没看懂日期「${bad}」`);
      }
      const confirm = await w.say(w.ids.rep, "昨天");
      expect(summaryOf(confirm)).toMatchObject({
        门店: "康美大药房",
        库存: "感冒灵颗粒 24",
        日期: YESTERDAY,
      });
      await w.say(w.ids.rep, "确认");
      expect(await reports()).toMatchObject([{ customerId: w.ids.store, date: YESTERDAY }]);
      expect(await lines()).toEqual([[w.ids.ganmaoling, 24]]);
    });

    it("does not silently date a one-line count 'tomorrow' as today", async () => {
      const r = await w.say(w.ids.rep, "库存 康美 感冒灵 24盒 明天");
      // Either the date is asked again with the reason, or the line is refused: never today unasked.
      const silentlyToday = r.session.step === "confirm" && summaryOf(r).日期 === TODAY;
      expect(silentlyToday).toBe(false);
      expect(texts(r)).toContain("盘点日期不能晚于今天");
      const confirm = await w.say(w.ids.rep, "昨天");
      expect(summaryOf(confirm)).toMatchObject({ 库存: "感冒灵颗粒 24", 日期: YESTERDAY });
    });
  });

  describe("the confirm step", () => {
    it("says it did not understand an unreadable line typed at the confirm step", async () => {
      await w.say(w.ids.rep, "库存 康美 感冒灵 24盒");
      for (const junk of ["感冒灵 abc", "布洛芬 10", "😀"]) {
        const r = await w.say(w.ids.rep, junk);
        expect(r.session.step).toBe("confirm");
        expect(texts(r)).toMatch(/没看懂|不是已知产品|缺少数量/);
        expect(summaryOf(r)).toMatchObject({ 库存: "感冒灵颗粒 24" });
      }
    });

    it("adds a product typed at the confirm step instead of dropping the counts already entered", async () => {
      await w.say(w.ids.rep, "库存 康美 感冒灵 24盒");
      const r = await w.say(w.ids.rep, "维C 10");
      expect(r.session.step).toBe("confirm");
      // The confirm step "adds what it names" (flow-runner): 感冒灵 24 must still be there.
      expect(summaryOf(r).库存).toContain("感冒灵颗粒 24");
      expect(summaryOf(r).库存).toContain("维生素C片 10");
    });

    it("edits the counts, refuses a bad one there, and stores the corrected report", async () => {
      await w.say(w.ids.rep, "库存 九州通 阿莫西林 300盒");
      const edit = await w.say(w.ids.rep, "修改");
      expect(edit.session.step).toBe("edit");
      await w.tap(w.ids.rep, "opt:lines");
      const bad = await w.say(w.ids.rep, "阿莫西林");
      expect(texts(bad)).toContain("缺少数量");
      expect(bad.session.step).toBe("lines");
      const confirm = await w.say(w.ids.rep, "阿莫西林 280盒, 感冒灵 5");
      expect(confirm.session.step).toBe("confirm");
      expect(summaryOf(confirm)).toMatchObject({
        门店: "九州通医药",
        库存: "阿莫西林胶囊 280，感冒灵颗粒 5",
      });
      await w.say(w.ids.rep, "确认");
      expect(await reports()).toMatchObject([{ customerId: w.ids.distributor, date: TODAY }]);
      expect(await lines()).toEqual([
        [w.ids.amoxi, 280],
        [w.ids.ganmaoling, 5],
      ]);
    });

    it("edits the store in English and keeps the counts", async () => {
      await w.say(w.ids.repEn, "stock Guardian Vitamin C 7");
      await w.say(w.ids.repEn, "edit");
      await w.tap(w.ids.repEn, "opt:store");
      const bad = await w.say(w.ids.repEn, "Nowhere Mart");
      expect(texts(bad)).toContain("None of your stores matches “Nowhere Mart”");
      const confirm = await w.say(w.ids.repEn, "Guardian");
      expect(summaryOf(confirm)).toMatchObject({ Store: "Guardian Pharmacy", Counts: "Vitamin C 7" });
      await w.say(w.ids.repEn, "confirm");
      expect(await reports()).toMatchObject([{ customerId: w.ids.guardian, repId: w.ids.repEn }]);
      expect(await lines()).toEqual([[w.ids.vc, 7]]);
    });
  });

  describe("cancel and starting over", () => {
    it("cancels at every step in both languages and stores nothing", async () => {
      for (const [line, step] of [
        ["库存", "store"],
        ["库存 康美", "lines"],
        ["库存 康美 感冒灵 3盒", "confirm"],
      ] as const) {
        expect((await w.say(w.ids.rep, line)).session.step).toBe(step);
        const c = await w.say(w.ids.rep, "取消");
        expect(c.session.status).toBe("cancelled");
        expect(texts(c)).toContain("已取消，未保存任何内容");
      }
      await w.say(w.ids.repEn, "stock Guardian");
      const en = await w.say(w.ids.repEn, "cancel");
      expect(texts(en)).toContain("Cancelled — nothing was saved.");
      expect(await reports()).toHaveLength(0);
    });

    it("starts over on 库存 mid-flow and keeps the unfinished report for 继续", async () => {
      await w.say(w.ids.rep, "库存 康美");
      const fresh = await w.say(w.ids.rep, "库存");
      expect(fresh.session).toMatchObject({ flow: "stock", step: "store" });
      await w.say(w.ids.rep, "取消");
      const resumed = await w.say(w.ids.rep, "继续");
      expect(resumed.session).toMatchObject({ flow: "stock", step: "lines" });
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.store });
    });

    it("asks again on an empty answer and refuses an over-long one, keeping the store", async () => {
      await w.say(w.ids.rep, "库存 康美");
      const empty = await w.say(w.ids.rep, " ");
      expect(texts(empty)).toContain("请输入内容");
      expect(empty.session.step).toBe("lines");
      const long = await w.say(w.ids.rep, `感冒灵 ${"1".repeat(4100)}`);
      expect(texts(long)).toContain("这条消息太长了");
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.store });
    });
  });
});
