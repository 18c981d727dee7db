import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, purchases } from "../../../src/db/schema";
import { type ImportTestServer, startImportServer } from "../../helpers/imports-app";
import { bom, gbk, type Row, rowOf } from "./encodings";
import { buildWorld, customerId, type World } from "./world";

let server: ImportTestServer;
let w: World;

beforeAll(async () => {
  server = await startImportServer();
  w = await buildWorld(server);
});
afterAll(() => server.close());

const purchaseById = async (id: string) =>
  server.database.db.select().from(purchases).where(eq(purchases.id, id)).get();

/** Count and total quantity of the purchases carrying a document number prefix. */
const totals = async (docPrefix: string) => {
  const rows = await server.database.db
    .select({ documentNo: purchases.documentNo, quantity: purchases.quantity })
    .from(purchases);
  const mine = rows.filter((r) => r.documentNo?.startsWith(docPrefix));
  return { n: mine.length, quantity: mine.reduce((s, r) => s + r.quantity, 0) };
};

describe("purchases import: encodings and CSV shapes", () => {
  it("reads a GBK flow file with CRLF, Chinese headers and Chinese dates", async () => {
    const text = [
      "供货方,客户编码,产品名称,销售日期,数量,金额,单号",
      "DST-001,PH-001,阿莫西林胶囊,2026年5月3日,20,500,GBK-1",
      'DST-001,HOS-001,阿莫,2026年5月9日,10,"￥250.00",GBK-2',
      "",
    ].join("\r\n");
    const res = await server.upload("purchases", w.admin.token, gbk(text), { query: "asOf=2026-05-31" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, updated: 0, failed: 0 });
    expect(await purchaseById(res.body.rows[1].id)).toMatchObject({
      sellerId: await customerId(server, w.admin.token, "DST-001"),
      buyerId: await customerId(server, w.admin.token, "HOS-001"),
      productId: w.products.P001,
      date: "2026-05-09",
      quantity: 10,
      amountCny: 250,
      source: "flow",
      documentNo: "GBK-2",
    });
  });

  it("reads UTF-8 with a BOM, columns in another order, an unknown column and quoted commas and line breaks", async () => {
    const csv = [
      "documentNo,Remarks,amountCny,quantity,date,productCode,buyerCode",
      '"BOM-1, part A","说明, 含逗号\r\n第二行","1,470.00",30,2026/5/10,P002,PH-001',
    ].join("\r\n");
    const res = await server.upload("purchases", w.admin.token, bom(csv));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 1, failed: 0, ignoredColumns: ["Remarks"] });
    expect(await purchaseById(res.body.rows[0].id)).toMatchObject({
      productId: w.products.P002,
      date: "2026-05-10",
      quantity: 30,
      amountCny: 1470,
      documentNo: "BOM-1, part A",
      source: "erp",
      sellerId: null,
    });
  });

  it("answers 400 for an empty body and nothing imported for a header alone", async () => {
    const empty = await server.upload("purchases", w.admin.token, "");
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/^file: /);
    const headerOnly = await server.upload(
      "purchases",
      w.admin.token,
      "buyerCode,productCode,date,quantity,amountCny\r\n",
    );
    expect(headerOnly.status).toBe(200);
    expect(headerOnly.body).toEqual({ imported: 0, updated: 0, failed: 0, rows: [] });
  });

  it("reads the amount from a header written with full-width brackets, 金额（元）", async () => {
    const res = await server.upload(
      "purchases",
      w.admin.token,
      "买方编码,产品编码,日期,数量,金额（元）,单据号\nPH-001,P001,2026-05-12,3,75,FW-1\n",
    );
    // Either the column is read, or the file is refused naming it: never an amount silently 0.
    if (res.status === 400) expect(res.body.error.message).toMatch(/金额（元）/);
    else {
      expect(res.body).toMatchObject({ imported: 1, failed: 0 });
      expect((await purchaseById(res.body.rows[0].id))?.amountCny).toBe(75);
    }
  });
});

describe("purchases import: rows good and bad", () => {
  it("saves the good rows of a mixed file and names each bad row by number and column", async () => {
    const csv = [
      "sellerCode,buyerCode,productCode,date,quantity,amountCny,documentNo",
      "DST-001,PH-001,P001,2026-05-14,5,125,MIXP-1",
      "DST-001,PH-001,P001,2026-02-30,5,125,MIXP-2",
      "DST-001,PH-001,P001,2026/13/1,5,125,MIXP-3",
      "DST-001,PH-001,P001,20260514,5,125,MIXP-4",
      "DST-001,PH-001,P001,2026-05-14,五,125,MIXP-5",
      "DST-001,PH-001,P001,2026-05-14,5,一百,MIXP-6",
      "DST-001,NOBODY,P001,2026-05-14,5,125,MIXP-7",
      "NOSELLER,PH-001,P001,2026-05-14,5,125,MIXP-8",
      "DST-001,PH-001,P404,2026-05-14,5,125,MIXP-9",
      "DST-001,PH-001,P001,2026-05-14,5,125.555,MIXP-10",
      "DST-001,PH-001,P001,2026-05-14,-2,-50,MIXP-11",
      `DST-001,PH-001,P001,2026-05-14,5,125,${"X".repeat(5000)}`,
    ].join("\n");
    const res = await server.upload("purchases", w.admin.token, csv, { query: "asOf=2026-05-31" });
    expect(res.body).toMatchObject({ imported: 2, updated: 0, failed: 10 });
    expect(rowOf(res.body, 2).status).toBe("ok");
    expect(rowOf(res.body, 3).error).toBe("date: must be a date YYYY-MM-DD");
    expect(rowOf(res.body, 4).error).toBe("date: must be a date YYYY-MM-DD");
    expect(rowOf(res.body, 5).error).toBe("date: must be a date YYYY-MM-DD");
    expect(rowOf(res.body, 6).error).toBe("quantity: must be a number, not 五");
    expect(rowOf(res.body, 7).error).toBe("amountCny: must be a number, not 一百");
    expect(rowOf(res.body, 8).error).toBe("buyerCode: no customer with code NOBODY");
    expect(rowOf(res.body, 9).error).toBe("sellerCode: no customer with code NOSELLER");
    expect(rowOf(res.body, 10).error).toBe("productCode: no product with code, name or alias P404");
    expect(rowOf(res.body, 11).error).toBe("amountCny: must have at most 2 decimals");
    // A return: negative quantity and amount.
    expect(rowOf(res.body, 12).status).toBe("ok");
    expect(await purchaseById(rowOf(res.body, 12).id as string)).toMatchObject({
      quantity: -2,
      amountCny: -50,
    });
    // An over-long document number is refused by its column, without echoing 5,000 characters.
    expect(rowOf(res.body, 13).error).toMatch(/^documentNo: .*64/);
    expect(rowOf(res.body, 13).error?.length).toBeLessThan(200);
    expect(await totals("MIXP-")).toEqual({ n: 2, quantity: 3 });
  });

  it("counts a row repeated in the same file once, and re-importing the file doubles nothing", async () => {
    const csv = [
      "sellerCode,buyerCode,productCode,date,quantity,amountCny,documentNo",
      "DST-001,PH-001,P002,2026-05-15,7,343,DUPP-1",
      "DST-001,PH-001,头孢克肟片,2026/5/15,7.0,343,DUPP-1",
      "DST-001,HOS-001,P002,2026-05-15,7,343,DUPP-2",
    ].join("\r\n");
    const first = await server.upload("purchases", w.admin.token, csv);
    expect(first.body).toMatchObject({ imported: 2, updated: 1, failed: 0 });
    expect(first.body.rows[1].id).toBe(first.body.rows[0].id);
    expect(await totals("DUPP-")).toEqual({ n: 2, quantity: 14 });

    const again = await server.upload("purchases", w.admin.token, csv);
    expect(again.body).toMatchObject({ imported: 0, updated: 3, failed: 0 });
    expect(await totals("DUPP-")).toEqual({ n: 2, quantity: 14 });
  });

  it("refuses a quantity whose comma is not a thousands separator instead of reading 1,5 as 15", async () => {
    const res = await server.upload(
      "purchases",
      w.admin.token,
      'buyerCode,productCode,date,quantity,amountCny,documentNo\nPH-001,P001,2026-05-16,"1,5",37.5,COMMA-1\n',
    );
    const row = res.body.rows[0] as Row;
    if (row.status === "ok") expect((await purchaseById(row.id as string))?.quantity).not.toBe(15);
    else expect(row.error).toMatch(/^quantity: /);
  });

  it("refuses a doctor as the buyer of a purchase (sales go to hospitals, pharmacies and distributors)", async () => {
    const res = await server.upload(
      "purchases",
      w.admin.token,
      "sellerCode,buyerCode,productCode,date,quantity,amountCny,documentNo\nDST-001,DOC-001,P001,2026-05-17,3,75,DOCB-1\n",
    );
    expect(res.body.rows[0], JSON.stringify(res.body)).toMatchObject({
      status: "error",
      error: expect.stringMatching(/^buyerCode: /),
    });
    expect(await totals("DOCB-")).toEqual({ n: 0, quantity: 0 });
    // POST /api/purchases refuses the same buyer by its field.
    const api = await server.request("POST", "/api/purchases", w.admin.token, {
      buyerId: await customerId(server, w.admin.token, "DOC-001"),
      productId: w.products.P001,
      date: "2026-05-17",
      quantity: 3,
    });
    expect(api.status).toBe(400);
    expect(api.body.error).toMatchObject({
      code: "validation",
      message: expect.stringMatching(/^buyerId: /),
    });
  });
});

describe("purchases import: audit and access", () => {
  it("an amount changed by a re-import leaves an audit row with the amount before and after", async () => {
    const head = "buyerCode,productCode,date,quantity,amountCny,documentNo\n";
    const first = await server.upload(
      "purchases",
      w.admin.token,
      `${head}DST-001,P001,2026-05-18,40,1000,AUDP-1\n`,
    );
    expect(first.body).toMatchObject({ imported: 1 });
    const id = first.body.rows[0].id as string;
    const created = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "purchase"), eq(auditLog.entityId, id)));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ action: "create", actorId: w.admin.id, via: "import" });
    expect(created[0].after).toMatchObject({ id, amountCny: 1000, documentNo: "AUDP-1" });
    const again = await server.upload(
      "purchases",
      w.admin.token,
      `${head}DST-001,P001,2026-05-18,40,1200,AUDP-1\n`,
    );
    expect(again.body.rows[0]).toMatchObject({ status: "updated", id });
    expect((await purchaseById(id))?.amountCny).toBe(1200);
    const audit = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "purchase"), eq(auditLog.entityId, id)));
    const change = audit.find((a) => a.action === "update");
    expect(change, JSON.stringify(audit)).toBeDefined();
    expect(change).toMatchObject({ actorId: w.admin.id, via: "import" });
    expect(change?.before).toMatchObject({ amountCny: 1000 });
    expect(change?.after).toMatchObject({ amountCny: 1200 });
  });

  it("is refused to a rep and to finance, writing nothing", async () => {
    const csv =
      "buyerCode,productCode,date,quantity,amountCny,documentNo\nPH-001,P001,2026-05-19,1,25,NOPE-1\n";
    for (const who of [w.repA, w.repB, w.finance]) {
      const res = await server.upload("purchases", who.token, csv);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    expect(await totals("NOPE-")).toEqual({ n: 0, quantity: 0 });
  });
});
