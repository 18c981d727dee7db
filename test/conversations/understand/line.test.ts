import { describe, expect, it } from "vitest";
import { type LineSlots, understandLine, type When } from "../../../src/conversations/understand";
import { customers, products, SUNDAY, TZ } from "./fixtures";

/** Sunday 2026-11-22: yesterday = 11-21, 下周二 / next tue = 11-24 (Monday weeks). */
const opts = (locale: "zh-CN" | "en") => ({ now: SUNDAY, timeZone: TZ, customers, products, locale });
const day = (date: string) => ({ date, timeKnown: false });

/** Expected slots, written literally; `when.matched` is checked separately. */
type Expected = Omit<LineSlots, "when"> & { when?: Omit<When, "matched"> };
type Row = [string, string | null, Expected];

const ZH: Row[] = [
  [
    "拜访 协和 王主任 昨天 评级6 下周二复访",
    "visit",
    { customerIds: ["d-wjg"], when: day("2026-11-21"), rating: 6, followUpOn: "2026-11-24" },
  ],
  [
    "拜访协和王主任 今天上午10点半 面访 介绍感冒灵 评分5",
    "visit",
    {
      customerIds: ["d-wjg"],
      when: { date: "2026-11-22", hour: 10, minute: 30, timeKnown: true },
      method: "in_person",
      purposes: ["promotion"],
      productIds: ["gml"],
      rating: 5,
    },
  ],
  [
    "拜访 李教授 电话 前天 竞品 反馈 6分 复访 12月1日",
    "visit",
    {
      customerIds: ["d-lm"],
      method: "phone",
      when: day("2026-11-20"),
      purposes: ["competitor", "feedback"],
      rating: 6,
      followUpOn: "2026-12-01",
    },
  ],
  [
    "拜访 解放军总医院 王强 微信 进药 阿莫西林 评级４ 下一步 送资料",
    "visit",
    {
      customerIds: ["d-wq"],
      method: "wechat",
      purposes: ["listing"],
      productIds: ["amx"],
      rating: 4,
      nextStep: "送资料",
    },
  ],
  [
    "报销 餐费 320元 昨天 发票12345678 招待王主任",
    "expense",
    {
      expenseKind: "reimbursement",
      category: "meals",
      amountCny: 320,
      when: day("2026-11-21"),
      invoiceNo: "12345678",
      description: "招待王主任",
    },
  ],
  [
    "报销 打车 ￥８５ 周五 发票号 87654321",
    "expense",
    {
      expenseKind: "reimbursement",
      category: "transport",
      amountCny: 85,
      when: day("2026-11-20"),
      invoiceNo: "87654321",
    },
  ],
  [
    "费用申请 科室会 两千五 下周三 协和心内科",
    "expense",
    { expenseKind: "pre_approval", category: "department_meeting", amountCny: 2500, when: day("2026-11-25") },
  ],
  [
    "报销 酒店住宿 1,234.50 11.20",
    "expense",
    { expenseKind: "reimbursement", category: "accommodation", amountCny: 1234.5, when: day("2026-11-20") },
  ],
  [
    "库存 大药房 感冒灵 24盒 维C 10",
    "stock",
    {
      customerIds: ["p-dyf"],
      productIds: ["gml", "vc"],
      quantityLines: [
        { productId: "gml", quantity: 24, unit: "盒", matched: "感冒灵 24盒" },
        { productId: "vc", quantity: 10, matched: "维C 10" },
      ],
    },
  ],
  ["同意Ｅ４２", "approve", { ref: "E42" }],
  ["驳回 e42 发票抬头不对", "reject", { ref: "E42", reason: "发票抬头不对" }],
  ["绑定 483920", "bind", { bindCode: "483920" }],
  ["不发 王建国", "skip", { skipName: "王建国", customerIds: ["d-wjg"] }],
  ["计划 明天", "plan", { when: day("2026-11-23") }],
  ["取消", "cancel", {}],
  ["上一步", "back", {}],
  ["English", "language", { language: "en" }],
];

const EN: Row[] = [
  [
    // Two Dr. Wangs work at Union: both are offered, the flow asks which.
    "visit Dr. Wang at Union yesterday rating 6 follow up next tue",
    "visit",
    { customerIds: ["d-wjg", "d-wl"], when: day("2026-11-21"), rating: 6, followUpOn: "2026-11-24" },
  ],
  [
    "visit Director Wang at PUMCH on monday by email, trial feedback",
    "visit",
    {
      customerIds: ["d-wjg"],
      when: day("2026-11-16"),
      method: "email",
      purposes: ["feedback", "trial"],
    },
  ],
  [
    "visited wangjianguo today 3pm in person promotion Ganmaoling rated 7/7",
    "visit",
    {
      customerIds: ["d-wjg"],
      when: { date: "2026-11-22", hour: 15, minute: 0, timeKnown: true },
      method: "in_person",
      purposes: ["promotion"],
      productIds: ["gml"],
      rating: 7,
    },
  ],
  [
    "visit John Smith phone call last friday feedback rating 4 follow-up 11/30",
    "visit",
    {
      customerIds: ["d-smith"],
      method: "phone",
      when: day("2026-11-13"),
      purposes: ["feedback"],
      rating: 4,
      followUpOn: "2026-11-30",
    },
  ],
  [
    "Visit professor li wechat competitor info amoxicillin rating 5 next step: send literature",
    "visit",
    {
      customerIds: ["d-lm"],
      method: "wechat",
      purposes: ["competitor"],
      productIds: ["amx"],
      rating: 5,
      nextStep: "send literature",
    },
  ],
  [
    "expense taxi 85 yesterday invoice 12345678",
    "expense",
    {
      expenseKind: "reimbursement",
      category: "transport",
      amountCny: 85,
      when: day("2026-11-21"),
      invoiceNo: "12345678",
    },
  ],
  [
    "expense dinner with Dr Wang ¥450.50 nov 20 invoice no. 99887766",
    "expense",
    {
      expenseKind: "reimbursement",
      category: "meals",
      amountCny: 450.5,
      when: day("2026-11-20"),
      invoiceNo: "99887766",
    },
  ],
  [
    "pre-approval conference 1.2k next monday",
    "expense",
    { expenseKind: "pre_approval", category: "conference", amountCny: 1200, when: day("2026-11-23") },
  ],
  [
    "stock Kangmei pharmacy Ganmaoling 24 boxes",
    "stock",
    {
      customerIds: ["p-dyf"],
      productIds: ["gml"],
      quantityLines: [{ productId: "gml", quantity: 24, unit: "box", matched: "Ganmaoling 24 boxes" }],
    },
  ],
  [
    "/stock Jointown Vitamin C 120, Amoxicillin 36 boxes",
    "stock",
    {
      customerIds: ["x-jzt"],
      quantityLines: [
        { productId: "vc", quantity: 120, matched: "Vitamin C 120" },
        { productId: "amx", quantity: 36, unit: "box", matched: "Amoxicillin 36 boxes" },
      ],
    },
  ],
  ["APPROVE e42", "approve", { ref: "E42" }],
  ["reject E42 over the per-head cap", "reject", { ref: "E42", reason: "over the per-head cap" }],
  ["bind ab12cd", "bind", { bindCode: "ab12cd" }],
  ["skip John Smith", "skip", { skipName: "John Smith", customerIds: ["d-smith"] }],
  ["plan tomorrow", "plan", { when: day("2026-11-23") }],
  ["customers union", "customers", { customerIds: ["h-pumch"] }],
  ["help", "help", {}],
  ["中文", "language", { language: "zh-CN" }],
];

describe("understandLine (zh-CN)", () => {
  it.each(ZH)("%s", (text, intent, slots) => {
    const r = understandLine(text, opts("zh-CN"));
    expect(r.intent).toBe(intent);
    expect(r.slots).toMatchObject(slots);
  });
});

describe("understandLine (en)", () => {
  it.each(EN)("%s", (text, intent, slots) => {
    const r = understandLine(text, opts("en"));
    expect(r.intent).toBe(intent);
    expect(r.slots).toMatchObject(slots);
  });
});

describe("understandLine details", () => {
  it("keeps the customer words as customerQuery and leaves nothing unexplained", () => {
    const r = understandLine("拜访 协和 王主任 昨天 评级6 下周二复访", opts("zh-CN"));
    expect(r.slots.customerQuery).toBe("协和 王主任");
    expect(r.rest).toBe("");
    expect(r.slots.when?.matched).toBe("昨天");
  });

  it("offers every 王 when the line does not say which", () => {
    const r = understandLine("拜访 王 昨天", opts("zh-CN"));
    expect(r.slots.customerIds?.sort()).toEqual(["d-wjg", "d-wl", "d-wq"]);
  });

  it("leaves an out-of-range rating for the flow to ask again", () => {
    const r = understandLine("拜访 王建国 评级9", opts("zh-CN"));
    expect(r.slots.rating).toBeUndefined();
    expect(r.rest).toContain("评级9");
  });

  it("reads an answer inside a flow without a command word", () => {
    const r = understandLine("昨天 评级6", opts("zh-CN"));
    expect(r).toMatchObject({ intent: null, slots: { when: day("2026-11-21"), rating: 6 } });
  });

  it("in an expense, a lone 11.25 is the amount, not a date", () => {
    const r = understandLine("报销 打车 11.25", opts("zh-CN"));
    expect(r.slots).toEqual({ expenseKind: "reimbursement", category: "transport", amountCny: 11.25 });
  });

  it("rejects an amount with more than 2 decimals instead of rounding it", () => {
    expect(understandLine("报销 打车 12.345元", opts("zh-CN")).slots.amountCny).toBeUndefined();
  });

  it("reports stock fragments it could not read", () => {
    const r = understandLine("库存 大药房 感冒灵 24盒, 板蓝根 5盒", opts("zh-CN"));
    expect(r.slots.quantityErrors).toEqual([{ fragment: "板蓝根 5盒", reason: "unknown_product" }]);
  });
});
