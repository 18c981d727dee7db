import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TurnResult } from "../../src/bot/platform";
import { expenses, stockLines, stockReports, visitProducts, visits } from "../../src/db/schema";
import { type ChatWorld, chatWorld, type WorldIds } from "../helpers/chat";

/**
 * One free-text line as a rep types it, through the engine against a real database: the
 * slots it fills (read from the stored session after the first message), the questions
 * still asked, and the rows stored after confirming.
 */
const SUNDAY_10H = Date.parse("2026-11-22T02:00:00Z"); // Sunday 2026-11-22, 10:00 Shanghai
const MONDAY_01H = Date.parse("2026-11-22T17:00:00Z"); // Monday 2026-11-23, 01:00 Shanghai (still Sunday in UTC)
// A visit at 15:00 today is logged after it happened: at 10:00 it would be in the future.
const SUNDAY_16H = Date.parse("2026-11-22T08:00:00Z"); // Sunday 2026-11-22, 16:00 Shanghai

type Who = "rep" | "repEn";
interface Case {
  who: Who;
  line: string;
  at?: number;
  /** The step the first answer stops at (confirm when the line was complete). */
  step: string;
  /** The collected data after the first message (ids resolved from the world). */
  slots: (ids: WorldIds) => Record<string, unknown>;
  /** The stored record after confirming. */
  stored: (ids: WorldIds) => Record<string, unknown>;
  /** Extra messages the flow may still ask (answered by the driver below). */
  messages: number;
}

const visitCases: Case[] = [
  {
    who: "rep",
    line: "拜访 协和 王主任 昨天 评级6 下周二复访",
    step: "confirm",
    slots: (i) => ({ customerId: i.wang, date: "2026-11-21", rating: 6, followUpOn: "2026-11-24" }),
    stored: (i) => ({
      customerId: i.wang,
      date: "2026-11-21",
      rating: 6,
      followUpOn: "2026-11-24",
      timeKnown: false,
    }),
    messages: 2,
  },
  {
    who: "rep",
    line: "拜访了人民医院赵丽 今天下午3点 电话 评级5 推广感冒灵 下周三复访",
    at: SUNDAY_16H,
    step: "confirm",
    slots: (i) => ({
      customerId: i.zhao,
      date: "2026-11-22",
      time: "15:00",
      method: "phone",
      rating: 5,
      purposes: ["promotion"],
      productIds: [i.ganmaoling],
      followUpOn: "2026-11-25",
    }),
    stored: (i) => ({
      customerId: i.zhao,
      at: "2026-11-22T15:00:00+08:00",
      timeKnown: true,
      method: "phone",
      purposes: ["promotion"],
      rating: 5,
      followUpOn: "2026-11-25",
    }),
    messages: 2,
  },
  {
    who: "rep",
    line: "拜访 王主任 昨天上午10点 评级7 微信 反馈 维C",
    step: "confirm",
    slots: (i) => ({
      customerId: i.wang,
      date: "2026-11-21",
      time: "10:00",
      rating: 7,
      method: "wechat",
      purposes: ["feedback"],
      productIds: [i.vc],
    }),
    stored: (i) => ({ customerId: i.wang, at: "2026-11-21T10:00:00+08:00", method: "wechat", rating: 7 }),
    messages: 2,
  },
  {
    who: "rep",
    line: "拜访 李明 11月20日 评级4 竞品 下一步：送样品",
    step: "confirm",
    slots: (i) => ({
      customerId: i.li,
      date: "2026-11-20",
      rating: 4,
      purposes: ["competitor_intel"],
      nextStep: "送样品",
    }),
    stored: (i) => ({
      customerId: i.li,
      date: "2026-11-20",
      nextStep: "送样品",
      purposes: ["competitor_intel"],
    }),
    messages: 2,
  },
  {
    who: "rep",
    line: "拜访协和王芳 今天 6分 科室会 推广 感冒灵 维C",
    step: "confirm",
    slots: (i) => ({
      customerId: i.wang2,
      date: "2026-11-22",
      rating: 6,
      method: "meeting",
      purposes: ["promotion"],
      productIds: [i.ganmaoling, i.vc],
    }),
    stored: (i) => ({ customerId: i.wang2, method: "meeting", rating: 6 }),
    messages: 2,
  },
  {
    who: "rep",
    line: "拜访 陈主任 前天 评级3 试用 阿莫西林 下周五复访",
    step: "confirm",
    slots: (i) => ({
      customerId: i.chen,
      date: "2026-11-20",
      rating: 3,
      purposes: ["trial_tracking"],
      productIds: [i.amoxi],
      followUpOn: "2026-11-27",
    }),
    stored: (i) => ({ customerId: i.chen, date: "2026-11-20", rating: 3, followUpOn: "2026-11-27" }),
    messages: 2,
  },
  {
    who: "rep",
    line: "拜访 wjg 今天 评级5",
    step: "confirm",
    slots: (i) => ({ customerId: i.wang, date: "2026-11-22", rating: 5 }),
    stored: (i) => ({ customerId: i.wang, date: "2026-11-22", rating: 5, method: "in_person", purposes: [] }),
    messages: 2,
  },
  {
    who: "rep",
    line: "拜访 人民医院 赵丽 2026-11-20 下午2点半 评级6 进药",
    step: "confirm",
    slots: (i) => ({
      customerId: i.zhao,
      date: "2026-11-20",
      time: "14:30",
      rating: 6,
      purposes: ["listing"],
    }),
    stored: (i) => ({ customerId: i.zhao, at: "2026-11-20T14:30:00+08:00", purposes: ["listing"] }),
    messages: 2,
  },
  {
    who: "rep",
    line: "拜访 协和 王 昨天 评级6",
    step: "customer",
    slots: (i) => ({ date: "2026-11-21", rating: 6, candidates: [i.wang, i.wang2] }),
    stored: (i) => ({ customerId: i.wang2, date: "2026-11-21", rating: 6 }),
    messages: 3,
  },
  {
    who: "rep",
    line: "拜访 王主任 今天 评级5 明天复访",
    at: MONDAY_01H,
    step: "confirm",
    slots: (i) => ({ customerId: i.wang, date: "2026-11-23", rating: 5, followUpOn: "2026-11-24" }),
    stored: (i) => ({ customerId: i.wang, date: "2026-11-23", followUpOn: "2026-11-24" }),
    messages: 2,
  },
  {
    who: "repEn",
    line: "visited Dr. Wang at Union yesterday 3pm rating 6 follow up next tue",
    step: "confirm",
    slots: (i) => ({
      customerId: i.drWang,
      date: "2026-11-21",
      time: "15:00",
      rating: 6,
      followUpOn: "2026-11-24",
    }),
    stored: (i) => ({
      customerId: i.drWang,
      at: "2026-11-21T15:00:00+08:00",
      rating: 6,
      followUpOn: "2026-11-24",
    }),
    messages: 2,
  },
  {
    who: "repEn",
    line: "visit Chen Jie today 10am rating 5 by phone discussed amoxicillin",
    step: "confirm",
    slots: (i) => ({
      customerId: i.drChen,
      date: "2026-11-22",
      time: "10:00",
      rating: 5,
      method: "phone",
      productIds: [i.amoxi],
    }),
    stored: (i) => ({ customerId: i.drChen, method: "phone", rating: 5 }),
    messages: 2,
  },
  {
    who: "repEn",
    line: "log visit Wang Wei yesterday rating 7 promotion Ganmaoling follow up 2026-12-01",
    step: "confirm",
    slots: (i) => ({
      customerId: i.drWang,
      date: "2026-11-21",
      rating: 7,
      purposes: ["promotion"],
      productIds: [i.ganmaoling],
      followUpOn: "2026-12-01",
    }),
    stored: (i) => ({ customerId: i.drWang, rating: 7, followUpOn: "2026-12-01" }),
    messages: 2,
  },
  {
    who: "repEn",
    line: "visited Dr. Chen at Union on Nov 20 rating 4 wechat feedback next step: send samples",
    step: "confirm",
    slots: (i) => ({
      customerId: i.drChen,
      date: "2026-11-20",
      rating: 4,
      method: "wechat",
      purposes: ["feedback"],
      nextStep: "send samples",
    }),
    stored: (i) => ({ customerId: i.drChen, date: "2026-11-20", method: "wechat", nextStep: "send samples" }),
    messages: 2,
  },
  {
    who: "repEn",
    line: "visit Union Wang 2 days ago rating 3 email",
    step: "confirm",
    slots: (i) => ({ customerId: i.drWang, date: "2026-11-20", rating: 3, method: "email" }),
    stored: (i) => ({ customerId: i.drWang, date: "2026-11-20", method: "email" }),
    messages: 2,
  },
  {
    who: "repEn",
    line: "visit Wang Wei today rating 5 follow up tomorrow",
    at: MONDAY_01H,
    step: "confirm",
    slots: (i) => ({ customerId: i.drWang, date: "2026-11-23", rating: 5, followUpOn: "2026-11-24" }),
    stored: (i) => ({ customerId: i.drWang, date: "2026-11-23", followUpOn: "2026-11-24" }),
    messages: 2,
  },
];

const expenseCases: Case[] = [
  {
    who: "rep",
    line: "报销 餐费 320元 昨天 发票12345678",
    step: "receipt",
    slots: () => ({
      kind: "reimbursement",
      category: "meals",
      amountCny: 320,
      date: "2026-11-21",
      invoiceNo: "12345678",
    }),
    stored: () => ({
      kind: "reimbursement",
      category: "meals",
      amountCny: 320,
      date: "2026-11-21",
      invoiceNo: "12345678",
    }),
    messages: 3,
  },
  {
    who: "rep",
    line: "报销 打车 ¥85.5 今天 发票号 23456789 去协和",
    step: "receipt",
    slots: () => ({
      category: "transport",
      amountCny: 85.5,
      date: "2026-11-22",
      invoiceNo: "23456789",
      description: "去协和",
    }),
    stored: () => ({ category: "transport", amountCny: 85.5, description: "去协和" }),
    messages: 3,
  },
  {
    who: "rep",
    line: "报销 住宿 一千二百元 11月20日 发票 INV-2026-001 上海出差",
    step: "receipt",
    slots: () => ({
      category: "accommodation",
      amountCny: 1200,
      date: "2026-11-20",
      invoiceNo: "INV-2026-001",
      description: "上海出差",
    }),
    stored: () => ({ category: "accommodation", amountCny: 1200, invoiceNo: "INV-2026-001" }),
    messages: 3,
  },
  {
    who: "rep",
    line: "报销 高铁 553 11.18 发票34567890",
    step: "receipt",
    slots: () => ({ category: "travel", amountCny: 553, date: "2026-11-18", invoiceNo: "34567890" }),
    stored: () => ({ category: "travel", amountCny: 553, date: "2026-11-18", description: null }),
    messages: 3,
  },
  {
    who: "rep",
    line: "费用申请 科室会 3000元 下周三 协和心内科",
    step: "confirm",
    slots: () => ({
      kind: "pre_approval",
      category: "department_meeting",
      amountCny: 3000,
      date: "2026-11-25",
      description: "协和心内科",
    }),
    stored: () => ({
      kind: "pre_approval",
      category: "department_meeting",
      amountCny: 3000,
      date: "2026-11-25",
    }),
    messages: 2,
  },
  {
    who: "rep",
    line: "报销 招待 600元 昨天 发票55556666",
    step: "attendees",
    slots: () => ({ category: "hospitality", amountCny: 600, date: "2026-11-21", invoiceNo: "55556666" }),
    stored: () => ({ category: "hospitality", amountCny: 600, attendees: ["王主任", "李医生"] }),
    messages: 4,
  },
  {
    who: "rep",
    line: "费用申请 餐费 500元 明天",
    at: MONDAY_01H,
    step: "confirm",
    slots: () => ({ kind: "pre_approval", category: "meals", amountCny: 500, date: "2026-11-24" }),
    stored: () => ({ kind: "pre_approval", date: "2026-11-24", invoiceNo: null }),
    messages: 2,
  },
  {
    who: "repEn",
    line: "expense taxi 85 yesterday invoice 87654321",
    step: "receipt",
    slots: () => ({ category: "transport", amountCny: 85, date: "2026-11-21", invoiceNo: "87654321" }),
    stored: () => ({ category: "transport", amountCny: 85, invoiceNo: "87654321" }),
    messages: 3,
  },
  {
    who: "repEn",
    line: "claim hotel 1.2k Nov 20 invoice HT-778899 Shanghai trip",
    step: "receipt",
    slots: () => ({
      category: "accommodation",
      amountCny: 1200,
      date: "2026-11-20",
      invoiceNo: "HT-778899",
      description: "Shanghai trip",
    }),
    stored: () => ({ category: "accommodation", amountCny: 1200, description: "Shanghai trip" }),
    messages: 3,
  },
  {
    who: "repEn",
    line: "expense dinner 256.80 today inv 99887766",
    step: "receipt",
    slots: () => ({ category: "meals", amountCny: 256.8, date: "2026-11-22", invoiceNo: "99887766" }),
    stored: () => ({ category: "meals", amountCny: 256.8 }),
    messages: 3,
  },
  {
    who: "repEn",
    line: "pre-approval conference 5000 next monday CSCO",
    step: "confirm",
    slots: () => ({
      kind: "pre_approval",
      category: "conference",
      amountCny: 5000,
      date: "2026-11-23",
      description: "CSCO",
    }),
    stored: () => ({ kind: "pre_approval", category: "conference", date: "2026-11-23" }),
    messages: 2,
  },
];

const stockCases: Case[] = [
  {
    who: "rep",
    line: "库存 康美大药房 感冒灵 24盒, 维C 10",
    step: "confirm",
    slots: (i) => ({
      customerId: i.store,
      lines: [
        { productId: i.ganmaoling, quantity: 24 },
        { productId: i.vc, quantity: 10 },
      ],
    }),
    stored: (i) => ({ customerId: i.store, date: "2026-11-22" }),
    messages: 2,
  },
  {
    who: "rep",
    line: "库存 九州通 阿莫西林 300盒 感冒灵 120",
    step: "confirm",
    slots: (i) => ({
      customerId: i.distributor,
      lines: [
        { productId: i.amoxi, quantity: 300 },
        { productId: i.ganmaoling, quantity: 120 },
      ],
    }),
    stored: (i) => ({ customerId: i.distributor }),
    messages: 2,
  },
  {
    who: "rep",
    line: "盘点 老百姓 维C 0 感冒灵 5盒 昨天",
    step: "confirm",
    slots: (i) => ({
      customerId: i.laobaixing,
      date: "2026-11-21",
      lines: [
        { productId: i.vc, quantity: 0 },
        { productId: i.ganmaoling, quantity: 5 },
      ],
    }),
    stored: (i) => ({ customerId: i.laobaixing, date: "2026-11-21" }),
    messages: 2,
  },
  {
    who: "repEn",
    line: "stock Guardian Pharmacy Ganmaoling 24 boxes, Vitamin C 10",
    step: "confirm",
    slots: (i) => ({
      customerId: i.guardian,
      lines: [
        { productId: i.ganmaoling, quantity: 24 },
        { productId: i.vc, quantity: 10 },
      ],
    }),
    stored: (i) => ({ customerId: i.guardian }),
    messages: 2,
  },
];

describe("one free-text line fills every slot it names", () => {
  const clock = { t: SUNDAY_10H };
  let w: ChatWorld;
  beforeAll(async () => {
    w = await chatWorld(() => new Date(clock.t));
  });
  afterAll(() => w.cleanup());

  /** Sends the line, answers whatever is still asked the way a rep would, and confirms. */
  const run = async (c: Case) => {
    clock.t = c.at ?? SUNDAY_10H;
    const uid = w.ids[c.who];
    const en = c.who === "repEn";
    const first = await w.say(uid, c.line);
    const state = await w.session(uid);
    let r: TurnResult = first;
    let sent = 1;
    for (let i = 0; i < 5 && r.session.status === "active"; i++) {
      sent++;
      const step = r.session.step;
      if (step === "confirm") r = await w.say(uid, en ? "confirm" : "确认");
      else if (step === "receipt") r = await w.say(uid, en ? "skip" : "跳过");
      else if (step === "attendees") r = await w.say(uid, "王主任, 李医生");
      else if (step === "customer") {
        // Several matched: tap the one meant (the expected stored customer).
        const want = String(c.stored(w.ids).customerId);
        r = await w.tap(uid, `c:${want}`);
      } else throw new Error(`unexpected question ${step} after "${c.line}"`);
    }
    return { first, state, last: r, sent };
  };

  it.each(visitCases)("logs the visit “$line” with the slots it names, in at most 3 messages", async (c) => {
    const before = new Set((await w.database.db.select().from(visits)).map((v) => v.id));
    const { first, state, last, sent } = await run(c);
    expect(first.session).toMatchObject({ flow: "visit", step: c.step });
    expect(state.data).toMatchObject(c.slots(w.ids));
    // Optional fields are offered at the confirm step, never asked.
    expect(first.session.step === "confirm" || first.session.step === "customer").toBe(true);
    expect(last.session.status).toBe("completed");
    expect(sent).toBe(c.messages);
    expect(sent).toBeLessThanOrEqual(3);
    const added = (await w.database.db.select().from(visits)).filter((v) => !before.has(v.id));
    expect(added).toHaveLength(1);
    // `at` is stored as a UTC instant: compare instants, written in Shanghai time here.
    const { at, ...rest } = c.stored(w.ids);
    expect(added[0]).toMatchObject({ repId: w.ids[c.who], status: "logged", ...rest });
    if (at) expect(new Date(added[0].at).toISOString()).toBe(new Date(String(at)).toISOString());
    const products = await w.database.db.select().from(visitProducts);
    const expected = (c.slots(w.ids).productIds as string[] | undefined) ?? [];
    expect(
      products
        .filter((p) => p.visitId === added[0].id)
        .map((p) => p.productId)
        .sort(),
    ).toEqual([...expected].sort());
  });

  it.each(expenseCases)("submits the expense “$line” with the slots it names", async (c) => {
    const before = new Set((await w.database.db.select().from(expenses)).map((e) => e.id));
    const { first, state, last, sent } = await run(c);
    expect(first.session).toMatchObject({ flow: "expense", step: c.step });
    expect(state.data).toMatchObject(c.slots(w.ids));
    expect(last.session.status).toBe("completed");
    expect(sent).toBe(c.messages);
    const added = (await w.database.db.select().from(expenses)).filter((e) => !before.has(e.id));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ repId: w.ids[c.who], status: "pending", ...c.stored(w.ids) });
    expect(added[0].ref).toMatch(/^E\d+$/);
    expect(last.replies.map((x) => x.text).join("\n")).toContain(added[0].ref);
  });

  it.each(stockCases)("reports the stock “$line” with the store and every product line", async (c) => {
    const before = new Set((await w.database.db.select().from(stockReports)).map((s) => s.id));
    const { first, state, last, sent } = await run(c);
    expect(first.session).toMatchObject({ flow: "stock", step: c.step });
    expect(state.data).toMatchObject(c.slots(w.ids));
    expect(last.session.status).toBe("completed");
    expect(sent).toBe(c.messages);
    const added = (await w.database.db.select().from(stockReports)).filter((s) => !before.has(s.id));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ repId: w.ids[c.who], ...c.stored(w.ids) });
    const lines = (await w.database.db.select().from(stockLines)).filter((l) => l.reportId === added[0].id);
    expect(lines.map((l) => ({ productId: l.productId, quantity: l.quantity }))).toEqual(
      c.slots(w.ids).lines,
    );
  });

  it("covers at least 20 lines in both languages", () => {
    const all = [...visitCases, ...expenseCases, ...stockCases];
    expect(all.length).toBeGreaterThanOrEqual(20);
    expect(all.filter((c) => c.who === "rep").length).toBeGreaterThanOrEqual(10);
    expect(all.filter((c) => c.who === "repEn").length).toBeGreaterThanOrEqual(8);
  });

  it("asks only what a line left out, never an optional field", async () => {
    clock.t = SUNDAY_10H;
    const asked: string[] = [];
    let r = await w.say(w.ids.rep, "拜访 王主任");
    asked.push(r.session.step!);
    r = await w.say(w.ids.rep, "昨天");
    asked.push(r.session.step!);
    r = await w.say(w.ids.rep, "6");
    asked.push(r.session.step!);
    expect(asked).toEqual(["when", "rating", "confirm"]);
    // The optional fields are offered as choices at the confirm step.
    expect(r.replies.at(-1)?.choices?.map((c) => c.id)).toEqual(
      expect.arrayContaining(["confirm", "edit", "cancel", "opt:purposes", "opt:followUpOn"]),
    );
    r = await w.say(w.ids.rep, "下周二复访");
    expect(r.session.step).toBe("confirm");
    expect((await w.session(w.ids.rep)).data).toMatchObject({ followUpOn: "2026-11-24", rating: 6 });
    r = await w.say(w.ids.rep, "确认");
    expect(r.session.status).toBe("completed");
  });
});
