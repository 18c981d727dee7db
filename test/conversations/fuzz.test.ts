import { count, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage, TurnResult } from "../../src/bot/platform";
import { customers, expenses, stockLines, stockReports, visits } from "../../src/db/schema";
import { type ChatWorld, chatWorld } from "../helpers/chat";

/**
 * 10,000 random and hostile messages across every step of every flow, through one engine
 * on one database. Every message gets a reply, nothing throws (nor hits the engine's
 * internal-error net), only complete records are stored, and the session stays usable.
 */
const RUNS = 200;
const PER_RUN = 50;
const TOTAL = RUNS * PER_RUN;

type Who = "rep" | "repEn" | "manager";

type Input =
  | { kind: "text"; text: string }
  | { kind: "action"; id: string }
  | { kind: "pick"; index: number } // a choice on screen, as a tap
  | { kind: "typedPick"; index: number } // the same, typed as its number
  | { kind: "valid"; index: number } // a plausible answer to the current step
  | { kind: "attachment"; bytes: Uint8Array; text?: string }
  | { kind: "long"; name: string }
  | { kind: "idle" }; // 31 minutes pass before the next message

const STARTS = [
  "拜访",
  "库存",
  "报销",
  "费用申请",
  "计划",
  "审批",
  "客户 王",
  "客户",
  "visit",
  "stock",
  "expense",
  "expense request",
  "plan",
  "approvals",
  "customers wang",
  "拜访 协和 王主任 昨天 评级6 下周二复访",
  "拜访 王",
  "拜访 王主任 昨天",
  "visit Wang Wei yesterday rating 5",
  "库存 康美 感冒灵 24盒, 维C 10",
  "库存 九州通",
  "报销 餐费 320元 昨天 发票12345678",
  "报销 招待 900元 昨天",
  "expense taxi 85 yesterday invoice 87654321",
  "同意E1",
  "同意Ｅ２",
  "驳回 E1 发票不对",
  "reject e2 wrong title",
  "approve E3",
  "绑定 ABC123",
  "不发 王主任",
  "skip Wang Wei",
];
const GLOBALS = [
  "取消",
  "上一步",
  "继续",
  "帮助",
  "English",
  "中文",
  "cancel",
  "back",
  "continue",
  "help",
  "?",
];
const HOSTILE = [
  "",
  " ",
  "   \t  ",
  "\n\n\n",
  "'; DROP TABLE visits; --",
  "1; DELETE FROM expenses WHERE 1=1",
  '" OR "1"="1',
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "</b><b>评级6</b>",
  "😀😀😀🔥💊",
  "👨‍⚕️ 王主任 👍",
  "ＡＢＣ１２３　拜访　协和　王主任　昨天　评级６",
  "ｅｘｐｅｎｓｅ　ｔａｘｉ　８５",
  "评级99",
  "评级0",
  "rating -3",
  "-5元",
  "0元",
  "¥1,234.567",
  "99999999999999999999元",
  "1e309",
  "NaN",
  "Infinity",
  "2026-02-30",
  "9999-99-99",
  "13月45日",
  "下下下下周二",
  "\u0000\u0001\u0002",
  "\u202e反转文字",
  "\u200b\u200b\u200b",
  "%s%s%s%n",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection attempt, typed as text
  "${process.exit(1)}",
  "{{constructor.constructor('return 1')()}}",
  "__proto__",
  "constructor",
];
/** Long inputs, named in counterexamples and built when sent. */
const LONG: Record<string, () => string> = {
  "10k 拜访": () => "拜访".repeat(5000),
  "10k x": () => "x".repeat(10_240),
  "3990 words": () => "王主任 昨天 评级6 ".repeat(300).slice(0, 3990), // just under the length limit
  "4000 digits": () => "1".repeat(4000),
  "600-digit invoice": () => `发票 ${"9".repeat(600)}`,
  "stock 3000": () => `库存 康美 ${"感冒灵 24盒, ".repeat(250)}`.slice(0, 3000),
};
const ACTIONS = [
  "confirm",
  "cancel",
  "edit",
  "c:nonexistent",
  "c:",
  "r:99",
  "r:-1",
  "r:abc",
  "m:teleport",
  "p:nothing",
  "pr:ghost",
  "d:9999-99-99",
  "d:2026-11-23",
  "d:",
  "opt:nonexistent",
  "opt:__proto__",
  "opt:constructor",
  "opt:budget",
  "kind:bribe",
  "category:__proto__",
  "receipt:skip",
  "start:visit",
  "start:visit:nope",
  "start:visit:nope:badplan",
  "start:stock",
  "start:expense",
  "start:teleport",
  "approval:approve:nope",
  "approval:reject:nope",
  "approval:maybe:x",
  "care:skip:nope:2026-11-24",
  "care:skip:x:2026-13-45",
  "plan:visit:nope",
  "",
  ":::",
  "start:",
  "x".repeat(1900),
];
/** Plausible answers per step, so that random sequences reach every step and complete records. */
const VALID: Record<string, string[]> = {
  customer: ["王主任", "协和 王", "李明", "wjg", "Wang Wei", "赵丽", "王"],
  when: ["昨天", "今天上午10点", "11月20日", "yesterday 3pm", "今天 评级6", "前天"],
  rating: ["6", "评级5", "rating 7", "3分", "1"],
  method: ["电话", "微信", "in person"],
  purposes: ["推广", "竞品, 反馈", "follow up"],
  products: ["感冒灵", "维C, 阿莫西林", "Vitamin C"],
  notes: ["主任很忙", "notes here"],
  nextStep: ["送样品", "send samples"],
  followUpOn: ["下周二", "next friday", "12月1日"],
  store: ["康美", "九州通", "老百姓大药房", "Guardian"],
  lines: ["感冒灵 24盒, 维C 10", "阿莫西林 300", "维C 0", "Ganmaoling 5 boxes"],
  date: ["昨天", "今天", "11月20日"],
  kind: ["报销", "1", "2"],
  category: ["餐费", "打车", "招待", "住宿"],
  amount: ["320", "¥85.50", "一千二", "1.2k", "60"],
  invoiceNo: ["12345678", "INV-2026-001", "99990000", "ABC12345"],
  attendees: ["王主任, 李医生", "王主任"],
  receipt: ["跳过", "skip"],
  description: ["出差", "taxi to hospital"],
  reason: ["发票不对", "wrong title"],
  confirm: ["确认", "confirm", "修改", "下周二复访", "取消"],
  edit: ["1", "2", "3"],
};

const input: fc.Arbitrary<Input> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...STARTS).map((text) => ({ kind: "text" as const, text })) },
  { weight: 5, arbitrary: fc.constantFrom(...GLOBALS).map((text) => ({ kind: "text" as const, text })) },
  { weight: 30, arbitrary: fc.nat(50).map((index) => ({ kind: "valid" as const, index })) },
  { weight: 14, arbitrary: fc.nat(50).map((index) => ({ kind: "pick" as const, index })) },
  { weight: 4, arbitrary: fc.nat(50).map((index) => ({ kind: "typedPick" as const, index })) },
  { weight: 10, arbitrary: fc.constantFrom(...HOSTILE).map((text) => ({ kind: "text" as const, text })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...Object.keys(LONG)).map((name) => ({ kind: "long" as const, name })),
  },
  { weight: 6, arbitrary: fc.constantFrom(...ACTIONS).map((id) => ({ kind: "action" as const, id })) },
  {
    weight: 6,
    arbitrary: fc
      .oneof(
        fc.string({ maxLength: 60 }),
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.integer({ min: -1e9, max: 1e9 }).map(String),
        fc.double().map(String),
        fc
          .array(fc.constantFrom("拜访", "王", "昨天", "评级", "7", "元", "发票", "盒", "维C", "，", " "), {
            maxLength: 12,
          })
          .map((a) => a.join("")),
      )
      .map((text) => ({ kind: "text" as const, text })),
  },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.string({ maxLength: 30 }),
        fc.uuid().map((u) => `c:${u}`),
        fc.uuid().map((u) => `start:visit:${u}`),
      )
      .map((id) => ({ kind: "action" as const, id })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        bytes: fc.uint8Array({ maxLength: 4096 }),
        text: fc.option(fc.constantFrom("票据", "", "照片"), { nil: undefined }),
      })
      .map((a) => ({ kind: "attachment" as const, ...a })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "idle" as const }) },
);

describe("the engine under random and hostile input", () => {
  const clock = { t: Date.parse("2026-11-23T02:00:00Z") }; // Monday 10:00 Shanghai
  let w: ChatWorld;
  let n = 0;
  /** What the engine logged as a failed turn (its safety net answers "sorry" instead). */
  const failures: unknown[] = [];
  const log = pino({ level: "error" }, { write: (line: string) => void failures.push(JSON.parse(line)) });
  beforeAll(async () => {
    w = await chatWorld(() => new Date(clock.t), { log });
    // Approvals for the manager to decide (E1…), and a plan to tap.
    for (const line of ["报销 餐费 320元 昨天 发票70000001", "报销 打车 85元 昨天 发票70000002"]) {
      await w.say(w.ids.rep, line);
      await w.say(w.ids.rep, "跳过");
      await w.say(w.ids.rep, "确认");
    }
    await w.plan(w.ids.rep, w.ids.wang, "2026-11-23");
  });
  afterAll(() => w.cleanup());

  const last = new Map<string, TurnResult>();
  const reached = new Set<string>();

  const toMessage = (userId: string, x: Input): InboundMessage | null => {
    const base = { platform: "api" as const, eventId: `fz${++n}`, userId };
    const prev = last.get(userId);
    const choices = prev?.replies.at(-1)?.choices ?? [];
    switch (x.kind) {
      case "text":
        return { ...base, text: x.text };
      case "action":
        return { ...base, action: { id: x.id } };
      case "pick":
        return choices.length
          ? { ...base, action: { id: choices[x.index % choices.length].id } }
          : { ...base, text: "1" };
      case "typedPick":
        return { ...base, text: String((x.index % Math.max(choices.length, 1)) + 1) };
      case "valid": {
        const options = VALID[prev?.session.step ?? ""] ?? STARTS;
        return { ...base, text: options[x.index % options.length] };
      }
      case "attachment":
        return {
          ...base,
          text: x.text,
          attachment: { kind: "image", bytes: Buffer.from(x.bytes), mime: "image/jpeg" },
        };
      case "long":
        return { ...base, text: LONG[x.name]() };
      case "idle":
        return null;
    }
  };

  /** Today in Shanghai on the test clock (idle inputs move it on). */
  const today = () => new Date(clock.t + 8 * 3600_000).toISOString().slice(0, 10);

  const INTERNAL = /抱歉，处理时出错了|Sorry, something went wrong/;

  /** Only complete records: every stored row satisfies what a finished flow guarantees. */
  const checkRecords = async () => {
    const db = w.database.db;
    const badVisits = await db
      .select({ id: visits.id })
      .from(visits)
      .leftJoin(customers, eq(customers.id, visits.customerId))
      .where(sql`${visits.rating} not between 1 and 7 or ${customers.id} is null or ${visits.repId} is null
        or ${visits.date} not glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' or ${visits.date} > ${today()}`);
    expect(badVisits).toEqual([]);
    const badExpenses = await db
      .select({ id: expenses.id, ref: expenses.ref, amount: expenses.amountCny })
      .from(expenses)
      .where(sql`${expenses.ref} not glob 'E[0-9]*' or ${expenses.amountCny} <= 0
        or round(${expenses.amountCny} * 100) != ${expenses.amountCny} * 100
        or (${expenses.kind} = 'reimbursement' and ${expenses.invoiceNo} is null)
        or (${expenses.category} = 'hospitality' and ${expenses.attendees} = '[]')`);
    expect(badExpenses).toEqual([]);
    const emptyReports = await db
      .select({ id: stockReports.id })
      .from(stockReports)
      .leftJoin(stockLines, eq(stockLines.reportId, stockReports.id))
      .where(sql`${stockLines.id} is null`);
    expect(emptyReports).toEqual([]);
    const badLines = await db
      .select({ id: stockLines.id })
      .from(stockLines)
      .where(sql`${stockLines.quantity} < 0 or ${stockLines.quantity} > 1e9`);
    expect(badLines).toEqual([]);
  };

  const counts = async () => {
    const db = w.database.db;
    const [v] = await db.select({ n: count() }).from(visits);
    const [e] = await db.select({ n: count() }).from(expenses);
    const [s] = await db.select({ n: count() }).from(stockReports);
    return { visits: v.n, expenses: e.n, stock: s.n };
  };

  it("answers 10,000 random and hostile messages without an error and stores only complete records", async () => {
    let sent = 0;
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Who>("rep", "repEn", "manager", "rep", "rep", "repEn"),
        fc.array(input, { minLength: PER_RUN, maxLength: PER_RUN }),
        async (who, inputs) => {
          const userId = w.ids[who];
          for (const x of inputs) {
            sent++;
            const msg = toMessage(userId, x);
            if (!msg) {
              clock.t += 31 * 60_000;
              continue;
            }
            const r = await w.engine.handle(msg);
            const said = `${JSON.stringify(x).slice(0, 200)} at ${JSON.stringify(last.get(userId)?.session)}`;
            if (!r.replies.every((reply) => typeof reply.text === "string"))
              throw new Error(`a reply without text to ${said}`);
            if (!r.replies.some((reply) => reply.text.trim().length > 0))
              throw new Error(`no reply with text to ${said}: ${JSON.stringify(r).slice(0, 500)}`);
            if (INTERNAL.test(texts(r)) || failures.length)
              throw new Error(
                `turn failed on ${JSON.stringify(x).slice(0, 200)}: ${JSON.stringify(failures.at(-1))}`,
              );
            expect(["active", "completed", "cancelled", "idle"]).toContain(r.session.status);
            if (r.session.flow) reached.add(`${r.session.flow}:${r.session.step}`);
            last.set(userId, r);
          }
          await checkRecords();
        },
      ),
      { numRuns: RUNS, seed: 20261123, endOnFailure: true },
    );
    expect(sent).toBe(TOTAL);
    const after = await counts();
    // Complete records were stored along the way (the fuzz reaches the end of flows), never fewer.
    expect(after.visits).toBeGreaterThan(before.visits);
    expect(after.expenses).toBeGreaterThanOrEqual(before.expenses);
    expect(after.stock).toBeGreaterThan(before.stock);
    // Every step of every flow was reached.
    expect([...reached].sort()).toEqual(
      expect.arrayContaining([
        "visit:customer",
        "visit:when",
        "visit:rating",
        "visit:method",
        "visit:purposes",
        "visit:products",
        "visit:notes",
        "visit:nextStep",
        "visit:followUpOn",
        "visit:confirm",
        "visit:edit",
        "stock:store",
        "stock:lines",
        "stock:date",
        "stock:confirm",
        "expense:kind",
        "expense:category",
        "expense:amount",
        "expense:date",
        "expense:invoiceNo",
        "expense:attendees",
        "expense:receipt",
        "expense:description",
        "expense:confirm",
        "reject:reason",
      ]),
    );
  }, 240_000);

  it("leaves every session usable: cancel, then a one-line visit is logged", async () => {
    for (const who of ["rep", "repEn"] as const) {
      const en = who === "repEn";
      const before = (await counts()).visits;
      await w.say(w.ids[who], en ? "cancel" : "取消");
      const line = en ? "visit Wang Wei today rating 6" : "拜访 协和 王主任 今天 评级6";
      const first = await w.say(w.ids[who], line);
      expect(first.session).toMatchObject({ flow: "visit", step: "confirm" });
      const done = await w.say(w.ids[who], en ? "confirm" : "确认");
      expect(done.session.status).toBe("completed");
      expect((await counts()).visits).toBe(before + 1);
    }
  });
});

const texts = (r: TurnResult) => r.replies.map((x) => x.text).join("\n");
