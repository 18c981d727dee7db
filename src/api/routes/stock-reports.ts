import { and, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { stockLines, stockReports } from "../../db/schema";
import { lastDayOfMonth } from "../../domain/dates";
import { dateRangeQuery, idRef, pageQuery } from "../../schemas/common";
import { stockReportCreate } from "../../schemas/fieldwork";
import { type AppEnv, apiActor, assertCustomerOfRep, canSee, resolveRepId, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, fromDomainError, notFound } from "../errors";
import { pageWhere, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

const listQuery = pageQuery.merge(dateRangeQuery).extend({
  repId: z.string().optional(),
  customerId: z.string().optional(),
  /** Reports with a line of that product. */
  productId: idRef.optional(),
  type: z.enum(["discrepancy", "stock_out"]).optional(),
});

export const stockReportRoutes = ({ database, services }: ApiDeps) => {
  const { db } = database;
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const filters: (SQL | undefined)[] = [
      scope ? inArray(stockReports.repId, scope) : undefined,
      q.repId ? eq(stockReports.repId, q.repId) : undefined,
      q.customerId ? eq(stockReports.customerId, q.customerId) : undefined,
      q.productId
        ? sql`exists (select 1 from ${stockLines} where ${stockLines.reportId} = ${stockReports.id} and ${stockLines.productId} = ${q.productId})`
        : undefined,
      q.type
        ? sql`exists (select 1 from json_each(${stockReports.findings}) where json_extract(value, '$.kind') = ${q.type})`
        : undefined,
      q.from ? gte(stockReports.date, q.from) : undefined,
      q.to ? lte(stockReports.date, q.to) : undefined,
      q.month
        ? and(gte(stockReports.date, `${q.month}-01`), lte(stockReports.date, lastDayOfMonth(q.month)))
        : undefined,
    ];
    const { where, orderBy } = pageWhere(stockReports.id, q.cursor, filters);
    const rows = await db
      .select()
      .from(stockReports)
      .where(where)
      .orderBy(orderBy)
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => r);
    return c.json({ items: await services.stock.views(page.items), nextCursor: page.nextCursor });
  });

  app.get("/:id", async (c) => {
    const report = await services.stock.get(c.req.param("id"));
    if (!report) throw notFound("stock report");
    if (!canSee(await visibleUserIds(db, c.get("actor")), report.repId))
      throw forbidden("this report is outside your scope");
    return c.json(report);
  });

  app.post("/", async (c) => {
    const actor = c.get("actor");
    const input = await jsonBody(c, stockReportCreate);
    const repId = await resolveRepId(db, actor, input.repId);
    await assertCustomerOfRep(db, repId, input.customerId);
    const result = await services.stock.record({ ...input, repId }, apiActor(actor));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(result.value, 201);
  });

  return app;
};
