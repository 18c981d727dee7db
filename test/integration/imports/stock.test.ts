import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, stockLines, stockReports } from "../../../src/db/schema";
import { type ImportTestServer, startImportServer } from "../../helpers/imports-app";
import { buildWorld, customerId, fixture, type World } from "./world";

let server: ImportTestServer;
let w: World;
let pharmacy: string;

beforeAll(async () => {
  server = await startImportServer();
  w = await buildWorld(server);
  pharmacy = await customerId(server, w.admin.token, "PH-001");
  // P001 was delivered to the pharmacy in April: it is carried there.
  const flow = await server.upload("purchases", w.admin.token, fixture("flow-dst001-2026-04.csv"), {
    query: "asOf=2026-04-30",
  });
  expect(flow.body.failed).toBe(0);
});
afterAll(() => server.close());

describe("POST /api/imports/stock", () => {
  it("records one report per store and date, with a stock-out finding for a carried product at zero", async () => {
    const res = await server.upload("stock", w.admin.token, fixture("stock-pharmacy.csv"));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, updated: 0, failed: 0 });
    const [a, b] = res.body.rows;
    expect(a.id).toBe(b.id);
    const report = await server.database.db
      .select()
      .from(stockReports)
      .where(eq(stockReports.id, a.id))
      .get();
    // No rep column: the store's owner is the rep.
    expect(report).toMatchObject({ customerId: pharmacy, date: "2026-04-30", repId: w.repB.id });
    expect(report!.findings).toEqual([
      { productId: w.products.P001, kind: "stock_out", reported: 0, expected: null },
    ]);
    expect(res.body.reports[0].findings[0].kind).toBe("stock_out");
    const lines = await server.database.db.select().from(stockLines).where(eq(stockLines.reportId, a.id));
    expect(lines.map((l) => [l.quantity, l.batch, l.expiry]).sort()).toEqual([
      [0, "B2403", "2027-06-30"],
      [25, "C2401", "2027-01-31"],
    ]);
    const open = await server.database.db.select().from(alerts).where(eq(alerts.customerId, pharmacy));
    expect(open.map((x) => x.type)).toContain("stock_out");
  });

  it("recognises the same counts imported again instead of recording them twice", async () => {
    const res = await server.upload("stock", w.admin.token, fixture("stock-pharmacy.csv"));
    expect(res.body).toMatchObject({ imported: 0, updated: 2, failed: 0 });
    const reports = await server.database.db
      .select()
      .from(stockReports)
      .where(eq(stockReports.customerId, pharmacy));
    expect(reports).toHaveLength(1);
  });

  it("lets a rep import counts for their own stores only, row by row", async () => {
    const csv =
      "门店编码,产品,数量,日期\nPH-001,阿莫西林胶囊,12,2026-05-06\nHOS-001,P001,3,2026-05-06\nDST-001,P001,3,2026-05-06\n";
    const res = await server.upload("stock", w.repB.token, csv);
    expect(res.body).toMatchObject({ imported: 1, failed: 2 });
    expect(res.body.rows[1].error).toBe("门店编码 (storeCode): HOS-001 is not one of your stores");
    const mine = await server.database.db
      .select()
      .from(stockReports)
      .where(eq(stockReports.id, res.body.rows[0].id))
      .get();
    expect(mine!.repId).toBe(w.repB.id);
  });

  it("lets a manager import for their team and names what is wrong in a row", async () => {
    const csv =
      "storeCode,productCode,quantity,date,rep\nDST-001,P001,480,2026-05-07,王小明\nDST-001,P002,-1,2026-05-07,\nPH-001,P001,5,2026-05-07,\n";
    const res = await server.upload("stock", w.managerA.token, csv);
    expect(res.body).toMatchObject({ imported: 1, failed: 2 });
    expect(res.body.rows[1].error).toBe("quantity: must not be negative");
    expect(res.body.rows[2].error).toBe("storeCode: PH-001 is not one of your stores");
  });

  it("refuses a non-store customer with the column and reason", async () => {
    const res = await server.upload(
      "stock",
      w.admin.token,
      "storeCode,productCode,quantity,date\nHOS-001,P001,3,2026-05-06\n",
    );
    expect(res.body.rows[0].error).toBe("storeCode: is a hospital, not a pharmacy or distributor");
  });

  it("is not for finance (403)", async () => {
    const res = await server.upload("stock", w.finance.token, fixture("stock-pharmacy.csv"));
    expect(res.status).toBe(403);
  });
});
