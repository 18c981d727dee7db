import type { Database } from "../../src/db/client";
import { newId, nowIso } from "../../src/db/ids";
import { customers, importBatches, products, purchases } from "../../src/db/schema";
import type { Services } from "../../src/services";
import { startTestServer } from "./app";

export interface ChurnServer {
  database: Database;
  services: Services;
  request: (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ) => Promise<{ status: number; body: any }>;
  raw: (
    path: string,
    token: string,
  ) => Promise<{ status: number; bytes: Buffer; contentType: string | null }>;
  close: () => Promise<void>;
}

/** The real app on a fixed clock (its alerts, reports and privacy routes included). */
export const startChurnServer = async (now: () => Date): Promise<ChurnServer> => {
  const server = await startTestServer({}, { now });
  return { ...server, services: server.composition.services };
};

/** Direct inserts for hand-built churn and care fixtures. */
export const churnFixtures = (database: Database) => {
  const { db } = database;
  const at = nowIso();
  let productId: string | null = null;
  const product = async () => {
    if (productId) return productId;
    productId = newId();
    await db
      .insert(products)
      .values({ id: productId, code: "P1", name: "感冒灵", createdAt: at, updatedAt: at });
    return productId;
  };
  return {
    customer: async (
      fields: Partial<typeof customers.$inferInsert> &
        Pick<typeof customers.$inferInsert, "kind" | "name" | "ownerId">,
    ) => {
      const id = newId();
      await db
        .insert(customers)
        .values({ id, code: `C-${id.slice(-6)}`, createdAt: at, updatedAt: at, ...fields });
      return id;
    },
    /** One purchase line; sellerId null = the company (ERP). */
    purchase: async (
      buyerId: string,
      date: string,
      quantity: number,
      amountCny = 100,
      sellerId: string | null = null,
    ) => {
      const id = newId();
      await db.insert(purchases).values({
        id,
        sellerId,
        buyerId,
        productId: await product(),
        date,
        quantity,
        amountCny,
        source: sellerId ? "flow" : "erp",
        naturalKey: id,
        createdAt: at,
        updatedAt: at,
      });
      return id;
    },
    flowBatch: (sellerId: string, asOf: string) =>
      db.insert(importBatches).values({
        id: newId(),
        kind: "purchases",
        source: "flow",
        sellerId,
        asOf,
        by: "fixture",
        createdAt: at,
      }),
  };
};
