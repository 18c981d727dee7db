import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import { buildHierarchy, created, type Hierarchy, SHANGHAI_INSTANT } from "./fixtures";

/** 01:30 on 3 March in Shanghai, still 2 March in UTC. */
const CLOCK = new Date("2026-03-02T17:30:00.000Z");

let server: TestServer;
let h: Hierarchy;

beforeAll(async () => {
  server = await startTestServer({}, { now: () => CLOCK });
  h = await buildHierarchy(server);
});
afterAll(() => server.close());

const post = (path: string, token: string, body: object) => created(server, path, token, body);

describe("a stock alert's date", () => {
  it("is the company's date of the report, as churn alerts and the alert filters use", async () => {
    const distributor = await post("/api/customers", h.repB1.token, {
      kind: "distributor",
      name: "国药控股浙江有限公司",
    });
    const xtn = await post("/api/products", h.admin.token, { name: "欣泰宁", code: "XTN" });
    await post("/api/purchases", h.admin.token, {
      buyerId: distributor.id,
      productId: xtn.id,
      date: "2026-03-01",
      quantity: 200,
    });
    const report = await post("/api/stock-reports", h.repB1.token, {
      customerId: distributor.id,
      date: "2026-03-03",
      lines: [{ productId: xtn.id, quantity: 20 }],
    });
    expect(report.findings).toMatchObject([{ kind: "discrepancy", reported: 20, expected: 200 }]);

    const [alert] = await server.database.db
      .select()
      .from(alerts)
      .where(eq(alerts.customerId, distributor.id));
    expect(alert).toMatchObject({ type: "stock_discrepancy", openedOn: "2026-03-03" });
    const listed = await server.request("GET", "/api/alerts?from=2026-03-03&to=2026-03-03", h.admin.token);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([alert.id]);
    expect(listed.body.items[0].openedAt).toMatch(SHANGHAI_INSTANT);
    const dayBefore = await server.request("GET", "/api/alerts?from=2026-03-02&to=2026-03-02", h.admin.token);
    expect(dayBefore.body.items).toEqual([]);
  });
});
