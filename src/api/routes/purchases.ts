import { and, eq, getTableColumns, gte, inArray, lte, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { Hono } from "hono";
import { z } from "zod";
import { auditInsert } from "../../db/audit";
import { newId, nowIso } from "../../db/ids";
import { readJsonSelect } from "../../db/json-rows";
import { closedMonths, PurchaseRefError, resolvePurchaseKey } from "../../db/repos/purchases";
import { customers, purchases } from "../../db/schema";
import { lastDayOfMonth } from "../../domain/dates";
import { purchaseCreate } from "../../schemas/catalog";
import { dateRangeQuery, pageQuery } from "../../schemas/common";
import { type AppEnv, canSee, requireRole, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { ApiError, forbidden, notFound } from "../errors";
import { byId, pageWhere, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

type PurchaseRow = typeof purchases.$inferSelect;
export const purchaseJson = (p: PurchaseRow) => ({
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

export const purchaseRoutes = ({ database }: ApiDeps) => {
  const { db, write } = database;
  const app = new Hono<AppEnv>();
  const buyer = alias(customers, "buyer");
  const seller = alias(customers, "seller");

  /** Purchases where the buyer or the seller is owned by someone in scope. */
  const ownedBy = (ids: string[]) => or(inArray(buyer.ownerId, ids), inArray(seller.ownerId, ids));

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const filters: (SQL | undefined)[] = [
      scope ? ownedBy(scope) : undefined,
      q.repId ? ownedBy([q.repId]) : undefined,
      q.customerId
        ? or(eq(purchases.buyerId, q.customerId), eq(purchases.sellerId, q.customerId))
        : undefined,
      q.productId ? eq(purchases.productId, q.productId) : undefined,
      q.source ? eq(purchases.source, q.source) : undefined,
      q.from ? gte(purchases.date, q.from) : undefined,
      q.to ? lte(purchases.date, q.to) : undefined,
      q.month
        ? and(gte(purchases.date, `${q.month}-01`), lte(purchases.date, lastDayOfMonth(q.month)))
        : undefined,
    ];
    const { where, orderBy } = pageWhere(purchases.id, q.cursor, filters);
    const columns = getTableColumns(purchases);
    const rows = await readJsonSelect(
      db,
      columns,
      db
        .select(columns)
        .from(purchases)
        .innerJoin(buyer, eq(buyer.id, purchases.buyerId))
        .leftJoin(seller, eq(seller.id, purchases.sellerId))
        .where(where)
        .orderBy(orderBy)
        .limit(q.limit + 1),
    );
    return c.json(toPage(byId(rows), q.limit, purchaseJson));
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
