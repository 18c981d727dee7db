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
import { startTestServer } from "./app";

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
  return startTestServer({}, { now: () => now });
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
