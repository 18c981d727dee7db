import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowIso } from "../../../src/db/ids";
import { auditLog, importBatches, monthCloses, purchases } from "../../../src/db/schema";
import { type ImportTestServer, startImportServer } from "../../helpers/imports-app";
import { buildWorld, customerId, fixture, type World } from "./world";

let server: ImportTestServer;
let w: World;

beforeAll(async () => {
  server = await startImportServer();
  w = await buildWorld(server);
});
afterAll(() => server.close());

const purchaseCount = async () => (await server.database.db.select({ n: count() }).from(purchases).get())!.n;

describe("POST /api/imports/purchases", () => {
  it("imports a UTF-8 file with a BOM and English headers (seller empty = the company, source erp)", async () => {
    const res = await server.upload("purchases", w.admin.token, fixture("purchases-utf8-bom.csv"));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 3, updated: 0, failed: 0 });
    const row = await server.database.db
      .select()
      .from(purchases)
      .where(eq(purchases.id, res.body.rows[2].id))
      .get();
    expect(row).toMatchObject({
      sellerId: null,
      date: "2026-03-16",
      quantity: 300,
      source: "erp",
      documentNo: "ERP-0002",
    });
    expect(row!.buyerId).toBe(await customerId(server, w.admin.token, "DST-001"));
  });

  it("imports 47 of 50 rows and explains the 3 bad ones by row number and column", async () => {
    const res = await server.upload("purchases", w.admin.token, fixture("purchases-50.csv"));
    expect(res.body).toMatchObject({ imported: 47, updated: 0, failed: 3 });
    expect(res.body.rows).toHaveLength(50);
    const errors = res.body.rows.filter((r: { status: string }) => r.status === "error");
    expect(errors.map((e: { row: number }) => e.row)).toEqual([11, 23, 40]);
    expect(errors[0].error).toBe("产品编码 (productCode): no product with code, name or alias P999");
    expect(errors[1].error).toBe("金额 (amountCny): must have at most 2 decimals");
    expect(errors[2].error).toBe("日期 (date): must be a date YYYY-MM-DD");
    const ok = res.body.rows.find((r: { row: number }) => r.row === 2);
    expect(ok).toEqual({ row: 2, status: "ok", id: expect.any(String) });
  });

  it("re-importing the same file updates instead of duplicating", async () => {
    const before = await purchaseCount();
    const res = await server.upload("purchases", w.admin.token, fixture("purchases-50.csv"));
    expect(res.body).toMatchObject({ imported: 0, updated: 47, failed: 3 });
    expect(await purchaseCount()).toBe(before);
  });

  it("a flow file with ?asOf= records its import batch (source, seller, period) and one audit row", async () => {
    const res = await server.upload("purchases", w.admin.token, fixture("flow-dst001-2026-04.csv"), {
      query: "asOf=2026-04-30",
    });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ imported: 4, updated: 0, failed: 0 });
    const row = await server.database.db
      .select()
      .from(purchases)
      .where(eq(purchases.id, res.body.rows[3].id))
      .get();
    expect(row).toMatchObject({ quantity: -10, amountCny: -250, source: "flow", date: "2026-04-28" });
    const batch = await server.database.db
      .select()
      .from(importBatches)
      .where(eq(importBatches.id, row!.importBatchId!))
      .get();
    expect(batch).toMatchObject({
      kind: "purchases",
      source: "flow",
      sellerId: await customerId(server, w.admin.token, "DST-001"),
      periodFrom: "2026-04-03",
      asOf: "2026-04-30",
      rows: 4,
      imported: 4,
      by: w.admin.id,
    });
    const audit = await server.database.db.select().from(auditLog).where(eq(auditLog.entityId, batch!.id));
    expect(audit).toMatchObject([{ entityType: "import_batch", actorId: w.admin.id }]);
  });

  it("refuses rows in a closed month and rows after asOf; the rest of the file goes in", async () => {
    await server.database.db
      .insert(monthCloses)
      .values({ month: "2026-01", closedAt: nowIso(), by: w.admin.id });
    const csv = [
      "sellerCode,buyerCode,productCode,date,quantity,amountCny,documentNo",
      "DST-001,PH-001,P001,2026-01-15,5,125,X1",
      "DST-001,PH-001,P001,2026-05-02,5,125,X2",
      "DST-001,PH-001,P001,2026-04-15,5,125,X3",
    ].join("\n");
    const res = await server.upload("purchases", w.admin.token, csv, { query: "asOf=2026-04-30" });
    expect(res.body).toMatchObject({ imported: 1, failed: 2 });
    expect(res.body.rows[0].error).toBe("date: month 2026-01 is closed");
    expect(res.body.rows[1].error).toBe("date: 2026-05-02 is after asOf 2026-04-30");
  });

  it("accepts the file as multipart field file", async () => {
    const csv = "买方编码,产品,日期,数量,金额\nPH-001,头孢克肟片,2026/4/9,3,147\n";
    const res = await server.upload("purchases", w.admin.token, csv, { multipart: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 1, failed: 0 });
  });

  it("answers 400 in the error shape for an empty body, a non-CSV, a missing column and a bad asOf", async () => {
    const cases = [
      await server.upload("purchases", w.admin.token, ""),
      await server.upload("purchases", w.admin.token, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2])),
      await server.upload("purchases", w.admin.token, '{"a":1}', { contentType: "application/json" }),
      await server.upload("purchases", w.admin.token, "买方编码,日期,数量\nPH-001,2026-04-01,3\n"),
      await server.upload("purchases", w.admin.token, "hello world\n"),
      await server.upload("purchases", w.admin.token, fixture("purchases-50.csv"), {
        query: "asOf=2026-13-01",
      }),
    ];
    for (const res of cases) {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe("validation");
      expect(res.body.error.message).toEqual(expect.any(String));
    }
    expect(cases[3].body.error.message).toMatch(/missing column productCode/);
    expect(cases[5].body.error.message).toMatch(/^asOf: /);
  });

  it("is admin-only", async () => {
    const res = await server.upload("purchases", w.managerA.token, fixture("purchases-50.csv"));
    expect(res.status).toBe(403);
  });

  it("imports a generated 10,000-row file at thousands of rows per second", async () => {
    const lines = ["sellerCode,buyerCode,productCode,date,quantity,amountCny,documentNo"];
    for (let i = 0; i < 10_000; i++)
      lines.push(
        `DST-001,${i % 2 ? "PH-001" : "HOS-001"},P00${1 + (i % 2)},2026-06-${String(1 + (i % 28)).padStart(2, "0")},${1 + (i % 50)},${(1 + (i % 50)) * 25},PERF-${i}`,
      );
    const body = `${lines.join("\n")}\n`;
    const t0 = performance.now();
    const res = await server.upload("purchases", w.admin.token, body);
    const seconds = (performance.now() - t0) / 1000;
    expect(res.body).toMatchObject({ imported: 10_000, failed: 0 });
    const rate = Math.round(10_000 / seconds);
    console.log(`purchases import: 10000 rows in ${seconds.toFixed(2)} s = ${rate} rows/s`);
    expect(rate).toBeGreaterThan(1000);
  });
});

describe("purchases import row messages", () => {
  it("names every problem of a row, each with its column", async () => {
    const csv = "sellerCode,buyerCode,productCode,date,quantity,amountCny\nHOS-001,,P001,2026-04-01,0,abc\n";
    const res = await server.upload("purchases", w.admin.token, csv);
    expect(res.body.rows[0].error).toBe(
      "sellerCode: HOS-001 is a hospital; the seller must be a distributor (empty = the company); buyerCode: is required; quantity: must not be 0 (negative = a return); amountCny: must be a number, not abc",
    );
  });
});
