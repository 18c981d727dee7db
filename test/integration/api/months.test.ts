import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, monthCloses, purchases, stockReports } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  auditRowsOf,
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  SHANGHAI_INSTANT,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;
let pharmacy: any; // owned by repA1
let xtn: any;

const close = (month: string, token: string) => server.request("POST", `/api/months/${month}/close`, token);
const closedRow = (month: string) =>
  server.database.db.select().from(monthCloses).where(eq(monthCloses.month, month)).get();
const monthAudit = async () =>
  (await server.database.db.select().from(auditLog).where(eq(auditLog.entityType, "month"))).length;
const countOf = async (table: typeof purchases | typeof stockReports) =>
  (await server.database.db.select().from(table)).length;

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
  const res = await server.request("POST", "/api/customers", h.repA1.token, {
    kind: "pharmacy",
    name: "第一医药(南京东路店)",
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  pharmacy = res.body;
  xtn = (await server.request("POST", "/api/products", h.admin.token, { name: "欣泰宁", code: "XTN" })).body;
});
afterAll(() => server.close());

describe("months: closing", () => {
  it("closes a month for an admin: 201 with month, closedAt in the company's offset and by", async () => {
    const res = await close("2026-02", h.admin.token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ month: "2026-02", closedAt: expect.any(String), by: h.admin.id });
    expect(res.body.closedAt).toMatch(SHANGHAI_INSTANT);
    const row = await closedRow("2026-02");
    expect(row).toMatchObject({ month: "2026-02", by: h.admin.id });
    expect(new Date(res.body.closedAt).getTime()).toBe(
      Math.floor(new Date(row!.closedAt).getTime() / 1000) * 1000,
    );
  });

  it("writes one audit row for the close, by the admin", async () => {
    const audit = await auditRowsOf(server, "month", "2026-02");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "close", actorId: h.admin.id, before: null });
    expect(audit[0].after).toMatchObject({ month: "2026-02", by: h.admin.id });
  });

  it("answers 409 for a month closed twice and writes nothing more", async () => {
    const first = await closedRow("2026-02");
    const res = await close("2026-02", h.admin.token);
    expectError(res, 409, "conflict");
    expect(res.body.error.message).toContain("2026-02");
    expect(res.body.error.details).toEqual({
      month: "2026-02",
      closedAt: expect.stringMatching(SHANGHAI_INSTANT),
      by: h.admin.id,
    });
    expect(await closedRow("2026-02")).toEqual(first);
    expect(await auditRowsOf(server, "month", "2026-02")).toHaveLength(1);
  });

  it.each([
    ["manager", () => h.regional.token],
    ["finance", () => h.finance.token],
    ["rep", () => h.repA1.token],
  ])("refuses a %s closing a month and writes nothing", async (_role, token) => {
    const audits = await monthAudit();
    expectError(await close("2026-03", token()), 403, "forbidden");
    expect(await closedRow("2026-03")).toBeUndefined();
    expect(await monthAudit()).toBe(audits);
  });

  it("answers 401 without a token", async () => {
    expectError(await server.request("POST", "/api/months/2026-03/close"), 401, "unauthorized");
    expect(await closedRow("2026-03")).toBeUndefined();
  });

  it.each(["2026-13", "2026-3", "202603", "2026-03-01", "march"])(
    "rejects the month %s, naming the field, and writes nothing",
    async (month) => {
      const audits = await monthAudit();
      const before = (await server.database.db.select().from(monthCloses)).length;
      expectValidation(await close(month, h.admin.token), "month");
      expect((await server.database.db.select().from(monthCloses)).length).toBe(before);
      expect(await monthAudit()).toBe(audits);
    },
  );

  it("answers 404 for a GET on the close action (only POST exists)", async () => {
    expect((await server.request("GET", "/api/months/2026-02/close", h.admin.token)).status).toBe(404);
  });
});

describe("months: what a close locks", () => {
  beforeAll(async () => {
    const res = await close("2026-04", h.admin.token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it("refuses a purchase dated in the closed month with 409 locked and writes nothing", async () => {
    const before = await countOf(purchases);
    for (const date of ["2026-04-01", "2026-04-30"]) {
      const res = await server.request("POST", "/api/purchases", h.admin.token, {
        buyerId: pharmacy.id,
        productId: xtn.id,
        date,
        quantity: 5,
      });
      expectError(res, 409, "locked");
      expect(res.body.error.message).toContain("2026-04");
    }
    expect(await countOf(purchases)).toBe(before);
  });

  it("still accepts a purchase on the days either side of the closed month", async () => {
    for (const date of ["2026-03-31", "2026-05-01"]) {
      const res = await server.request("POST", "/api/purchases", h.admin.token, {
        buyerId: pharmacy.id,
        productId: xtn.id,
        date,
        quantity: 5,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });

  it("refuses a stock report dated in the closed month with 409 locked and writes nothing", async () => {
    const before = await countOf(stockReports);
    const res = await server.request("POST", "/api/stock-reports", h.repA1.token, {
      customerId: pharmacy.id,
      date: "2026-04-15",
      lines: [{ productId: xtn.id, quantity: 3 }],
    });
    expectError(res, 409, "locked");
    expect(await countOf(stockReports)).toBe(before);
  });

  it("takes a stock count for the closed month only as an adjustment with a reason", async () => {
    const res = await server.request("POST", "/api/stock-reports", h.repA1.token, {
      customerId: pharmacy.id,
      date: "2026-04-15",
      lines: [{ productId: xtn.id, quantity: 3 }],
      adjustmentReason: "盘点补录",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.adjustment).toBe(true);
  });

  it("records a stock count in an open month as an ordinary report", async () => {
    const res = await server.request("POST", "/api/stock-reports", h.repA1.token, {
      customerId: pharmacy.id,
      date: "2026-05-15",
      lines: [{ productId: xtn.id, quantity: 3 }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.adjustment).toBe(false);
  });

  it("refuses an imported purchase row in the closed month and imports the open one", async () => {
    const csv = `买方编码,产品编码,日期,数量\n${pharmacy.code},XTN,2026-04-10,7\n${pharmacy.code},XTN,2026-06-10,7\n`;
    const res = await fetch(`${server.url}/api/imports/purchases`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.admin.token}`, "content-type": "text/csv" },
      body: csv,
    });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ imported: 1, failed: 1 });
    expect(body.rows.map((r: any) => [r.row, r.status])).toEqual([
      [2, "error"],
      [3, "ok"],
    ]);
    expect(body.rows[0].error).toContain("2026-04");
    const april = await server.request("GET", "/api/purchases?month=2026-04", h.admin.token);
    expect(april.body.items).toEqual([]);
  });

  it("leaves other months open: closing 2026-04 did not close 2026-03 or 2026-05", async () => {
    expect(await closedRow("2026-03")).toBeUndefined();
    expect(await closedRow("2026-05")).toBeUndefined();
    expect((await close("2026-05", h.admin.token)).status).toBe(201);
  });
});
