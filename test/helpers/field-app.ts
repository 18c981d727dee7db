import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/api/app";
import { fieldReportRoutes } from "../../src/api/routes/reports-field";
import { segmentRoutes } from "../../src/api/routes/segments";
import { loadConfig } from "../../src/config";
import type { Database } from "../../src/db/client";
import { newId, nowIso } from "../../src/db/ids";
import {
  coverage,
  customers,
  products,
  segments,
  visitPlans,
  visitProducts,
  visits,
} from "../../src/db/schema";
import { localDate } from "../../src/domain/dates";
import { createLogger } from "../../src/lib/log";
import { createServices } from "../../src/services";
import { createCustomerDecorator } from "../../src/services/customer-computed";
import { tempDatabase } from "./app";

export interface FieldServer {
  database: Database;
  request: (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ) => Promise<{ status: number; body: any }>;
  /** The raw bytes (a BOM survives; `Response.text()` would strip it) and headers. */
  raw: (
    path: string,
    token: string,
  ) => Promise<{ status: number; bytes: Buffer; contentType: string | null }>;
  close: () => Promise<void>;
}

/**
 * startTestServer with the field-work routes and decorator mounted the way app.ts is to
 * mount them, and a fixed clock so "the current month" is known.
 */
export const startFieldServer = async (now = new Date("2026-03-20T02:00:00Z")): Promise<FieldServer> => {
  const { dir, database, cleanup } = await tempDatabase();
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }, join(dir, "data"));
  const services = createServices(database, config, { now: () => now });
  const deps = { database, config, log: createLogger("silent"), services, platforms: () => ({}) };
  const app = createApp(deps, {
    apiRoutes: [
      { path: "/customers", router: segmentRoutes(deps) },
      { path: "/reports", router: fieldReportRoutes(deps) },
    ],
    customerDecorator: createCustomerDecorator(database, services.settings),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = (method: string, path: string, token?: string, body?: unknown) =>
    fetch(url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    database,
    request: async (method, path, token, body) => {
      const res = await send(method, path, token, body);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    raw: async (path, token) => {
      const res = await send("GET", path, token);
      return {
        status: res.status,
        bytes: Buffer.from(await res.arrayBuffer()),
        contentType: res.headers.get("content-type"),
      };
    },
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      cleanup();
    },
  };
};

/** Direct inserts for hand-built report fixtures. */
export const fixtureWriter = (database: Database) => {
  const { db } = database;
  const at = nowIso();
  return {
    product: async (name: string, code: string, active = true) => {
      const id = newId();
      await db.insert(products).values({ id, code, name, active, createdAt: at, updatedAt: at });
      return id;
    },
    customer: async (
      fields: Partial<typeof customers.$inferInsert> &
        Pick<typeof customers.$inferInsert, "kind" | "name" | "ownerId">,
    ) => {
      const id = newId();
      await db.insert(customers).values({ id, code: `C-${id}`, createdAt: at, updatedAt: at, ...fields });
      return id;
    },
    segment: (customerId: string, productId: string, usage: number, potential: number) =>
      db
        .insert(segments)
        .values({ customerId, productId, usage, potential, updatedAt: at, updatedBy: "fixture" }),
    coverage: (customerId: string, productId: string, listed: boolean, reason: string | null = null) =>
      db
        .insert(coverage)
        .values({ customerId, productId, listed, reason, updatedAt: at, updatedBy: "fixture" }),
    plan: async (
      repId: string,
      customerId: string,
      date: string,
      status: (typeof visitPlans.$inferInsert)["status"],
    ) => {
      const id = newId();
      await db
        .insert(visitPlans)
        .values({ id, repId, customerId, date, slot: "am", status, createdAt: at, updatedAt: at });
      return id;
    },
    /** `when` is an ISO instant with its offset; `date` is its Shanghai date, as the visit service stores it. */
    visit: async (
      repId: string,
      customerId: string,
      when: string,
      productIds: string[] = [],
      opts: { method?: "in_person" | "phone"; planId?: string; status?: "logged" | "void" } = {},
    ) => {
      const id = newId();
      const instant = new Date(when);
      await db.insert(visits).values({
        id,
        repId,
        customerId,
        at: instant.toISOString(),
        date: localDate(instant, "Asia/Shanghai"),
        timeKnown: true,
        method: opts.method ?? "in_person",
        rating: 5,
        status: opts.status ?? "logged",
        planId: opts.planId ?? null,
        createdAt: at,
        updatedAt: at,
      });
      for (const productId of productIds) await db.insert(visitProducts).values({ visitId: id, productId });
      return id;
    },
  };
};
