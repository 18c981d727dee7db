import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adjustments, alerts, monthCloses, stockLines, stockReports } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  auditRowsOf,
  buildHierarchy,
  created,
  expectError,
  expectValidation,
  type Hierarchy,
  rowCount,
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

const customer = (token: string, body: object) => created(server, "/api/customers", token, body);
const report = (token: string, body: object) => created(server, "/api/stock-reports", token, body);
const purchase = async (body: object) => {
  const res = await server.request("POST", "/api/purchases", h.admin.token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const reportCount = () => rowCount(server, stockReports);
const lineCount = () => rowCount(server, stockLines);
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
    const read = await server.request("GET", `/api/stock-reports/${now.id}`, h.repA2.token);
    expect(read.body).toEqual(now);
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

  it("refuses a count an admin files under a finance user (finance records no field work)", async () => {
    const before = await reportCount();
    const res = await server.request("POST", "/api/stock-reports", h.admin.token, {
      repId: h.finance.id,
      customerId: pharmacyA1.id,
      date: "2026-03-02",
      lines: [{ productId: xtn.id, quantity: 3 }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body.error.message).toMatch(/finance/);
    expect(await reportCount()).toBe(before);
  });

  it("records for a rep of the manager's team under that rep, audited as the manager", async () => {
    expect(r.byManager.repId).toBe(h.repA2.id);
    const audit = await auditRowsOf(server, "stock_report", r.byManager.id);
    expect(audit[0].actorId).toBe(h.districtA.id);
  });
});

describe("stock reports: sell-through read back", () => {
  // A pharmacy counted three times in 2025 (no other fixture uses 2025), with deliveries
  // between the counts; nothing it reports is a stock-out, so the type filter is untouched.
  let store: any;
  let other: any;
  const t: Record<string, any> = {};
  const read = async (id: string) => {
    const res = await server.request("GET", `/api/stock-reports/${id}`, h.admin.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const listed = async (id: string, customerId = store.id) =>
    (await listOf(`customerId=${customerId}`)).find((i) => i.id === id) ?? null;
  const count = (date: string, xtnQty: number, mtfQty: number) =>
    report(h.repA1.token, {
      customerId: store.id,
      date,
      lines: [
        { productId: xtn.id, quantity: xtnQty, batch: "B1", expiry: "2027-06-30" },
        { productId: mtf.id, quantity: mtfQty },
      ],
    });
  const deliver = (date: string, productId: string, quantity: number) =>
    purchase({ buyerId: store.id, productId, date, quantity });

  beforeAll(async () => {
    store = await customer(h.repA1.token, { kind: "pharmacy", name: "老百姓大药房(虹口店)" });
    other = await customer(h.repA1.token, { kind: "pharmacy", name: "华氏大药房(静安店)" });
    t.first = await count("2025-09-01", 40, 10);
    await deliver("2025-09-05", xtn.id, 30);
    await deliver("2025-09-10", mtf.id, 5);
    await deliver("2025-09-12", xtn.id, -4); // a return
    await deliver("2025-09-15", xtn.id, 7); // the day of the next count: counted in it
    // From a distributor rather than the company: a delivery all the same.
    await purchase({
      sellerId: distributorB1.id,
      buyerId: store.id,
      productId: xtn.id,
      date: "2025-09-11",
      quantity: 9,
    });
    // Another store's delivery is not this one's.
    await purchase({ buyerId: other.id, productId: mtf.id, date: "2025-09-11", quantity: 8 });
    t.second = await count("2025-09-15", 50, 12);
    t.secondRead = await read(t.second.id);
    t.secondListed = await listed(t.second.id);
    // After the second count: a delivery and a third count, both dated later.
    await deliver("2025-09-20", xtn.id, 100);
    t.third = await count("2025-10-01", 90, 12);
    t.mtfOnly = await report(h.repA1.token, {
      customerId: other.id,
      date: "2025-10-05",
      lines: [{ productId: mtf.id, quantity: 6 }],
    });
  });

  it("computes sell-through on record from the previous count and the deliveries since", () => {
    expect(t.first.sellThrough).toEqual([]);
    expect(t.second.findings).toEqual([]);
    // XTN: 40 counted + (30 + 9 − 4 + 7) delivered − 50 now = 32; MTF: 10 + 5 − 12 = 3.
    expect(t.second.sellThrough).toEqual([
      { productId: xtn.id, units: 32, since: "2025-09-01" },
      { productId: mtf.id, units: 3, since: "2025-09-01" },
    ]);
    // XTN: 50 + 100 − 90 = 60; MTF: 12 + 0 − 12 = 0.
    expect(t.third.findings).toEqual([]);
    expect(t.third.sellThrough).toEqual([
      { productId: xtn.id, units: 60, since: "2025-09-15" },
      { productId: mtf.id, units: 0, since: "2025-09-15" },
    ]);
  });

  it("reads each report by id and in the list exactly as it was recorded", async () => {
    expect(t.secondRead).toEqual(t.second);
    expect(t.secondListed).toEqual(t.second);
    for (const created of [t.first, t.third, t.mtfOnly]) {
      expect(await read(created.id)).toEqual(created);
      expect(await listed(created.id, created.customerId)).toEqual(created);
    }
  });

  it("does not change an earlier report's sell-through for a later delivery or count", async () => {
    expect(await read(t.second.id)).toEqual(t.second);
    expect(await listed(t.second.id)).toEqual(t.second);
    expect((await read(t.first.id)).sellThrough).toEqual([]);
  });

  it("answers the same sell-through on a page of many reports as one by one", async () => {
    const { items } = await walkPages(server, `/api/stock-reports?customerId=${store.id}`, h.admin.token, 2);
    expect(items.map((i) => i.sellThrough)).toEqual(
      await Promise.all(items.map(async (i) => (await read(i.id)).sellThrough)),
    );
    expect(items.find((i) => i.id === t.third.id)).toEqual(t.third);
  });

  it("shows no sell-through for a distributor, whose stock is checked against the flow instead", async () => {
    // Its second count (2026-03-11) has a previous one, yet no sell-through.
    const items = await listOf(`customerId=${distributorB1.id}`);
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.map((i) => i.sellThrough)).toEqual(items.map(() => []));
  });

  it("filters by productId: reports with a line of that product", async () => {
    const all = await listOf("");
    const withXtn = all.filter((i) => i.lines.some((l: any) => l.productId === xtn.id));
    const xtnOnly = await listOf(`productId=${xtn.id}`);
    expect(idsOf(xtnOnly)).toEqual(idsOf(withXtn));
    expect(idsOf(xtnOnly)).toEqual(expect.arrayContaining([t.first.id, t.second.id, t.third.id]));
    expect(idsOf(xtnOnly)).not.toContain(t.mtfOnly.id);
    expect(xtnOnly.length).toBeLessThan(all.length);
    expect(idsOf(await listOf(`productId=${mtf.id}&customerId=${other.id}`))).toEqual([t.mtfOnly.id]);
    expect(await listOf(`productId=${xtn.id}&customerId=${other.id}`)).toEqual([]);
    expect(await listOf("productId=no-such-product")).toEqual([]);
  });

  it("rejects an empty or over-long productId", async () => {
    expectValidation(
      await server.request("GET", "/api/stock-reports?productId=", h.admin.token),
      "productId",
    );
    expectValidation(
      await server.request("GET", "/api/stock-reports?productId=%20%20", h.admin.token),
      "productId",
    );
    expectValidation(
      await server.request("GET", `/api/stock-reports?productId=${"x".repeat(65)}`, h.admin.token),
      "productId",
    );
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

  it("re-bases a later report's sell-through on a count back-dated before it (read from dated facts)", async () => {
    // Recorded first, r.stockOut had no previous count; the 2026-01-31 count above is now
    // its previous one: MTF 0 counted + 0 delivered − 12 now.
    expect(r.stockOut.sellThrough).toEqual([]);
    const read = await server.request("GET", `/api/stock-reports/${r.stockOut.id}`, h.repA1.token);
    expect(read.body.sellThrough).toEqual([{ productId: mtf.id, units: -12, since: "2026-01-31" }]);
  });
});
