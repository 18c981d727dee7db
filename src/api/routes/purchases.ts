import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { Hono } from "hono";
import { z } from "zod";
import { auditInsert } from "../../db/audit";
import { newId, nowIso } from "../../db/ids";
import { closedMonths, PurchaseRefError, resolvePurchaseKey } from "../../db/repos/purchases";
import { customers, purchases } from "../../db/schema";
import { lastDayOfMonth } from "../../domain/dates";
import { purchaseCreate } from "../../schemas/catalog";
import { dateRangeQuery, pageQuery } from "../../schemas/common";
import { type AppEnv, canSee, requireRole, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { ApiError, forbidden, notFound } from "../errors";
import { type Cond, inIds, pageReader, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

type PurchaseRow = typeof purchases.$inferSelect;
/** Columns the purchase JSON does not show (the page does not read them). */
const NOT_SHOWN = ["naturalKey", "importBatchId", "createdAt", "updatedAt"] as const;
export const purchaseJson = (p: Omit<PurchaseRow, (typeof NOT_SHOWN)[number]>) => ({
  id: p.id,
  sellerId: p.sellerId,
  buyerId: p.buyerId,
  productId: p.productId,
  date: p.date,
  quantity: p.quantity,
  amountCny: p.amountCny,
  source: p.source,
  documentNo: p.documentNo,
});

const listQuery = pageQuery.merge(dateRangeQuery).extend({
  customerId: z.string().optional(),
  productId: z.string().optional(),
  repId: z.string().optional(),
  source: z.enum(["erp", "flow", "manual"]).optional(),
});

const readPurchasePage = pageReader(purchases, { omit: [...NOT_SHOWN] });

/** Purchases where the buyer or the seller is owned by one of `ids` (the list's scope). */
const ownedByAny = (ids: string[]): Cond => {
  const owned = `select id from customers where ${inIds("owner_id", ids)[0]}`;
  const json = JSON.stringify(ids);
  return [`t.buyer_id in (${owned}) or t.seller_id in (${owned})`, json, json];
};

export const purchaseRoutes = ({ database }: ApiDeps) => {
  const { db, write } = database;
  const app = new Hono<AppEnv>();
  const buyer = alias(customers, "buyer");
  const seller = alias(customers, "seller");

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const rows = await readPurchasePage(
      database.client,
      [
        scope ? ownedByAny(scope) : undefined,
        q.repId ? ownedByAny([q.repId]) : undefined,
        q.customerId ? ["t.buyer_id = ? or t.seller_id = ?", q.customerId, q.customerId] : undefined,
        q.productId ? ["t.product_id = ?", q.productId] : undefined,
        q.source ? ["t.source = ?", q.source] : undefined,
        q.from ? ["t.date >= ?", q.from] : undefined,
        q.to ? ["t.date <= ?", q.to] : undefined,
        q.month ? ["t.date >= ? and t.date <= ?", `${q.month}-01`, lastDayOfMonth(q.month)] : undefined,
      ],
      q.cursor,
      q.limit,
    );
    return c.json(toPage(rows, q.limit, purchaseJson));
  });

  app.get("/:id", async (c) => {
    const scope = await visibleUserIds(db, c.get("actor"));
    const row = await db
      .select({ p: purchases, buyerOwner: buyer.ownerId, sellerOwner: seller.ownerId })
      .from(purchases)
      .innerJoin(buyer, eq(buyer.id, purchases.buyerId))
      .leftJoin(seller, eq(seller.id, purchases.sellerId))
      .where(eq(purchases.id, c.req.param("id")))
      .get();
    if (!row) throw notFound("purchase");
    if (!canSee(scope, row.buyerOwner) && !canSee(scope, row.sellerOwner))
      throw forbidden("this purchase is between customers outside your scope");
    return c.json(purchaseJson(row.p));
  });

  app.post("/", requireRole("admin"), async (c) => {
    const input = await jsonBody(c, purchaseCreate);
    if ((await closedMonths(db)).has(input.date.slice(0, 7)))
      throw new ApiError(
        409,
        "locked",
        `date: month ${input.date.slice(0, 7)} is closed; record an adjustment instead`,
      );
    const naturalKey = await resolvePurchaseKey(db, input).catch((e) => {
      if (e instanceof PurchaseRefError)
        throw new ApiError(400, "validation", `${e.field}: ${e.message}`, [
          { field: e.field, message: e.message },
        ]);
      throw e;
    });
    const existing = await db
      .select({ id: purchases.id })
      .from(purchases)
      .where(eq(purchases.naturalKey, naturalKey))
      .get();
    if (existing)
      throw new ApiError(409, "duplicate", "this purchase is already recorded", { id: existing.id });
    const at = nowIso();
    const row = {
      ...input,
      sellerId: input.sellerId ?? null,
      id: newId(),
      naturalKey,
      createdAt: at,
      updatedAt: at,
    };
    await write((db) =>
      db.batch([
        db.insert(purchases).values(row),
        auditInsert(db, {
          actorId: c.get("actor").id,
          action: "create",
          entityType: "purchase",
          entityId: row.id,
          after: row,
        }),
      ]),
    );
    const stored = await db.select().from(purchases).where(eq(purchases.id, row.id)).get();
    return c.json(purchaseJson(stored!), 201);
  });

  return app;
};
