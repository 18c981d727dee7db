import { monitorEventLoopDelay } from "node:perf_hooks";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, customers, holidays, products, purchases, users } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import { buildHierarchy, type Hierarchy } from "./fixtures";

let server: TestServer;
let h: Hierarchy;
let buyers: string[];
let productIds: string[];

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
  buyers = [];
  for (const [token, name] of [
    [h.repA1.token, "华润堂(淮海路店)"],
    [h.repB1.token, "方回春堂"],
  ] as const)
    buyers.push((await server.request("POST", "/api/customers", token, { kind: "pharmacy", name })).body.id);
  productIds = [];
  for (const name of ["欣泰宁", "二甲双胍"])
    productIds.push((await server.request("POST", "/api/products", h.admin.token, { name })).body.id);
});
afterAll(() => server.close());

describe("concurrent writes", () => {
  it("serves 50 mixed writes fired at once, all 2xx, none busy, every row stored", async () => {
    const reps = [h.repA1, h.repA2, h.repB1];
    const patchable = [h.repA1, h.repA2, h.repB1, h.districtA, h.districtB, h.regional, h.finance, h.admin];
    const writes: { kind: string; run: () => ReturnType<TestServer["request"]> }[] = [];
    for (let i = 0; i < 12; i++) {
      const rep = reps[i % reps.length];
      writes.push({
        kind: "customer",
        run: () =>
          server.request("POST", "/api/customers", rep.token, {
            kind: "doctor",
            name: `并发医生${i}`,
            consent: { sms: { state: "granted", method: "verbal" } },
          }),
      });
    }
    for (let i = 0; i < 10; i++)
      writes.push({
        kind: "product",
        run: () => server.request("POST", "/api/products", h.admin.token, { name: `并发药品${i}` }),
      });
    for (let i = 0; i < 10; i++)
      writes.push({
        kind: "purchase",
        run: () =>
          server.request("POST", "/api/purchases", h.admin.token, {
            buyerId: buyers[i % 2],
            productId: productIds[i % 2],
            date: `2026-08-${String(i + 1).padStart(2, "0")}`,
            quantity: i + 1,
            amountCny: (i + 1) * 120.5,
          }),
      });
    for (let i = 0; i < 10; i++)
      writes.push({
        kind: "holiday",
        run: () =>
          server.request("PUT", `/api/holidays/2027-02-${String(i + 10).padStart(2, "0")}`, h.admin.token, {
            kind: "off",
            name: "春节",
          }),
      });
    for (let i = 0; i < 8; i++)
      writes.push({
        kind: "user",
        run: () =>
          server.request("PATCH", `/api/users/${patchable[i].id}`, h.admin.token, {
            territory: `并发区${i}`,
          }),
      });
    expect(writes).toHaveLength(50);

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const results = await Promise.all(writes.map((w) => w.run()));
    delay.disable();
    console.log("max event-loop delay ms", Number((delay.max / 1e6).toFixed(1)));

    const failed = results
      .map((r, i) => ({ kind: writes[i].kind, status: r.status, body: r.body }))
      .filter((r) => r.status < 200 || r.status >= 300);
    expect(failed).toEqual([]);
    expect(JSON.stringify(results)).not.toMatch(/SQLITE_BUSY|database is locked/);

    const idsOf = (kind: string) => results.filter((_, i) => writes[i].kind === kind).map((r) => r.body.id);
    const { db } = server.database;
    expect(
      await db
        .select()
        .from(customers)
        .where(inArray(customers.id, idsOf("customer"))),
    ).toHaveLength(12);
    expect(
      await db
        .select()
        .from(products)
        .where(inArray(products.id, idsOf("product"))),
    ).toHaveLength(10);
    expect(
      await db
        .select()
        .from(purchases)
        .where(inArray(purchases.id, idsOf("purchase"))),
    ).toHaveLength(10);
    expect(
      await db
        .select()
        .from(holidays)
        .where(inArray(holidays.date, idsOf("holiday"))),
    ).toHaveLength(10);
    const patched = await db
      .select()
      .from(users)
      .where(
        inArray(
          users.id,
          patchable.map((u) => u.id),
        ),
      );
    expect(patched.map((u) => u.territory).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `并发区${i}`));

    const audited = await db
      .select({ entityId: auditLog.entityId })
      .from(auditLog)
      .where(inArray(auditLog.entityId, [...results.map((r) => r.body.id), ...patchable.map((u) => u.id)]));
    expect(new Set(audited.map((a) => a.entityId)).size).toBe(50);
  });
});
