import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../src/db/ids";
import {
  alerts,
  budgets,
  coverage,
  customers,
  expenses,
  importBatches,
  products,
  purchases,
  segments,
  visitProducts,
  visits,
} from "../../../src/db/schema";
import { addDays } from "../../../src/domain/dates";
import { startTestServer, type TestServer } from "../../helpers/app";
import { buildHierarchy, expectError, expectValidation, type Hierarchy } from "./fixtures";

/**
 * `GET /api/reports/{churn|expenses|coverage}` (sfe has its own file) over hand-built rows.
 * Today is D = 2026-06-01 in Shanghai. Every expected figure is worked out in the comments
 * from DOMAIN.md §6/§5/§8, not by the code under test.
 */
const D = "2026-06-01";
const NOW = new Date(`${D}T02:00:00.000Z`);
const ago = (n: number) => addDays(D, -n);

let server: TestServer;
let h: Hierarchy;
const c: Record<string, string> = {};
let productP: string;
let productQ: string;
let openAlert: string;
let seq = 0;
const stamp = () => new Date().toISOString();

const insertCustomer = async (
  fields: Partial<typeof customers.$inferInsert> & { kind: any; name: string; ownerId: string },
) => {
  const id = newId();
  await server.database.db
    .insert(customers)
    .values({ id, code: `C-${id}`, createdAt: stamp(), updatedAt: stamp(), ...fields });
  return id;
};
const insertPurchase = (
  buyerId: string,
  date: string,
  quantity: number,
  amountCny: number,
  sellerId: string | null = null,
) => {
  const id = newId();
  return server.database.db.insert(purchases).values({
    id,
    sellerId,
    buyerId,
    productId: productP,
    date,
    quantity,
    amountCny,
    source: sellerId ? "flow" : "erp",
    naturalKey: id,
    createdAt: stamp(),
    updatedAt: stamp(),
  });
};
const insertExpense = (
  repId: string,
  category: "meals" | "travel" | "transport" | "hospitality",
  amountCny: number,
  status: "pending" | "approved" | "rejected" | "cancelled",
  date = "2026-05-10",
  kind: "reimbursement" | "pre_approval" = "reimbursement",
) => {
  seq += 1;
  return server.database.db.insert(expenses).values({
    id: newId(),
    seq,
    ref: `E${seq}`,
    repId,
    kind,
    category,
    amountCny,
    date,
    status,
    createdAt: stamp(),
    updatedAt: stamp(),
  });
};
const insertBudget = (repId: string, category: string, amountCny: number, month = "2026-05") =>
  server.database.db
    .insert(budgets)
    .values({ id: newId(), repId, month, category, amountCny, createdAt: stamp(), updatedAt: stamp() });
const insertCoverage = (
  customerId: string,
  productId: string,
  listed: boolean,
  reason: string | null = null,
) =>
  server.database.db
    .insert(coverage)
    .values({ customerId, productId, listed, reason, updatedAt: stamp(), updatedBy: "fixture" });

const get = (path: string, token: string) => server.request("GET", path, token);
const byCustomer = (rows: { customerId: string }[]) =>
  [...rows].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
const byRepCategory = (rows: { repId: string; category: string }[]) =>
  [...rows].sort((a, b) => `${a.repId}|${a.category}`.localeCompare(`${b.repId}|${b.category}`));

/**
 * Churn fixture (defaults: cycle 30 days for pharmacies, 60 for hospitals; overdue > × 1.5,
 * upgraded > × 2.5; decline when the last 90 days < 60 % of the 90 before):
 *  overdue   repA1 pharmacy, one purchase D-46 (100): cycle 30, silence 46 > 45 → overdue; last90 100
 *  edge      repA1 pharmacy, one purchase D-45: silence 45 = 45 → not listed
 *  returned  repA1 pharmacy, D-50 +10 (100); D-10 +5 (50) and −5 (−50) net 0 → no event that day:
 *            last purchase D-50, silence 50 → overdue; last90 100
 *  silent    repA2 hospital, one purchase D-151 (500): cycle 60, 151 > 150 → upgraded;
 *            previous90 500, last90 0 → declining too
 *  declining repB1 pharmacy, D-150 (1000), D-60 (250), D-30 (250), D-5 (99): intervals 90, 30, 25
 *            → cycle 30, silence 5; last90 599 < 600 = 60 % of 1000 → decline only
 *  sixty     repB1 pharmacy, D-150 (1000), D-60 (300), D-30 (200), D-5 (100): last90 600 = 60 % → not listed
 *  flowfed   repA2 pharmacy, bought D-70 (100) from the distributor, whose flow data covers up
 *            to D-20: silence counted to D-20 = 50 → overdue, asOf D-20; last90 to D-20: 100
 *  flowok    repA2 pharmacy, bought D-60 from the distributor: silence to D-20 = 40 → not listed
 *  doctor    repA1 doctor with a purchase D-200: doctors do not buy — never listed (统方)
 */
const buildChurn = async () => {
  const pharmacy = (name: string, ownerId: string) => insertCustomer({ kind: "pharmacy", name, ownerId });
  c.overdue = await pharmacy("过期药店", h.repA1.id);
  c.edge = await pharmacy("正好药店", h.repA1.id);
  c.returned = await pharmacy("退货药店", h.repA1.id);
  c.silent = await insertCustomer({ kind: "hospital", name: "沉寂医院", ownerId: h.repA2.id });
  c.declining = await pharmacy("下滑药店", h.repB1.id);
  c.sixty = await pharmacy("持平药店", h.repB1.id);
  c.flowfed = await pharmacy("流向药店", h.repA2.id);
  c.flowok = await pharmacy("流向正常药店", h.repA2.id);
  c.distributor = await insertCustomer({ kind: "distributor", name: "国药控股", ownerId: h.repB1.id });
  c.doctor = await insertCustomer({ kind: "doctor", name: "刘统方医生", ownerId: h.repA1.id });
  await insertPurchase(c.overdue, ago(46), 10, 100);
  await insertPurchase(c.edge, ago(45), 10, 100);
  await insertPurchase(c.returned, ago(50), 10, 100);
  await insertPurchase(c.returned, ago(10), 5, 50);
  await insertPurchase(c.returned, ago(10), -5, -50);
  await insertPurchase(c.silent, ago(151), 10, 500);
  for (const [n, amount] of [
    [150, 1000],
    [60, 250],
    [30, 250],
    [5, 99],
  ])
    await insertPurchase(c.declining, ago(n), 10, amount);
  for (const [n, amount] of [
    [150, 1000],
    [60, 300],
    [30, 200],
    [5, 100],
  ])
    await insertPurchase(c.sixty, ago(n), 10, amount);
  await insertPurchase(c.flowfed, ago(70), 10, 100, c.distributor);
  await insertPurchase(c.flowok, ago(60), 10, 100, c.distributor);
  await server.database.db.insert(importBatches).values({
    id: newId(),
    kind: "purchases",
    source: "flow",
    sellerId: c.distributor,
    asOf: ago(20),
    by: "fixture",
    createdAt: stamp(),
  });
  await insertPurchase(c.doctor, ago(200), 30, 3000);
  // An open alert for one of them, and a closed one that must not be listed.
  openAlert = newId();
  const alertRow = (id: string, customerId: string, repId: string, closedAt: string | null) =>
    server.database.db.insert(alerts).values({
      id,
      type: "churn_overdue",
      customerId,
      repId,
      severity: "warn",
      level: "overdue",
      openedAt: stamp(),
      openedOn: ago(1),
      closedAt,
      data: {},
      updatedAt: stamp(),
    });
  await alertRow(openAlert, c.overdue, h.repA1.id, null);
  await alertRow(newId(), c.silent, h.repA2.id, stamp());
};

const churnRow = (key: string, name: string, kind: string, ownerId: string, figures: object) => ({
  customerId: c[key],
  name,
  kind,
  ownerId,
  alertIds: [],
  ...figures,
});
const expectedChurn = () => ({
  overdue: churnRow("overdue", "过期药店", "pharmacy", h.repA1.id, {
    lastPurchase: ago(46),
    cycleDays: 30,
    silenceDays: 46,
    asOf: D,
    level: "overdue",
    previous90Cny: 0,
    last90Cny: 100,
    decline: false,
    alertIds: [openAlert],
  }),
  returned: churnRow("returned", "退货药店", "pharmacy", h.repA1.id, {
    lastPurchase: ago(50),
    cycleDays: 30,
    silenceDays: 50,
    asOf: D,
    level: "overdue",
    previous90Cny: 0,
    last90Cny: 100,
    decline: false,
  }),
  silent: churnRow("silent", "沉寂医院", "hospital", h.repA2.id, {
    lastPurchase: ago(151),
    cycleDays: 60,
    silenceDays: 151,
    asOf: D,
    level: "upgraded",
    previous90Cny: 500,
    last90Cny: 0,
    decline: true,
  }),
  flowfed: churnRow("flowfed", "流向药店", "pharmacy", h.repA2.id, {
    lastPurchase: ago(70),
    cycleDays: 30,
    silenceDays: 50,
    asOf: ago(20),
    level: "overdue",
    previous90Cny: 0,
    last90Cny: 100,
    decline: false,
  }),
  declining: churnRow("declining", "下滑药店", "pharmacy", h.repB1.id, {
    lastPurchase: ago(5),
    cycleDays: 30,
    silenceDays: 5,
    asOf: D,
    level: null,
    previous90Cny: 1000,
    last90Cny: 599,
    decline: true,
  }),
});

/**
 * Expenses fixture, May 2026 (budget − approved − pending = remaining, summed to the fen):
 *  repA1 meals: budget 1000; approved 0.1 + 0.2 + 40 (05-31) = 40.3; pending 300 (a pre-approval);
 *               rejected 50, cancelled 20, 04-30 and 06-01 not counted → remaining 659.7
 *  repA1 travel: budget 500, nothing spent → remaining 500
 *  repA2 transport: no budget, pending 12.5 → budget and remaining null
 *  repB1 meals: budget 200, approved 250 → remaining −50
 *  districtA hospitality: no budget, approved 100 (a manager's own expense)
 */
const buildExpenses = async () => {
  await insertBudget(h.repA1.id, "meals", 1000);
  await insertBudget(h.repA1.id, "travel", 500);
  await insertBudget(h.repB1.id, "meals", 200);
  await insertBudget(h.repB1.id, "meals", 9999, "2026-04");
  await insertExpense(h.repA1.id, "meals", 0.1, "approved");
  await insertExpense(h.repA1.id, "meals", 0.2, "approved");
  await insertExpense(h.repA1.id, "meals", 40, "approved", "2026-05-31");
  await insertExpense(h.repA1.id, "meals", 300, "pending", "2026-05-01", "pre_approval");
  await insertExpense(h.repA1.id, "meals", 50, "rejected");
  await insertExpense(h.repA1.id, "meals", 20, "cancelled");
  await insertExpense(h.repA1.id, "meals", 80, "approved", "2026-04-30");
  await insertExpense(h.repA1.id, "meals", 70, "approved", "2026-06-01");
  await insertExpense(h.repA2.id, "transport", 12.5, "pending");
  await insertExpense(h.repB1.id, "meals", 250, "approved");
  await insertExpense(h.districtA.id, "hospitality", 100, "approved");
};
const expenseRow = (repId: string, name: string, category: string, f: object) => ({
  repId,
  name,
  month: "2026-05",
  category,
  ...f,
});
const expectedExpenses = () => ({
  a1meals: expenseRow(h.repA1.id, "王小明", "meals", {
    budgetCny: 1000,
    approvedCny: 40.3,
    pendingCny: 300,
    remainingCny: 659.7,
  }),
  a1travel: expenseRow(h.repA1.id, "王小明", "travel", {
    budgetCny: 500,
    approvedCny: 0,
    pendingCny: 0,
    remainingCny: 500,
  }),
  a2transport: expenseRow(h.repA2.id, "李娜", "transport", {
    budgetCny: null,
    approvedCny: 0,
    pendingCny: 12.5,
    remainingCny: null,
  }),
  b1meals: expenseRow(h.repB1.id, "张伟", "meals", {
    budgetCny: 200,
    approvedCny: 250,
    pendingCny: 0,
    remainingCny: -50,
  }),
  managerHospitality: expenseRow(h.districtA.id, "上海北区经理", "hospitality", {
    budgetCny: null,
    approvedCny: 100,
    pendingCny: 0,
    remainingCny: null,
  }),
});

/**
 * Coverage fixture for product P (targets: hospitals of any grade, pharmacies graded A–C):
 *  H1 repA1 hospital listed · H2 repB1 hospital blank "=HYPERLINK(…)" · S1 repA2 pharmacy A, nothing
 *  recorded (blank, no reason) · not targets: S2 repA1 pharmacy D (no sales of ours), H3 repA1
 *  erased hospital, H4 repA1 inactive hospital, the doctor (with a coverage row); the churn
 *  fixture's hospital 沉寂医院 (repA2) is a target too (blank, no reason); its pharmacies have
 *  no sales figures, so grade D, not targets
 *  → everyone: targets 3 + 1 = 4, listed 1, blank 3 (2 without a reason), rate 0.75
 *  → repA1: targets 1 hospital, listed 1, blank 0, rate 0
 */
const INJECTION = '=HYPERLINK("http://x","点我")';
const buildCoverage = async () => {
  c.H1 = await insertCustomer({ kind: "hospital", name: "瑞金医院", ownerId: h.repA1.id, beds: 600 });
  c.H2 = await insertCustomer({ kind: "hospital", name: "浙一医院", ownerId: h.repB1.id });
  c.S1 = await insertCustomer({
    kind: "pharmacy",
    name: "大参林",
    ownerId: h.repA2.id,
    monthlySalesCny: 600_000,
    ourMonthlySalesCny: 20_000,
  });
  c.S2 = await insertCustomer({
    kind: "pharmacy",
    name: "老百姓",
    ownerId: h.repA1.id,
    monthlySalesCny: 600_000,
    ourMonthlySalesCny: 0,
  });
  c.H3 = await insertCustomer({
    kind: "hospital",
    name: "已删除医院",
    ownerId: h.repA1.id,
    erasedAt: stamp(),
  });
  c.H4 = await insertCustomer({ kind: "hospital", name: "停用医院", ownerId: h.repA1.id, active: false });
  await insertCoverage(c.H1, productP, true);
  await insertCoverage(c.H2, productP, false, INJECTION);
  await insertCoverage(c.S2, productP, false, "不进");
  await insertCoverage(c.H3, productP, false, "价格");
  await insertCoverage(c.H4, productP, false, "价格");
  await insertCoverage(c.doctor, productP, false, "价格");
};

beforeAll(async () => {
  server = await startTestServer({}, { now: () => NOW });
  h = await buildHierarchy(server);
  productP = newId();
  productQ = newId();
  await server.database.db.insert(products).values([
    { id: productP, code: "P", name: "欣泰宁", createdAt: stamp(), updatedAt: stamp() },
    { id: productQ, code: "Q", name: "停产药", active: false, createdAt: stamp(), updatedAt: stamp() },
  ]);
  await buildChurn();
  await buildExpenses();
  await buildCoverage();
});
afterAll(() => server.close());

describe("GET /api/reports/churn", () => {
  it("lists every customer overdue or declining today with the figures of DOMAIN.md §6", async () => {
    const res = await get("/api/reports/churn", h.admin.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.date).toBe(D);
    expect(byCustomer(res.body.customers)).toEqual(byCustomer(Object.values(expectedChurn())));
  });

  it("scopes it: a rep their book, a manager the team's, admin, finance and the regional head all", async () => {
    const e = expectedChurn();
    const cases: [string, object[]][] = [
      [h.repA1.token, [e.overdue, e.returned]],
      [h.repA2.token, [e.silent, e.flowfed]],
      [h.repB1.token, [e.declining]],
      [h.districtA.token, [e.overdue, e.returned, e.silent, e.flowfed]],
      [h.districtB.token, [e.declining]],
      [h.regional.token, Object.values(e)],
      [h.finance.token, Object.values(e)],
    ];
    for (const [token, rows] of cases) {
      const res = await get("/api/reports/churn", token);
      expect(res.status).toBe(200);
      expect(byCustomer(res.body.customers)).toEqual(byCustomer(rows as { customerId: string }[]));
    }
  });

  it("narrows by managerId and repId, and refuses either outside the actor's scope", async () => {
    const e = expectedChurn();
    const team = await get(`/api/reports/churn?managerId=${h.districtB.id}`, h.admin.token);
    expect(team.body.customers).toEqual([e.declining]);
    const one = await get(`/api/reports/churn?repId=${h.repA2.id}`, h.districtA.token);
    expect(byCustomer(one.body.customers)).toEqual(byCustomer([e.silent, e.flowfed]));
    expectError(await get(`/api/reports/churn?repId=${h.repB1.id}`, h.districtA.token), 403, "forbidden");
    expectError(
      await get(`/api/reports/churn?managerId=${h.districtB.id}`, h.districtA.token),
      403,
      "forbidden",
    );
    expectError(await get(`/api/reports/churn?repId=${h.repA2.id}`, h.repA1.token), 403, "forbidden");
  });

  it("writes the same rows as CSV, an empty cell for no level", async () => {
    const res = await server.raw(`/api/reports/churn?format=csv&repId=${h.repB1.id}`, h.admin.token);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe("text/csv; charset=utf-8");
    expect(res.bytes.subarray(3).toString("utf8").split("\r\n")).toEqual([
      "customerId,name,kind,ownerId,level,decline,lastPurchase,cycleDays,silenceDays,asOf,previous90Cny,last90Cny,alertIds",
      `${c.declining},下滑药店,pharmacy,${h.repB1.id},,true,${ago(5)},30,5,${D},1000,599,`,
      "",
    ]);
  });
});

describe("GET /api/reports/expenses", () => {
  it("sums budget, approved, pending and remaining per rep and category for the month, to the fen", async () => {
    const res = await get("/api/reports/expenses?month=2026-05", h.finance.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.month).toBe("2026-05");
    expect(byRepCategory(res.body.rows)).toEqual(byRepCategory(Object.values(expectedExpenses())));
    // 1000 + 500 + 200; 40.3 + 250 + 100; 300 + 12.5
    expect(res.body.total).toEqual({ budgetCny: 1700, approvedCny: 390.3, pendingCny: 312.5 });
  });

  it("scopes it like every report: a rep alone, a manager's team and self, finance and admin all", async () => {
    const e = expectedExpenses();
    const mine = await get("/api/reports/expenses?month=2026-05", h.repA1.token);
    expect(byRepCategory(mine.body.rows)).toEqual(byRepCategory([e.a1meals, e.a1travel]));
    expect(mine.body.total).toEqual({ budgetCny: 1500, approvedCny: 40.3, pendingCny: 300 });
    const team = await get("/api/reports/expenses?month=2026-05", h.districtA.token);
    expect(byRepCategory(team.body.rows)).toEqual(
      byRepCategory([e.a1meals, e.a1travel, e.a2transport, e.managerHospitality]),
    );
    const south = await get("/api/reports/expenses?month=2026-05", h.districtB.token);
    expect(south.body.rows).toEqual([e.b1meals]);
    const admin = await get(`/api/reports/expenses?month=2026-05&repId=${h.repB1.id}`, h.admin.token);
    expect(admin.body.rows).toEqual([e.b1meals]);
    expectError(await get(`/api/reports/expenses?repId=${h.repA2.id}`, h.repA1.token), 403, "forbidden");
  });

  it("answers an empty month with empty rows and zero totals", async () => {
    const res = await get("/api/reports/expenses?month=2026-07", h.admin.token);
    expect(res.body).toEqual({
      month: "2026-07",
      rows: [],
      total: { budgetCny: 0, approvedCny: 0, pendingCny: 0 },
    });
  });
});

describe("GET /api/reports/coverage", () => {
  it("counts active, not erased hospitals and A–C pharmacies only", async () => {
    const res = await get("/api/reports/coverage", h.admin.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.asOf).toBe(D);
    expect(res.body.products).toHaveLength(1);
    expect(res.body.products[0]).toEqual({
      productId: productP,
      name: "欣泰宁",
      targets: { hospitals: 3, pharmacies: 1, total: 4 },
      listed: 1,
      blank: 3,
      blankRate: 0.75,
      reasons: [
        { reason: null, count: 2 },
        { reason: INJECTION, count: 1 },
      ],
    });
    const mine = await get("/api/reports/coverage", h.repA1.token);
    expect(mine.body.products[0]).toMatchObject({
      targets: { hospitals: 1, pharmacies: 0, total: 1 },
      listed: 1,
      blank: 0,
      blankRate: 0,
      reasons: [],
    });
  });

  it("reports an inactive product only when asked for it", async () => {
    const res = await get(`/api/reports/coverage?productId=${productQ}`, h.admin.token);
    expect(res.body.products).toMatchObject([
      { productId: productQ, targets: { total: 4 }, listed: 0, blank: 4, blankRate: 1 },
    ]);
  });

  it("defuses a reason Excel would run as a formula in the CSV", async () => {
    const res = await server.raw(`/api/reports/coverage?format=csv&repId=${h.repB1.id}`, h.admin.token);
    const lines = res.bytes.subarray(3).toString("utf8").split("\r\n");
    expect(lines[1]).toBe(`${productP},欣泰宁,1,0,1,0,1,1,"'=HYPERLINK(""http://x"",""点我"") (1)"`);
  });
});

describe("every report", () => {
  /** Every key and string value of a JSON document. */
  const words = (v: unknown, out: string[] = []): string[] => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) for (const x of v) words(x, out);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        words(x, out);
      }
    return out;
  };

  it("shows a rep or a manager nothing about an individual doctor's purchases or prescriptions (统方)", async () => {
    // The doctor has a purchase, a segment, a visit and a coverage row: all must stay aggregated.
    await server.database.db.insert(segments).values({
      customerId: c.doctor,
      productId: productP,
      usage: 3,
      potential: 4,
      updatedAt: stamp(),
      updatedBy: "x",
    });
    const visitId = newId();
    await server.database.db.insert(visits).values({
      id: visitId,
      repId: h.repA1.id,
      customerId: c.doctor,
      at: "2026-05-12T02:00:00.000Z",
      date: "2026-05-12",
      timeKnown: true,
      rating: 6,
      createdAt: stamp(),
      updatedAt: stamp(),
    });
    await server.database.db.insert(visitProducts).values({ visitId, productId: productP });
    for (const token of [h.repA1.token, h.districtA.token, h.regional.token])
      for (const report of ["sfe", "coverage", "churn", "expenses"]) {
        const res = await get(`/api/reports/${report}?month=2026-05`, token);
        expect(res.status, report).toBe(200);
        const all = words(res.body);
        expect(all.includes(c.doctor), `${report} names the doctor`).toBe(false);
        expect(all.includes("刘统方医生"), `${report} names the doctor`).toBe(false);
        expect(
          all.filter((w) => /prescri|处方|统方/i.test(w)),
          report,
        ).toEqual([]);
      }
    // The visit is counted, only as part of the rep's totals.
    const sfe = await get("/api/reports/sfe?month=2026-05", h.repA1.token);
    expect(sfe.body.team.calls).toBe(1);
  });

  it.each(["sfe", "coverage", "churn", "expenses"])(
    "/%s validates its query, naming the field",
    async (report) => {
      for (const [query, field] of [
        ["month=2026-13", "month"],
        ["month=26-05", "month"],
        ["format=xlsx", "format"],
        ["repId=", "repId"],
      ])
        expectValidation(await get(`/api/reports/${report}?${query}`, h.admin.token), field);
      expect((await server.request("GET", `/api/reports/${report}`)).status).toBe(401);
    },
  );

  it("takes the current month and date in the company time zone", async () => {
    // 2026-03-31T16:30Z is already 1 April in Shanghai.
    const late = await startTestServer({}, { now: () => new Date("2026-03-31T16:30:00.000Z") });
    try {
      const admin = (await buildHierarchy(late)).admin.token;
      const req = (p: string) => late.request("GET", p, admin);
      expect((await req("/api/reports/expenses")).body.month).toBe("2026-04");
      expect((await req("/api/reports/sfe")).body.month).toBe("2026-04");
      expect((await req("/api/reports/coverage")).body.asOf).toBe("2026-04-01");
      expect((await req("/api/reports/churn")).body.date).toBe("2026-04-01");
    } finally {
      await late.close();
    }
  });
});
