import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, consentEvents, customers, importBatches } from "../../../src/db/schema";
import { type ImportTestServer, startImportServer } from "../../helpers/imports-app";
import { buildWorld, fixture, type World } from "./world";

let server: ImportTestServer;
let w: World;

beforeAll(async () => {
  server = await startImportServer();
  w = await buildWorld(server, { customers: false });
});
afterAll(() => server.close());

const byCode = async (code: string) =>
  (await server.database.db.select().from(customers).where(eq(customers.code, code)).get())!;

describe("POST /api/imports/customers", () => {
  it("imports a GBK file with Chinese headers; bad rows are explained by row and column", async () => {
    const res = await server.upload("customers", w.admin.token, fixture("customers-gbk.csv"));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 5, updated: 0, failed: 2 });
    expect(res.body.rows.map((r: { row: number }) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const errors = res.body.rows.filter((r: { status: string }) => r.status === "error");
    expect(errors.map((e: { row: number }) => e.row)).toEqual([7, 8]);
    expect(errors[0].error).toMatch(/^类型 \(kind\): 诊所 is not one of the accepted values \("hospital"/);
    expect(errors[1].error).toBe("床位数 (beds): must be a number, not 八百");

    const hospital = await byCode("HOS-001");
    expect(hospital).toMatchObject({ kind: "hospital", name: "上海市第一人民医院", cityTier: 1, beds: 1200 });
    expect(hospital.monthlyPurchaseCny).toBe(6_000_000);
    expect(hospital.ownerId).toBe(w.repA.id);
    const dept = await byCode("DEP-001");
    expect(dept.parentId).toBe(hospital.id);
    const doctor = await byCode("DOC-001");
    expect(doctor).toMatchObject({ parentId: dept.id, kol: true, birthday: "1968-03-08", title: "主任医师" });
    expect(doctor.smsConsent).toBe("granted");
    const ledger = await server.database.db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.customerId, doctor.id));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ channel: "sms", state: "granted", method: "import", by: w.admin.id });
    expect(ledger[0].evidence).toBe("纸质同意书 2026-01-05");
    expect((await byCode("PH-001")).name).toBe("益丰大药房（徐汇店）");
    expect((await byCode("PH-001")).ownerId).toBe(w.repB.id);
  });

  it("re-importing the same file updates, never duplicates, and adds no consent rows", async () => {
    const before = (await server.database.db.select().from(customers)).length;
    const res = await server.upload("customers", w.admin.token, fixture("customers-gbk.csv"));
    expect(res.body).toMatchObject({ imported: 0, updated: 5, failed: 2 });
    expect((await server.database.db.select().from(customers)).length).toBe(before);
    const doctor = await byCode("DOC-001");
    const ledger = await server.database.db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.customerId, doctor.id));
    expect(ledger).toHaveLength(1);
  });

  it("matches rows without a code by (kind, name, city, parent) and writes a changed field", async () => {
    const csv = "kind,name,city,parent,beds,owner\nhospital,浦东新区人民医院,上海,,300,wxm@example.cn\n";
    const first = await server.upload("customers", w.admin.token, csv);
    expect(first.body).toMatchObject({ imported: 1, updated: 0, failed: 0 });
    const again = await server.upload("customers", w.admin.token, csv.replace(",300,", ",450,"));
    expect(again.body).toMatchObject({ imported: 0, updated: 1, failed: 0 });
    expect(again.body.rows[0].id).toBe(first.body.rows[0].id);
    const row = await server.database.db
      .select()
      .from(customers)
      .where(eq(customers.id, first.body.rows[0].id))
      .get();
    expect(row).toMatchObject({ beds: 450, ownerId: w.repA.id });
    expect(row!.code).toMatch(/^H/);
  });

  it("refuses an owner change (handover is its own action) and an unknown parent, naming the column", async () => {
    const csv =
      "code,kind,name,owner,parent\nHOS-001,hospital,上海市第一人民医院,张伟,\nDOC-9,doctor,李四,王小明,NOPE\n";
    const res = await server.upload("customers", w.admin.token, csv);
    expect(res.body).toMatchObject({ imported: 0, updated: 0, failed: 2 });
    expect(res.body.rows[0].error).toMatch(/^owner: .*handover/);
    expect(res.body.rows[1].error).toMatch(/^parent: no department or hospital with code or name NOPE/);
  });

  it("writes one import_batch audit row per import with the counts", async () => {
    const batches = await server.database.db
      .select()
      .from(importBatches)
      .where(eq(importBatches.kind, "customers"));
    expect(batches.length).toBeGreaterThanOrEqual(4);
    const first = batches.sort((a, b) => a.id.localeCompare(b.id))[0];
    expect(first).toMatchObject({ rows: 7, imported: 5, updated: 0, failed: 2, by: w.admin.id });
    const audit = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "import_batch"), eq(auditLog.entityId, first.id)));
    expect(audit).toHaveLength(1);
  });

  it("is admin-only: 403 for a rep and a manager", async () => {
    for (const who of [w.repA, w.managerA]) {
      const res = await server.upload("customers", who.token, fixture("customers-gbk.csv"));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
  });
});

describe("customer parents in an import", () => {
  it("hangs a store under its chain by name, and refuses a loop", async () => {
    const csv =
      "code,kind,name,parent\nCHAIN-1,pharmacy,老百姓大药房,\nSTORE-1,pharmacy,老百姓大药房（漕河泾店）,老百姓大药房\nCHAIN-1,pharmacy,老百姓大药房,STORE-1\n";
    const res = await server.upload("customers", w.admin.token, csv);
    expect(res.body).toMatchObject({ imported: 2, failed: 1 });
    expect(res.body.rows[2].error).toBe("parent: a customer cannot be its own ancestor");
    expect((await byCode("STORE-1")).parentId).toBe((await byCode("CHAIN-1")).id);
  });
});
