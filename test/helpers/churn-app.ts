import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/api/app";
import { alertRoutes } from "../../src/api/routes/alerts";
import { privacyRoutes } from "../../src/api/routes/privacy";
import { moneyReportRoutes } from "../../src/api/routes/reports-money";
import { compose } from "../../src/compose";
import { loadConfig } from "../../src/config";
import type { Database } from "../../src/db/client";
import { newId, nowIso } from "../../src/db/ids";
import { customers, importBatches, products, purchases } from "../../src/db/schema";
import { createLogger } from "../../src/lib/log";
import type { Services } from "../../src/services";
import { tempDatabase } from "./app";

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

/** The real app with this area's routes mounted the way app.ts is to mount them, on a fixed clock. */
export const startChurnServer = async (now: () => Date): Promise<ChurnServer> => {
  const { dir, database, cleanup } = await tempDatabase();
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }, join(dir, "data"));
  const composition = compose(config, database, createLogger("silent"), { now });
  const deps = composition.deps;
  const app = createApp(deps, {
    apiRoutes: [
      { path: "/alerts", router: alertRoutes(deps) },
      { path: "/reports", router: moneyReportRoutes(deps) },
      { path: "/customers", router: privacyRoutes(deps) },
    ],
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body: parsed as any };
  };
  return {
    database,
    services: composition.services,
    request,
    raw: async (path, token) => {
      const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      return {
        status: res.status,
        bytes: Buffer.from(await res.arrayBuffer()),
        contentType: res.headers.get("content-type"),
      };
    },
    close: async () => {
      await composition.outbox.stop();
      await new Promise<void>((r) => server.close(() => r()));
      cleanup();
    },
  };
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
