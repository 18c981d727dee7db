import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adjustments, alerts, monthCloses, stockLines, stockReports } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  auditRowsOf,
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  walkPages,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;
let pharmacyA1: any; // owned by repA1
let pharmacyA2: any; // owned by repA2
let distributorB1: any; // owned by repB1
let hospitalA1: any; // owned by repA1: not a store
let xtn: any;
let mtf: any;
/** The filter fixtures, by name. */
const r: Record<string, any> = {};

const CONTRACT_FIELDS = ["id", "repId", "customerId", "date", "lines", "findings"];

const customer = async (token: string, body: object) => {
  const res = await server.request("POST", "/api/customers", token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const report = async (token: string, body: object) => {
  const res = await server.request("POST", "/api/stock-reports", token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const purchase = async (body: object) => {
  const res = await server.request("POST", "/api/purchases", h.admin.token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const reportCount = async () => (await server.database.db.select().from(stockReports)).length;
const lineCount = async () => (await server.database.db.select().from(stockLines)).length;
const listOf = async (query: string, token = h.admin.token) => {
  const res = await server.request("GET", `/api/stock-reports?limit=500&${query}`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as any[];
};
const idsOf = (items: any[]) => items.map((i) => i.id).sort();

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
  pharmacyA1 = await customer(h.repA1.token, { kind: "pharmacy", name: "第一医药(南京东路店)" });
  pharmacyA2 = await customer(h.repA2.token, { kind: "pharmacy", name: "雷允上(西区店)" });
  distributorB1 = await customer(h.repB1.token, { kind: "distributor", name: "国药控股浙江有限公司" });
  hospitalA1 = await customer(h.repA1.token, { kind: "hospital", name: "复旦大学附属华山医院" });
  xtn = (await server.request("POST", "/api/products", h.admin.token, { name: "欣泰宁", code: "XTN" })).body;
  mtf = (await server.request("POST", "/api/products", h.admin.token, { name: "二甲双胍", code: "MTF" }))
    .body;

  // The company sold the distributor 200 XTN; it reports 20 → a discrepancy (2026-03).
  await purchase({ buyerId: distributorB1.id, productId: xtn.id, date: "2026-03-02", quantity: 200 });
  r.discrepancy = await report(h.repB1.token, {
    customerId: distributorB1.id,
    date: "2026-03-10",
    lines: [{ productId: xtn.id, quantity: 20, batch: "B2603", expiry: "2027-12-31" }],
  });
  // The pharmacy got XTN delivered and reports only MTF → XTN is out of stock (2026-03).
  await purchase({ buyerId: pharmacyA1.id, productId: xtn.id, date: "2026-03-05", quantity: 30 });
  r.stockOut = await report(h.repA1.token, {
    customerId: pharmacyA1.id,
    date: "2026-03-20",
    lines: [{ productId: mtf.id, quantity: 12 }],
  });
  // No findings (2026-04), one recorded by the district manager for repA2.
  r.clean = await report(h.repA2.token, {
    customerId: pharmacyA2.id,
    date: "2026-04-01",
    lines: [{ productId: mtf.id, quantity: 4 }],
  });
  r.byManager = await report(h.districtA.token, {
    repId: h.repA2.id,
    customerId: pharmacyA2.id,
    date: "2026-04-15",
    lines: [{ productId: mtf.id, quantity: 3 }],
  });
});
afterAll(() => server.close());

describe("stock reports: recording", () => {
  it("records a distributor's stock, answers 201 with the CONTRACT fields and the discrepancy found", () => {
    for (const f of CONTRACT_FIELDS) expect(r.discrepancy).toHaveProperty(f);
    expect(r.discrepancy).toMatchObject({
      id: expect.any(String),
      repId: h.repB1.id,
      customerId: distributorB1.id,
      date: "2026-03-10",
      lines: [{ productId: xtn.id, quantity: 20, batch: "B2603", expiry: "2027-12-31" }],
      findings: [{ productId: xtn.id, kind: "discrepancy", reported: 20, expected: 200 }],
      adjustment: false,
    });
  });

  it("reads a report back by id exactly as it was created", async () => {
    const res = await server.request("GET", `/api/stock-reports/${r.discrepancy.id}`, h.repB1.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(r.discrepancy);
  });

  it("flags a delivered product missing from a pharmacy's count as a stock-out", () => {
    expect(r.stockOut.lines).toEqual([{ productId: mtf.id, quantity: 12, batch: null, expiry: null }]);
    expect(r.stockOut.findings).toEqual([
      { productId: xtn.id, kind: "stock_out", reported: 0, expected: null },
    ]);
  });

  it("does not flag a distributor whose count is within the thresholds", async () => {
    const ok = await report(h.repB1.token, {
      customerId: distributorB1.id,
      date: "2026-03-11",
      // The previous count (20) is the opening stock: 40 is 20 off, under 50 units.
      lines: [{ productId: xtn.id, quantity: 40 }],
    });
    expect(ok.findings).toEqual([]);
  });

  it("shows a pharmacy's sell-through since the previous count", async () => {
    await report(h.repA2.token, {
      customerId: pharmacyA2.id,
      date: "2026-05-02",
      lines: [
        { productId: xtn.id, quantity: 30 },
        { productId: mtf.id, quantity: 2 },
      ],
    });
    await purchase({ buyerId: pharmacyA2.id, productId: xtn.id, date: "2026-05-05", quantity: 20 });
    const now = await report(h.repA2.token, {
      customerId: pharmacyA2.id,
      date: "2026-05-20",
      lines: [
        { productId: xtn.id, quantity: 15 },
        { productId: mtf.id, quantity: 2 },
      ],
    });
    expect(now.findings).toEqual([]);
    // 30 counted + 20 delivered − 15 now; MTF did not move.
    expect(now.sellThrough).toEqual([
      { productId: xtn.id, units: 35, since: "2026-05-02" },
      { productId: mtf.id, units: 0, since: "2026-05-02" },
    ]);
  });

  it("opens one stock alert for the rep with the report's findings", async () => {
    const rows = await server.database.db
      .select()
      .from(alerts)
      .where(eq(alerts.customerId, distributorB1.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: "stock_discrepancy", repId: h.repB1.id, closedAt: null });
    expect(rows[0].data).toMatchObject({ reportId: r.discrepancy.id });
  });

  it("writes an audit row with the lines", async () => {
    const audit = await auditRowsOf(server, "stock_report", r.stockOut.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "create", actorId: h.repA1.id, before: null });
    expect(audit[0].after).toMatchObject({
      customerId: pharmacyA1.id,
      repId: h.repA1.id,
      lines: [{ productId: mtf.id, quantity: 12 }],
    });
  });

  it("records for a rep of the manager's team under that rep, audited as the manager", async () => {
    expect(r.byManager.repId).toBe(h.repA2.id);
    const audit = await auditRowsOf(server, "stock_report", r.byManager.id);
    expect(audit[0].actorId).toBe(h.districtA.id);
  });
});

describe("stock reports: validation (nothing written)", () => {
  const base = () => ({
    customerId: pharmacyA1.id,
    date: "2026-06-01",
    lines: [{ productId: xtn.id, quantity: 5 }],
  });
  const rejects = async (body: unknown, field: string) => {
    const [reports, lines] = [await reportCount(), await lineCount()];
    expectValidation(await server.request("POST", "/api/stock-reports", h.repA1.token, body), field);
    expect(await reportCount()).toBe(reports);
    expect(await lineCount()).toBe(lines);
  };

  it("rejects a report without lines", async () => {
    await rejects({ ...base(), lines: [] }, "lines");
  });

  it("rejects a negative quantity, naming the line", async () => {
    await rejects({ ...base(), lines: [{ productId: xtn.id, quantity: -1 }] }, "lines.0.quantity");
  });

  it("rejects a quantity given as text", async () => {
    await rejects({ ...base(), lines: [{ productId: xtn.id, quantity: "5" }] }, "lines.0.quantity");
  });

  it("rejects an expiry that is not a date", async () => {
    await rejects(
      { ...base(), lines: [{ productId: xtn.id, quantity: 5, expiry: "2027-02-30" }] },
      "lines.0.expiry",
    );
  });

  it("rejects a date that does not exist", async () => {
    await rejects({ ...base(), date: "2026-02-29" }, "date");
  });

  it("rejects a report without a store", async () => {
    const { customerId: _, ...noStore } = base();
    await rejects(noStore, "customerId");
  });

  it("rejects a customer that is not a pharmacy or distributor", async () => {
    await rejects({ ...base(), customerId: hospitalA1.id }, "customerId");
  });

  it("rejects a product that does not exist, naming the line", async () => {
    await rejects({ ...base(), lines: [{ productId: "no-such-product", quantity: 5 }] }, "lines.0.productId");
  });

  it("rejects a malformed JSON body", async () => {
    await rejects('{"customerId":', "body");
  });

  it("answers 404 for a store that does not exist", async () => {
    const before = await reportCount();
    const res = await server.request("POST", "/api/stock-reports", h.admin.token, {
      ...base(),
      customerId: "no-such-store",
    });
    expectError(res, 404, "not_found");
    expect(await reportCount()).toBe(before);
  });
});

describe("stock reports: who may see and record what", () => {
  it("refuses a rep recording at another rep's store", async () => {
    const before = await reportCount();
    const res = await server.request("POST", "/api/stock-reports", h.repA1.token, {
      customerId: pharmacyA2.id,
      date: "2026-06-02",
      lines: [{ productId: xtn.id, quantity: 1 }],
    });
    expectError(res, 403, "forbidden");
    expect(await reportCount()).toBe(before);
  });

  it("refuses a rep recording in another rep's name", async () => {
    const res = await server.request("POST", "/api/stock-reports", h.repA1.token, {
      repId: h.repA2.id,
      customerId: pharmacyA1.id,
      date: "2026-06-02",
      lines: [{ productId: xtn.id, quantity: 1 }],
    });
    expectError(res, 403, "forbidden");
  });

  it("refuses a manager recording for a rep outside their team", async () => {
    const res = await server.request("POST", "/api/stock-reports", h.districtA.token, {
      repId: h.repB1.id,
      customerId: distributorB1.id,
      date: "2026-06-02",
      lines: [{ productId: xtn.id, quantity: 1 }],
    });
    expectError(res, 403, "forbidden");
  });

  it("refuses finance recording stock", async () => {
    const res = await server.request("POST", "/api/stock-reports", h.finance.token, {
      repId: h.repA1.id,
      customerId: pharmacyA1.id,
      date: "2026-06-02",
      lines: [{ productId: xtn.id, quantity: 1 }],
    });
    expectError(res, 403, "forbidden");
  });

  it("answers 401 without a token", async () => {
    expectError(await server.request("GET", "/api/stock-reports", undefined), 401, "unauthorized");
  });

  it("shows a rep only their own reports", async () => {
    const { items } = await walkPages(server, "/api/stock-reports", h.repA1.token, 500);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.repId === h.repA1.id)).toBe(true);
    expect(idsOf(items)).toContain(r.stockOut.id);
  });

  it("shows a district manager their team's reports and not the other district's", async () => {
    const { items } = await walkPages(server, "/api/stock-reports", h.districtA.token, 500);
    const reps = new Set(items.map((i) => i.repId));
    expect([...reps].sort()).toEqual([h.repA1.id, h.repA2.id].sort());
  });

  it("shows the regional manager both districts, like the admin and finance", async () => {
    const all = idsOf((await walkPages(server, "/api/stock-reports", h.admin.token, 500)).items);
    expect(all).toContain(r.discrepancy.id);
    expect(idsOf((await walkPages(server, "/api/stock-reports", h.regional.token, 500)).items)).toEqual(all);
    expect(idsOf((await walkPages(server, "/api/stock-reports", h.finance.token, 500)).items)).toEqual(all);
  });

  it("refuses a rep reading another rep's report", async () => {
    expectError(
      await server.request("GET", `/api/stock-reports/${r.clean.id}`, h.repA1.token),
      403,
      "forbidden",
    );
  });

  it("refuses a district manager reading the other district's report", async () => {
    expectError(
      await server.request("GET", `/api/stock-reports/${r.discrepancy.id}`, h.districtA.token),
      403,
      "forbidden",
    );
  });

  it("lets the manager read their rep's report", async () => {
    const res = await server.request("GET", `/api/stock-reports/${r.clean.id}`, h.districtA.token);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(r.clean.id);
  });

  it("answers 404 for a report that does not exist", async () => {
    expectError(await server.request("GET", "/api/stock-reports/nope", h.admin.token), 404, "not_found");
  });
});

describe("stock reports: filters and pagination", () => {
  it("filters by repId", async () => {
    const rows = await listOf(`repId=${h.repA2.id}`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((i) => i.repId === h.repA2.id)).toBe(true);
    expect(idsOf(rows)).toEqual(expect.arrayContaining([r.clean.id, r.byManager.id]));
  });

  it("filters by customerId", async () => {
    const rows = await listOf(`customerId=${pharmacyA1.id}`);
    expect(idsOf(rows)).toEqual([r.stockOut.id]);
  });

  it("filters by the kind of finding (type)", async () => {
    expect(idsOf(await listOf("type=stock_out"))).toEqual([r.stockOut.id]);
    expect(idsOf(await listOf("type=discrepancy"))).toEqual([r.discrepancy.id]);
  });

  it("filters by month", async () => {
    const april = await listOf("month=2026-04");
    expect(idsOf(april)).toEqual(idsOf([r.clean, r.byManager]));
  });

  it("filters by from and to, both inclusive", async () => {
    const rows = await listOf("from=2026-03-11&to=2026-04-01");
    expect(rows.map((i) => i.date).sort()).toEqual(["2026-03-11", "2026-03-20", "2026-04-01"]);
  });

  it("combines filters with the caller's scope", async () => {
    expect(await listOf(`customerId=${distributorB1.id}`, h.districtA.token)).toEqual([]);
    expect((await listOf(`customerId=${distributorB1.id}`, h.districtB.token)).length).toBe(2);
  });

  it("lists each report exactly as GET /:id reads it", async () => {
    const rows = await listOf("");
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const item of rows) {
      const one = await server.request("GET", `/api/stock-reports/${item.id}`, h.admin.token);
      expect(one.body).toEqual(item);
    }
  });

  it("rejects an unknown type, a bad month and a bad cursor", async () => {
    expectValidation(await server.request("GET", "/api/stock-reports?type=expired", h.admin.token), "type");
    expectValidation(await server.request("GET", "/api/stock-reports?month=2026-4", h.admin.token), "month");
    expectValidation(await server.request("GET", "/api/stock-reports?to=2026-04-31", h.admin.token), "to");
    expectValidation(
      await server.request("GET", "/api/stock-reports?cursor=%25%25%25", h.admin.token),
      "cursor",
    );
    expectValidation(await server.request("GET", "/api/stock-reports?limit=501", h.admin.token), "limit");
  });

  it("walks more reports than a page by nextCursor with no duplicates and none missing", async () => {
    for (let day = 1; day <= 17; day++)
      await report(h.repA1.token, {
        customerId: pharmacyA1.id,
        date: `2026-07-${String(day).padStart(2, "0")}`,
        lines: [{ productId: mtf.id, quantity: day }],
      });
    const { pages, items } = await walkPages(server, "/api/stock-reports?month=2026-07", h.repA1.token, 5);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 2]);
    expect(new Set(items.map((i) => i.id)).size).toBe(17);
    expect(items.map((i) => i.lines[0].quantity).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 17 }, (_, i) => i + 1),
    );
  });
});

describe("stock reports: closed months", () => {
  beforeAll(async () => {
    await server.database.db
      .insert(monthCloses)
      .values({ month: "2026-01", closedAt: new Date().toISOString(), by: h.admin.id });
  });

  it("answers 409 locked for a report dated in a closed month and writes nothing", async () => {
    const before = await reportCount();
    const res = await server.request("POST", "/api/stock-reports", h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-01-31",
      lines: [{ productId: xtn.id, quantity: 5 }],
    });
    expectError(res, 409, "locked");
    expect(await reportCount()).toBe(before);
  });

  it("stores a report with an adjustment reason as an adjustment of the closed month", async () => {
    const res = await report(h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-01-31",
      lines: [{ productId: xtn.id, quantity: 5 }],
      adjustmentReason: "月底盘点漏报",
    });
    expect(res.adjustment).toBe(true);
    const rows = await server.database.db.select().from(adjustments).where(eq(adjustments.entityId, res.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      month: "2026-01",
      entityType: "stock_report",
      reason: "月底盘点漏报",
      by: h.repA1.id,
    });
    const read = await server.request("GET", `/api/stock-reports/${res.id}`, h.repA1.token);
    expect(read.body.adjustment).toBe(true);
  });
});
