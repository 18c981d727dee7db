import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TurnResult } from "../../src/bot/platform";
import { visits } from "../../src/db/schema";
import { type ChatWorld, chatWorld, choicesOf, summaryOf, texts } from "../helpers/chat";

/**
 * Wrong answers at every step of the visit flow, in both languages, against the real engine
 * and a real libSQL file: each gets a sentence saying what was wrong, the draft keeps what
 * was already entered, and what is finally saved is what the rep typed.
 */
const MONDAY_10H = Date.parse("2026-11-23T02:00:00Z"); // Monday 2026-11-23, 10:00 Shanghai
const YESTERDAY = "2026-11-22";
const NEXT_TUESDAY = "2026-12-01";

/** Everything the bot said in a turn, summaries and choice labels included. */
const everything = (r: TurnResult) =>
  r.replies
    .map((x) =>
      [
        x.text,
        ...(x.summary ?? []).map((s) => `${s.label}: ${s.value}`),
        ...(x.choices ?? []).map((c) => c.label),
      ].join("\n"),
    )
    .join("\n");

describe("visit flow: bad answers at every step", () => {
  let w: ChatWorld;
  beforeEach(async () => {
    w = await chatWorld(() => new Date(MONDAY_10H));
  });
  afterEach(() => w.cleanup());

  const savedVisits = () => w.database.db.select().from(visits);
  const data = async (u: string) => (await w.session(u)).data;

  describe("the customer step", () => {
    it("says which name was not found among the rep's customers, in Chinese and in English", async () => {
      await w.say(w.ids.rep, "拜访");
      for (const bad of ["张三", "😀😀"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("customer");
        expect(texts(r)).toContain(`你的客户里没有找到「${bad}」`);
        expect(texts(r)).toContain("拜访了哪位客户");
      }
      await w.say(w.ids.repEn, "visit");
      const en = await w.say(w.ids.repEn, "Smith");
      expect(en.session.step).toBe("customer");
      expect(texts(en)).toContain("No customer of yours matches “Smith”");
      // Another rep's doctor is not one of this rep's customers.
      const other = await w.say(w.ids.repEn, "李明");
      expect(texts(other)).toContain("No customer of yours matches “李明”");
      expect(await savedVisits()).toHaveLength(0);
    });

    it("says so when a name typed at the 'which one?' choice matches none of the rep's customers", async () => {
      const pick = await w.say(w.ids.rep, "拜访 王");
      expect(choicesOf(pick)).toHaveLength(2);
      const r = await w.say(w.ids.rep, "张三");
      expect(r.session.step).toBe("customer");
      // Not the old "several match 王" question again as if nothing was typed.
      expect(texts(r)).toContain("张三");
      expect(texts(r)).not.toContain("找到多个「王」");
    });

    it("keeps the date and rating typed with an unknown doctor and does not log the visit at the hospital", async () => {
      const r = await w.say(w.ids.rep, "拜访 协和 张三 昨天 评级6");
      const d = await data(w.ids.rep);
      expect(d).toMatchObject({ date: YESTERDAY, rating: 6 });
      expect(d.customerId).not.toBe(w.ids.xiehe);
      expect(r.session.step).toBe("customer");
      expect(texts(r)).toContain("张三");
    });

    it("does not log an English one-line visit to an unknown doctor at the hospital named with them", async () => {
      const r = await w.say(w.ids.repEn, "visit Dr. Smith at Union yesterday rating 6");
      const d = await data(w.ids.repEn);
      expect(d).toMatchObject({ date: YESTERDAY, rating: 6 });
      expect(d.customerId).not.toBe(w.ids.union);
      expect(r.session.step).toBe("customer");
      expect(texts(r)).toContain("Smith");
    });

    it("says the name in a one-line report was not found, keeping the date and rating", async () => {
      const r = await w.say(w.ids.rep, "拜访 张三 昨天 评级6");
      expect(r.session.step).toBe("customer");
      expect(await data(w.ids.rep)).toMatchObject({ date: YESTERDAY, rating: 6 });
      expect(texts(r)).toContain("你的客户里没有找到「张三」");
      const en = await w.say(w.ids.repEn, "visit Smith yesterday rating 6");
      expect(en.session.step).toBe("customer");
      expect(texts(en)).toContain("No customer of yours matches “Smith”");
    });
  });

  describe("the date step", () => {
    it("refuses a future date and an unreadable one with the reason, then keeps the customer", async () => {
      await w.say(w.ids.rep, "拜访 王主任");
      for (const future of ["明天", "下周二", "2027-01-05"]) {
        const r = await w.say(w.ids.rep, future);
        expect(r.session.step).toBe("when");
        expect(texts(r)).toContain("拜访时间不能晚于今天");
      }
      for (const bad of ["abc", "😀", "2026-02-30", "13月40日"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("when");
        expect(texts(r)).toContain(`没看懂日期「${bad}」`);
      }
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.wang });
      await w.say(w.ids.rep, "昨天");
      const confirm = await w.say(w.ids.rep, "5");
      expect(summaryOf(confirm)).toMatchObject({ 客户: "王建国 · 主任 · 北京协和医院", 时间: YESTERDAY });
    });

    it("answers in English for an English rep", async () => {
      await w.say(w.ids.repEn, "visit Wang Wei");
      const future = await w.say(w.ids.repEn, "next friday");
      expect(texts(future)).toContain("A visit can't be in the future.");
      const bad = await w.say(w.ids.repEn, "banana");
      expect(texts(bad)).toContain("I couldn't read the date “banana”");
      expect(bad.session.step).toBe("when");
      expect(await data(w.ids.repEn)).toMatchObject({ customerId: w.ids.drWang });
    });
  });

  describe("the time of day", () => {
    it("refuses a visit later today than now (10:00), at the date step and in one line", async () => {
      await w.say(w.ids.rep, "拜访 王主任");
      const later = await w.say(w.ids.rep, "今天晚上8点");
      expect(later.session.step).toBe("when");
      expect(texts(later)).toContain("拜访时间不能晚于今天");
      const line = await w.say(w.ids.repEn, "visit Wang Wei today 11pm rating 6");
      const atConfirm = line.session.step === "confirm";
      if (atConfirm) await w.say(w.ids.repEn, "confirm");
      const stored = await savedVisits();
      // 23:00 today is 13 hours after the moment the rep is typing.
      expect(stored.filter((v) => Date.parse(v.at) > MONDAY_10H)).toEqual([]);
    });

    it("says an impossible time (25点, 25:61) is wrong instead of dropping it", async () => {
      const zh = await w.say(w.ids.rep, "拜访 王主任 昨天25点 评级6");
      expect(zh.session.step).not.toBe("confirm");
      await w.say(w.ids.rep, "取消");
      await w.say(w.ids.rep, "拜访 王主任");
      const step = await w.say(w.ids.rep, "昨天 25:61");
      expect(step.session.step).toBe("when");
      expect(texts(step)).toMatch(/时间不对|没看懂/);
    });
  });

  describe("the rating step", () => {
    it("refuses out-of-range, fractional, non-numeric and emoji ratings and keeps customer and date", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天");
      for (const bad of ["评级9", "0", "8", "6.5", "abc", "😀", "评级 -3"]) {
        const r = await w.say(w.ids.rep, bad);
        expect(r.session.step).toBe("rating");
        expect(texts(r)).toContain("评级是 1 到 7 的整数");
        expect(r.replies.at(-1)?.text).toContain("客户对产品的使用评级（1-7）");
      }
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.wang, date: YESTERDAY });
      const confirm = await w.say(w.ids.rep, "4");
      expect(summaryOf(confirm)).toMatchObject({
        客户: "王建国 · 主任 · 北京协和医院",
        时间: YESTERDAY,
        评级: "4 少用、接受",
      });
      await w.say(w.ids.rep, "确认");
      expect(await savedVisits()).toMatchObject([
        { customerId: w.ids.wang, date: YESTERDAY, rating: 4, repId: w.ids.rep },
      ]);
    });

    it("refuses a bad rating in English and saves the good one", async () => {
      await w.say(w.ids.repEn, "visit Wang Wei yesterday");
      for (const bad of ["rating 12", "seven?", "-1"]) {
        const r = await w.say(w.ids.repEn, bad);
        expect(r.session.step).toBe("rating");
        expect(texts(r)).toContain("The rating is a whole number from 1 to 7.");
      }
      const confirm = await w.say(w.ids.repEn, "rating 7");
      expect(summaryOf(confirm)).toMatchObject({ When: YESTERDAY, Rating: "7 full use" });
      await w.say(w.ids.repEn, "confirm");
      expect(await savedVisits()).toMatchObject([{ customerId: w.ids.drWang, rating: 7, date: YESTERDAY }]);
    });
  });

  describe("empty and very long answers", () => {
    it("asks again on an empty answer, without losing the draft", async () => {
      await w.say(w.ids.rep, "拜访 王主任");
      const r = await w.say(w.ids.rep, "   ");
      expect(texts(r)).toContain("请输入内容");
      expect(r.session.step).toBe("when");
      await w.say(w.ids.repEn, "visit Wang Wei");
      const en = await w.say(w.ids.repEn, "\n \n");
      expect(texts(en)).toContain("Please type something.");
      expect(en.session.step).toBe("when");
      expect(await data(w.ids.repEn)).toMatchObject({ customerId: w.ids.drWang });
    });

    it("refuses a message over 4,000 characters and stays at the same step with the draft", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      await w.tap(w.ids.rep, "opt:notes");
      const r = await w.say(w.ids.rep, "很".repeat(4100));
      expect(texts(r)).toContain("这条消息太长了（最多 4000 字）");
      expect(r.session.step).toBe("notes");
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.wang, date: YESTERDAY, rating: 6 });
      const en = await w.say(w.ids.repEn, `visit ${"x".repeat(5000)}`);
      expect(texts(en)).toContain("That message is too long (max 4000 characters)");
    });

    it("saves a 1,500-character note whole, or says it was shortened", async () => {
      const long = `主任反馈${"很好".repeat(748)}`;
      expect(long.length).toBe(1500);
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      await w.tap(w.ids.rep, "opt:notes");
      const r = await w.say(w.ids.rep, long);
      const done = await w.say(w.ids.rep, "确认");
      const [v] = await savedVisits();
      const told = /1000|截|缩短|太长/.test(texts(r) + texts(done));
      expect(v.notes === long || told).toBe(true);
    });

    it("takes emoji as a note and stores it as typed", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      await w.tap(w.ids.rep, "opt:notes");
      const confirm = await w.say(w.ids.rep, "👍 主任很满意 🎉");
      expect(summaryOf(confirm)).toMatchObject({ 备注: "👍 主任很满意 🎉", 评级: "6 优先使用" });
      await w.say(w.ids.rep, "确认");
      expect(await savedVisits()).toMatchObject([{ notes: "👍 主任很满意 🎉", rating: 6 }]);
    });
  });

  describe("optional fields offered at the confirm step", () => {
    it("refuses an unknown product, an unknown method and a bad follow-up date, keeping the rest", async () => {
      await w.say(w.ids.rep, "拜访 王主任 11月20日 评级6");
      await w.tap(w.ids.rep, "opt:products");
      const product = await w.say(w.ids.rep, "布洛芬");
      expect(texts(product)).toContain("没有找到产品「布洛芬」");
      expect(product.session.step).toBe("products");
      await w.say(w.ids.rep, "感冒灵");
      await w.tap(w.ids.rep, "opt:method");
      const method = await w.say(w.ids.rep, "飞鸽传书");
      expect(texts(method)).toContain("没看懂");
      expect(method.session.step).toBe("method");
      await w.say(w.ids.rep, "电话");
      await w.tap(w.ids.rep, "opt:followUpOn");
      const before = await w.say(w.ids.rep, "11月19日");
      expect(texts(before)).toContain("复访日期要在拜访日期之后");
      const unreadable = await w.say(w.ids.rep, "abc");
      expect(texts(unreadable)).toContain("没看懂日期「abc」");
      const confirm = await w.say(w.ids.rep, "下周二");
      expect(summaryOf(confirm)).toMatchObject({
        客户: "王建国 · 主任 · 北京协和医院",
        时间: "2026-11-20",
        评级: "6 优先使用",
        方式: "电话",
        产品: "感冒灵颗粒",
        复访日期: NEXT_TUESDAY,
      });
      await w.say(w.ids.rep, "确认");
      expect(await savedVisits()).toMatchObject([
        { date: "2026-11-20", rating: 6, method: "phone", followUpOn: NEXT_TUESDAY, timeKnown: false },
      ]);
    });
  });

  describe("the confirm step", () => {
    it("edits one field, refuses a bad value there, and saves the corrected visit with the rest unchanged", async () => {
      await w.say(w.ids.rep, "拜访 协和 王主任 昨天 评级6 下周二复访");
      const edit = await w.say(w.ids.rep, "修改");
      expect(edit.session.step).toBe("edit");
      expect(choicesOf(edit).map((c) => c.id)).toContain("opt:rating");
      await w.tap(w.ids.rep, "opt:rating");
      const bad = await w.say(w.ids.rep, "评级10");
      expect(texts(bad)).toContain("评级是 1 到 7 的整数");
      expect(bad.session.step).toBe("rating");
      const back = await w.say(w.ids.rep, "3");
      expect(back.session.step).toBe("confirm");
      expect(summaryOf(back)).toMatchObject({
        客户: "王建国 · 主任 · 北京协和医院",
        时间: YESTERDAY,
        评级: "3 试用",
        复访日期: NEXT_TUESDAY,
      });
      await w.say(w.ids.rep, "确认");
      expect(await savedVisits()).toMatchObject([
        { customerId: w.ids.wang, date: YESTERDAY, rating: 3, followUpOn: NEXT_TUESDAY, repId: w.ids.rep },
      ]);
    });

    it("edits the date in English, refusing a future one", async () => {
      await w.say(w.ids.repEn, "visit Wang Wei yesterday rating 5");
      await w.say(w.ids.repEn, "edit");
      await w.tap(w.ids.repEn, "opt:when");
      const future = await w.say(w.ids.repEn, "tomorrow");
      expect(texts(future)).toContain("A visit can't be in the future.");
      const confirm = await w.say(w.ids.repEn, "Nov 20");
      expect(summaryOf(confirm)).toMatchObject({ When: "2026-11-20", Rating: "5 regular" });
      await w.say(w.ids.repEn, "confirm");
      expect(await savedVisits()).toMatchObject([
        { customerId: w.ids.drWang, date: "2026-11-20", rating: 5 },
      ]);
    });

    it("says it did not understand gibberish typed at the confirm step", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      for (const junk of ["abc", "😀"]) {
        const r = await w.say(w.ids.rep, junk);
        expect(r.session.step).toBe("confirm");
        expect(texts(r)).toContain("没看懂");
      }
      await w.say(w.ids.repEn, "visit Wang Wei yesterday rating 6");
      const en = await w.say(w.ids.repEn, "qwerty");
      expect(texts(en)).toContain("I didn't get that");
    });

    it("shows the summary again, without 'did not understand', when the same line is sent twice", async () => {
      const first = await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      const again = await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      expect(again.session.step).toBe("confirm");
      expect(again.replies).toHaveLength(1);
      expect(texts(again)).not.toContain("没看懂");
      expect(summaryOf(again)).toEqual(summaryOf(first));
    });

    it("does not read a fractional rating typed at the confirm step as a new visit date", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      const r = await w.say(w.ids.rep, "评级 6.5");
      expect(r.session.step).toBe("confirm");
      expect(await data(w.ids.rep)).toMatchObject({ date: YESTERDAY, rating: 6 });
      expect(summaryOf(r)).toMatchObject({ 时间: YESTERDAY });
    });
  });

  describe("cancel, back and starting over mid-flow", () => {
    it("cancels at every step in both languages and saves nothing", async () => {
      const zh: [string[], string][] = [
        [["拜访"], "customer"],
        [["拜访 王主任"], "when"],
        [["拜访 王主任 昨天"], "rating"],
        [["拜访 王主任 昨天 评级6"], "confirm"],
        [["拜访 王主任 昨天 评级6", "修改"], "edit"],
      ];
      for (const [lines, step] of zh) {
        let r: TurnResult | undefined;
        for (const l of lines) r = await w.say(w.ids.rep, l);
        expect(r?.session.step).toBe(step);
        const c = await w.say(w.ids.rep, "取消");
        expect(c.session.status).toBe("cancelled");
        expect(texts(c)).toContain("已取消，未保存任何内容");
      }
      await w.say(w.ids.repEn, "visit Wang Wei yesterday");
      const en = await w.say(w.ids.repEn, "cancel");
      expect(texts(en)).toContain("Cancelled — nothing was saved.");
      expect(await savedVisits()).toHaveLength(0);
    });

    it("starts a fresh visit on 拜访 mid-flow, and 继续 brings back the first draft", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天");
      const fresh = await w.say(w.ids.rep, "拜访");
      expect(fresh.session).toMatchObject({ flow: "visit", step: "customer" });
      expect(await data(w.ids.rep)).not.toHaveProperty("customerId");
      await w.say(w.ids.rep, "取消");
      const resumed = await w.say(w.ids.rep, "继续");
      expect(resumed.session).toMatchObject({ flow: "visit", step: "rating" });
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.wang, date: YESTERDAY });
    });

    it("takes a new visit line for another doctor at the confirm step as a new visit; 继续 brings back the first", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      const other = await w.say(w.ids.rep, "拜访 李明 昨天 评级5");
      expect(other.session.step).toBe("confirm");
      expect(texts(other)).not.toContain("没看懂");
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.li, rating: 5 });
      const saved = await w.say(w.ids.rep, "确认");
      expect(texts(saved)).toContain("李明");
      const resumed = await w.say(w.ids.rep, "继续");
      expect(resumed.session).toMatchObject({ flow: "visit", step: "confirm" });
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.wang, rating: 6 });
    });

    it("goes back from the confirm step to the rating and keeps the rest", async () => {
      await w.say(w.ids.rep, "拜访 王主任");
      await w.say(w.ids.rep, "昨天");
      expect((await w.say(w.ids.rep, "6")).session.step).toBe("confirm");
      const back = await w.say(w.ids.rep, "上一步");
      expect(back.session.step).toBe("rating");
      const confirm = await w.say(w.ids.rep, "2");
      expect(summaryOf(confirm)).toMatchObject({ 时间: YESTERDAY, 评级: "2 不用、不支持" });
    });
  });

  describe("one line with partly wrong values", () => {
    it("keeps customer, date and follow-up of a line with an out-of-range rating and asks only the rating", async () => {
      const r = await w.say(w.ids.rep, "拜访 协和 王主任 昨天 评级9 下周二复访");
      expect(r.session.step).toBe("rating");
      expect(await data(w.ids.rep)).toMatchObject({
        customerId: w.ids.wang,
        date: YESTERDAY,
        followUpOn: NEXT_TUESDAY,
      });
      expect(await data(w.ids.rep)).not.toHaveProperty("rating");
      const confirm = await w.say(w.ids.rep, "6");
      expect(summaryOf(confirm)).toMatchObject({
        客户: "王建国 · 主任 · 北京协和医院",
        时间: YESTERDAY,
        评级: "6 优先使用",
        复访日期: NEXT_TUESDAY,
      });
      await w.say(w.ids.rep, "确认");
      expect(await savedVisits()).toMatchObject([
        { customerId: w.ids.wang, date: YESTERDAY, rating: 6, followUpOn: NEXT_TUESDAY },
      ]);
    });

    it("says why the rating of a one-line report is asked again (评级9 is out of range)", async () => {
      const r = await w.say(w.ids.rep, "拜访 协和 王主任 昨天 评级9 下周二复访");
      expect(r.session.step).toBe("rating");
      expect(texts(r)).toContain("评级是 1 到 7 的整数");
      const en = await w.say(w.ids.repEn, "visit Wang Wei yesterday rating 9");
      expect(en.session.step).toBe("rating");
      expect(texts(en)).toContain("The rating is a whole number from 1 to 7.");
    });

    it("keeps customer, rating and follow-up of a line dated in the future and asks only the date", async () => {
      const r = await w.say(w.ids.rep, "拜访 协和 王主任 明天 评级6 下周二复访");
      expect(r.session.step).toBe("when");
      expect(await data(w.ids.rep)).toMatchObject({
        customerId: w.ids.wang,
        rating: 6,
        followUpOn: NEXT_TUESDAY,
      });
      const confirm = await w.say(w.ids.rep, "今天");
      expect(summaryOf(confirm)).toMatchObject({
        时间: "2026-11-23",
        评级: "6 优先使用",
        复访日期: NEXT_TUESDAY,
      });
    });

    it("says why the date of a one-line report is asked again (明天 is in the future)", async () => {
      const r = await w.say(w.ids.rep, "拜访 协和 王主任 明天 评级6 下周二复访");
      expect(r.session.step).toBe("when");
      expect(texts(r)).toContain("拜访时间不能晚于今天");
      const en = await w.say(w.ids.repEn, "visit Wang Wei tomorrow rating 6");
      expect(en.session.step).toBe("when");
      expect(texts(en)).toContain("A visit can't be in the future.");
    });

    it("keeps the English one-line's good parts when the rating is out of range", async () => {
      const r = await w.say(w.ids.repEn, "visit Wang Wei yesterday rating 9 follow up next tue");
      expect(r.session.step).toBe("rating");
      expect(await data(w.ids.repEn)).toMatchObject({
        customerId: w.ids.drWang,
        date: YESTERDAY,
        followUpOn: NEXT_TUESDAY,
      });
      const confirm = await w.say(w.ids.repEn, "5");
      expect(summaryOf(confirm)).toMatchObject({
        Customer: "Wang Wei · Director · Union Hospital",
        When: YESTERDAY,
        Rating: "5 regular",
        "Follow-up date": NEXT_TUESDAY,
      });
    });
  });

  describe("notes are the rep's words, not commands", () => {
    it("takes a note starting with 不发 as the note, not as 'no care message to …'", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      await w.tap(w.ids.rep, "opt:notes");
      const r = await w.say(w.ids.rep, "不发样品了 下次带资料");
      expect(r.session.step).toBe("confirm");
      expect(summaryOf(r)).toMatchObject({ 备注: "不发样品了 下次带资料" });
    });

    it("still takes 不发 followed by one of the rep's customers as the care command mid-flow", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      await w.tap(w.ids.rep, "opt:notes");
      const r = await w.say(w.ids.rep, "不发 王主任");
      expect(r.session).toMatchObject({ flow: "visit", step: "notes" });
      expect(await data(w.ids.rep)).not.toHaveProperty("notes");
    });
  });

  describe("times and dates typed at the confirm step", () => {
    it("sets the time of the date already given when only a time is typed", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      const r = await w.say(w.ids.rep, "下午3点");
      expect(r.session.step).toBe("confirm");
      expect(await data(w.ids.rep)).toMatchObject({ date: YESTERDAY, time: "15:00", rating: 6 });
    });

    it("says why an impossible time or a future date typed at the confirm step changes nothing", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      const bad = await w.say(w.ids.rep, "25点");
      expect(texts(bad)).toContain("时间不对");
      const future = await w.say(w.ids.rep, "明天");
      expect(texts(future)).toContain("拜访时间不能晚于今天");
      expect(future.session.step).toBe("confirm");
      expect(await data(w.ids.rep)).toMatchObject({ date: YESTERDAY, rating: 6 });
    });
  });

  describe("compliance: no individual prescription counts (统方)", () => {
    it("never asks for prescriptions at any step, in either language", async () => {
      const seen: string[] = [];
      const walk = async (u: string, lines: (string | { tap: string })[]) => {
        for (const l of lines) {
          const r = typeof l === "string" ? await w.say(u, l) : await w.tap(u, l.tap);
          seen.push(everything(r));
        }
      };
      const optional = ["method", "purposes", "products", "notes", "nextStep", "followUpOn"];
      await walk(w.ids.rep, ["拜访", "帮助", "王主任", "昨天", "6"]);
      for (const o of optional) await walk(w.ids.rep, ["修改", { tap: `opt:${o}` }, "帮助", "上一步"]);
      await walk(w.ids.repEn, ["visit", "help", "Wang Wei", "yesterday", "6"]);
      for (const o of optional) await walk(w.ids.repEn, ["edit", { tap: `opt:${o}` }, "help", "back"]);
      const all = seen.join("\n");
      expect(all).toContain("客户对产品的使用评级");
      expect(all).toContain("usage rating");
      expect(all).not.toMatch(/处方|统方|prescri/i);
    });

    it("does not echo or store a doctor's prescription count typed in the notes", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      await w.tap(w.ids.rep, "opt:notes");
      const r = await w.say(w.ids.rep, "王主任本月开了30张感冒灵处方");
      expect(everything(r)).not.toContain("30张");
      if (r.session.step === "confirm") await w.say(w.ids.rep, "确认");
      const stored = await savedVisits();
      expect(stored.map((v) => v.notes ?? "").join()).not.toContain("30张");
    });

    it("says why, in English too, and keeps the draft", async () => {
      await w.say(w.ids.repEn, "visit Wang Wei yesterday rating 6");
      await w.tap(w.ids.repEn, "opt:notes");
      const r = await w.say(w.ids.repEn, "Dr. Wang wrote 30 prescriptions of Ganmaoling this month");
      expect(r.session.step).toBe("notes");
      expect(texts(r)).toContain("prescription counts (统方) are not recorded");
      expect(everything(r)).not.toContain("30 prescriptions");
      expect(await data(w.ids.repEn)).toMatchObject({ customerId: w.ids.drWang, date: YESTERDAY, rating: 6 });
      expect(await data(w.ids.repEn)).not.toHaveProperty("notes");
    });

    it("keeps the rest of a one-line report that gives a prescription count, without echoing it", async () => {
      const r = await w.say(w.ids.rep, "拜访 王主任 昨天 评级6 本月开了30张处方");
      expect(texts(r)).toContain("不记录医生个人的处方数量（统方）");
      expect(everything(r)).not.toContain("30张");
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.wang, date: YESTERDAY, rating: 6 });
    });
  });

  describe("long free text", () => {
    it("refuses a next step over the record's 1,000 characters, naming the limit, and keeps the draft", async () => {
      await w.say(w.ids.rep, "拜访 王主任 昨天 评级6");
      await w.tap(w.ids.rep, "opt:nextStep");
      const r = await w.say(w.ids.rep, "送".repeat(1200));
      expect(r.session.step).toBe("nextStep");
      expect(texts(r)).toContain("最多 1000 字");
      expect(await data(w.ids.rep)).toMatchObject({ customerId: w.ids.wang, date: YESTERDAY, rating: 6 });
    });
  });
});
