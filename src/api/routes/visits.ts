import { and, eq, getTableColumns, gte, inArray, lte, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { readJsonSelect } from "../../db/json-rows";
import { visitProducts, visits } from "../../db/schema";
import { formatInstant, lastDayOfMonth } from "../../domain/dates";
import { dateRangeQuery, pageQuery } from "../../schemas/common";
import { coVisitCreate, visitCreate } from "../../schemas/fieldwork";
import type { VisitView } from "../../services/visits";
import { type AppEnv, apiActor, canSee, resolveRepId, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, fromDomainError, notFound } from "../errors";
import { byId, pageWhere, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

const listQuery = pageQuery.merge(dateRangeQuery).extend({
  repId: z.string().optional(),
  customerId: z.string().optional(),
  productId: z.string().optional(),
  planId: z.string().optional(),
  status: z.enum(["logged", "void"]).optional(),
  method: z.enum(["in_person", "phone", "wechat", "email", "meeting"]).optional(),
});

export const visitRoutes = ({ database, services, config }: ApiDeps) => {
  const { db } = database;
  const app = new Hono<AppEnv>();
  const json = (v: VisitView) => ({
    id: v.id,
    repId: v.repId,
    customerId: v.customerId,
    at: formatInstant(new Date(v.at), config.timeZone),
    date: v.date,
    timeKnown: v.timeKnown,
    method: v.method,
    purposes: v.purposes,
    productIds: v.productIds,
    rating: v.rating,
    keyMessage: v.keyMessage,
    outcome: v.outcome,
    notes: v.notes,
    samples: v.samples,
    competitorInfo: v.competitorInfo,
    nextStep: v.nextStep,
    followUpOn: v.followUpOn,
    status: v.status,
    planId: v.planId,
  });

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const filters: (SQL | undefined)[] = [
      scope ? inArray(visits.repId, scope) : undefined,
      q.repId ? eq(visits.repId, q.repId) : undefined,
      q.customerId ? eq(visits.customerId, q.customerId) : undefined,
      q.planId ? eq(visits.planId, q.planId) : undefined,
      q.status ? eq(visits.status, q.status) : undefined,
      q.method ? eq(visits.method, q.method) : undefined,
      q.productId
        ? inArray(
            visits.id,
            db
              .select({ id: visitProducts.visitId })
              .from(visitProducts)
              .where(eq(visitProducts.productId, q.productId)),
          )
        : undefined,
      q.from ? gte(visits.date, q.from) : undefined,
      q.to ? lte(visits.date, q.to) : undefined,
      q.month ? and(gte(visits.date, `${q.month}-01`), lte(visits.date, lastDayOfMonth(q.month))) : undefined,
    ];
    const { where, orderBy } = pageWhere(visits.id, q.cursor, filters);
    const columns = getTableColumns(visits);
    const rows = await readJsonSelect(
      db,
      columns,
      db
        .select(columns)
        .from(visits)
        .where(where)
        .orderBy(orderBy)
        .limit(q.limit + 1),
    );
    const page = toPage(byId(rows), q.limit, (r) => r);
    return c.json({
      items: (await services.visits.withProducts(page.items)).map(json),
      nextCursor: page.nextCursor,
    });
  });

  app.get("/:id", async (c) => {
    const row = await db
      .select()
      .from(visits)
      .where(eq(visits.id, c.req.param("id")))
      .get();
    if (!row) throw notFound("visit");
    if (!canSee(await visibleUserIds(db, c.get("actor")), row.repId))
      throw forbidden("this visit is outside your scope");
    return c.json(json((await services.visits.withProducts([row]))[0]));
  });

  app.post("/", async (c) => {
    const actor = c.get("actor");
    const input = await jsonBody(c, visitCreate);
    const repId = await resolveRepId(db, actor, input.repId);
    const result = await services.visits.record(
      { ...input, repId },
      apiActor(actor),
      actor.timezone ?? config.timeZone,
    );
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(json(result.value), 201);
  });

  app.post("/:id/co-visit", async (c) => {
    const input = await jsonBody(c, coVisitCreate);
    const result = await services.visits.coVisit(c.req.param("id"), input, apiActor(c.get("actor")));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(result.value, 201);
  });

  return app;
};
