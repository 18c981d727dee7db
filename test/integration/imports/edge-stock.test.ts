import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowIso } from "../../../src/db/ids";
import { auditLog, monthCloses, stockLines, stockReports } from "../../../src/db/schema";
import { createUser } from "../../helpers/app";
import { type ImportTestServer, startImportServer } from "../../helpers/imports-app";
import { bom, gbk, type Row, rowOf } from "./encodings";
import { buildWorld, customerId, type World } from "./world";

let server: ImportTestServer;
let w: World;
let pharmacy: string;
let distributor: string;

beforeAll(async () => {
  server = await startImportServer();
  w = await buildWorld(server);
  pharmacy = await customerId(server, w.admin.token, "PH-001");
  distributor = await customerId(server, w.admin.token, "DST-001");
});
afterAll(() => server.close());

const reportsAt = async (customer: string, date: string) =>
  server.database.db
    .select()
    .from(stockReports)
    .where(and(eq(stockReports.customerId, customer), eq(stockReports.date, date)));

const linesOf = async (reportId: string) =>
  (await server.database.db.select().from(stockLines).where(eq(stockLines.reportId, reportId)))
    .map((l) => [l.productId, l.quantity, l.batch, l.expiry])
    .sort();

describe("stock import: encodings and CSV shapes", () => {
  it("reads a GBK file with CRLF and Chinese headers (库存数量, 效期, 盘点日期)", async () => {
    const text = [
      "门店编码,产品,库存数量,批号,效期,盘点日期",
      'DST-001,阿莫西林胶囊,"1,200",B2601,2027年6月30日,2026年6月1日',
      "DST-001,头孢克肟片,80,C2602,2027/1/31,2026/6/1",
      "",
    ].join("\r\n");
    const res = await server.upload("stock", w.admin.token, gbk(text));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, updated: 0, failed: 0 });
    const [report] = await reportsAt(distributor, "2026-06-01");
    expect(report).toMatchObject({ repId: w.repA.id, via: "import" });
    expect(await linesOf(report.id)).toEqual(
      [
        [w.products.P001, 1200, "B2601", "2027-06-30"],
        [w.products.P002, 80, "C2602", "2027-01-31"],
      ].sort(),
    );
  });

  it("reads UTF-8 with a BOM, English headers in another order, an unknown column and a quoted batch", async () => {
    const csv =
      'date,Comment,quantity,lot,store,product\r\n2026-06-02,"盘点, 含逗号",12,"L-1, A",PH-001,P001\r\n';
    const res = await server.upload("stock", w.admin.token, bom(csv));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 1, failed: 0 });
    const [report] = await reportsAt(pharmacy, "2026-06-02");
    expect(await linesOf(report.id)).toEqual([[w.products.P001, 12, "L-1, A", null]]);
  });

  it("answers 400 for an empty body and a missing column, and nothing imported for a header alone", async () => {
    const empty = await server.upload("stock", w.admin.token, new Uint8Array());
    expect(empty.status).toBe(400);
    const missing = await server.upload(
      "stock",
      w.admin.token,
      "storeCode,productCode,quantity\nPH-001,P001,3\n",
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      code: "validation",
      message: expect.stringMatching(/missing column date/),
    });
    const headerOnly = await server.upload("stock", w.admin.token, "storeCode,productCode,quantity,date\r\n");
    expect(headerOnly.status).toBe(200);
    expect(headerOnly.body).toMatchObject({ imported: 0, updated: 0, failed: 0, rows: [], reports: [] });
  });
});

describe("stock import: rows good and bad", () => {
  it("records the good rows of a mixed file and names each bad row by number and column", async () => {
    const csv = [
      "storeCode,productCode,quantity,date,expiry",
      "DST-001,P001,30,2026-06-03,2027-01-31",
      "DST-001,P002,-4,2026-06-03,",
      "DST-001,P002,四十,2026-06-03,",
      "DST-001,P002,40,2026-06-31,",
      "DST-001,P002,40,2026-06-03,2027-02-30",
      "NOPE-STORE,P001,5,2026-06-03,",
      "DST-001,NOPE-PRODUCT,5,2026-06-03,",
      "HOS-001,P001,5,2026-06-03,",
    ].join("\n");
    const res = await server.upload("stock", w.admin.token, csv);
    expect(res.body).toMatchObject({ imported: 1, updated: 0, failed: 7 });
    expect(rowOf(res.body, 2).status).toBe("ok");
    expect(rowOf(res.body, 3).error).toBe("quantity: must not be negative");
    expect(rowOf(res.body, 4).error).toBe("quantity: must be a number, not 四十");
    expect(rowOf(res.body, 5).error).toBe("date: must be a date YYYY-MM-DD");
    expect(rowOf(res.body, 6).error).toBe("expiry: must be a date YYYY-MM-DD");
    expect(rowOf(res.body, 7).error).toBe("storeCode: no customer with code NOPE-STORE");
    expect(rowOf(res.body, 8).error).toBe("productCode: no product with code, name or alias NOPE-PRODUCT");
    expect(rowOf(res.body, 9).error).toBe("storeCode: is a hospital, not a pharmacy or distributor");
    const reports = await reportsAt(distributor, "2026-06-03");
    expect(reports).toHaveLength(1);
    expect(await linesOf(reports[0].id)).toEqual([[w.products.P001, 30, null, "2027-01-31"]]);
  });

  it("recognises the same file imported again: no second report, no second audit row", async () => {
    const csv =
      "storeCode,productCode,quantity,date,batch\nDST-001,P001,60,2026-06-04,R1\nDST-001,P002,70,2026-06-04,R2\n";
    const first = await server.upload("stock", w.admin.token, csv);
    expect(first.body).toMatchObject({ imported: 2, updated: 0, failed: 0 });
    const again = await server.upload("stock", w.admin.token, csv.replace(/\n/g, "\r\n"));
    expect(again.body).toMatchObject({ imported: 0, updated: 2, failed: 0, reports: [] });
    const reports = await reportsAt(distributor, "2026-06-04");
    expect(reports).toHaveLength(1);
    const audit = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "stock_report"), eq(auditLog.entityId, reports[0].id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: w.admin.id, via: "import", action: "create" });
  });

  it("refuses counts dated in a closed month, by row, and records the rest", async () => {
    await server.database.db
      .insert(monthCloses)
      .values({ month: "2025-12", closedAt: nowIso(), by: w.admin.id });
    const csv = "storeCode,productCode,quantity,date\nDST-001,P001,5,2025-12-20\nDST-001,P001,5,2026-06-05\n";
    const res = await server.upload("stock", w.admin.token, csv);
    expect(res.body).toMatchObject({ imported: 1, failed: 1 });
    expect(rowOf(res.body, 2).error).toBe("date: month 2025-12 is closed");
    expect(await reportsAt(distributor, "2025-12-20")).toHaveLength(0);
  });

  it("records a distributor's full count of more than 200 lines for one day", async () => {
    const lines = ["storeCode,productCode,quantity,date,batch"];
    for (let i = 0; i < 250; i++) lines.push(`DST-001,P00${1 + (i % 2)},${i + 1},2026-06-06,LOT-${i}`);
    const res = await server.upload("stock", w.admin.token, lines.join("\n"));
    expect(res.status).toBe(200);
    expect(res.body.rows[0], JSON.stringify(res.body.rows[0])).toMatchObject({ status: "ok" });
    expect(res.body).toMatchObject({ imported: 250, failed: 0 });
    const reports = await reportsAt(distributor, "2026-06-06");
    const ids = reports.map((r) => r.id);
    const stored = ids.length
      ? await server.database.db.select().from(stockLines).where(inArray(stockLines.reportId, ids))
      : [];
    expect(stored).toHaveLength(250);
  });
  it("refuses a store-and-day count beyond the import's cap with one message naming the limit", async () => {
    const lines = ["storeCode,productCode,quantity,date,batch"];
    for (let i = 0; i < 2001; i++) lines.push(`DST-001,P001,1,2026-06-11,CAP-${i}`);
    const res = await server.upload("stock", w.admin.token, lines.join("\n"));
    expect(res.body).toMatchObject({ imported: 0, failed: 2001 });
    expect(rowOf(res.body, 2).error).toBe(
      "storeCode: has 2001 lines on 2026-06-11; an import takes at most 2000 lines per store and day",
    );
    expect(await reportsAt(distributor, "2026-06-11")).toHaveLength(0);
  });
});

describe("stock import: whose stores", () => {
  it("refuses to file a count under a rep whose book does not hold the store, as POST /api/stock-reports does", async () => {
    // The API's rule, for reference: 张伟 (repB) does not cover DST-001 (王小明's).
    const api = await server.request("POST", "/api/stock-reports", w.admin.token, {
      repId: w.repB.id,
      customerId: distributor,
      date: "2026-06-07",
      lines: [{ productId: w.products.P001, quantity: 3 }],
    });
    expect(api.status).toBe(403);

    const csv =
      "storeCode,productCode,quantity,date,rep\nDST-001,P001,3,2026-06-07,张伟\nPH-001,P001,3,2026-06-07,财务\n";
    const res = await server.upload("stock", w.admin.token, csv);
    expect(res.body.rows.map((r: Row) => r.status)).toEqual(["error", "error"]);
    expect(rowOf(res.body, 2).error).toMatch(/^rep: |^storeCode: /);
    expect(await reportsAt(distributor, "2026-06-07")).toHaveLength(0);
    expect(await reportsAt(pharmacy, "2026-06-07")).toHaveLength(0);
  });

  it("refuses a manager filing one team member's count at another team member's store", async () => {
    const repA2 = await createUser(server.database, { name: "李娜", role: "rep", managerId: w.managerA.id });
    const store = await server.upload(
      "customers",
      w.admin.token,
      `code,kind,name,owner\nPH-A2,pharmacy,李娜的药店,${repA2.id}\n`,
    );
    expect(store.body).toMatchObject({ imported: 1, failed: 0 });
    const storeId = store.body.rows[0].id as string;
    const api = await server.request("POST", "/api/stock-reports", w.managerA.token, {
      repId: w.repA.id,
      customerId: storeId,
      date: "2026-06-08",
      lines: [{ productId: w.products.P001, quantity: 3 }],
    });
    expect(api.status).toBe(403);

    const res = await server.upload(
      "stock",
      w.managerA.token,
      "storeCode,productCode,quantity,date,rep\nPH-A2,P001,3,2026-06-08,王小明\nPH-A2,P002,4,2026-06-08,李娜\n",
    );
    expect(rowOf(res.body, 3).status).toBe("ok");
    expect(rowOf(res.body, 2), JSON.stringify(res.body.rows)).toMatchObject({ status: "error" });
    const reports = await reportsAt(storeId, "2026-06-08");
    expect(reports.map((r) => r.repId)).toEqual([repA2.id]);
  });

  it("refuses a rep naming another rep, and a rep's store outside their book", async () => {
    const csv =
      "storeCode,productCode,quantity,date,rep\nPH-001,P001,3,2026-06-09,王小明\nDST-001,P001,3,2026-06-09,\n";
    const res = await server.upload("stock", w.repB.token, csv);
    expect(res.body).toMatchObject({ imported: 0, failed: 2 });
    expect(rowOf(res.body, 2).error).toBe("rep: 王小明 is outside your team");
    expect(rowOf(res.body, 3).error).toBe("storeCode: DST-001 is not one of your stores");
    expect(await reportsAt(pharmacy, "2026-06-09")).toHaveLength(0);
  });

  it("is refused to finance (403)", async () => {
    const res = await server.upload(
      "stock",
      w.finance.token,
      "storeCode,productCode,quantity,date\nPH-001,P001,1,2026-06-10\n",
    );
    expect(res.status).toBe(403);
    expect(await reportsAt(pharmacy, "2026-06-10")).toHaveLength(0);
  });
});
