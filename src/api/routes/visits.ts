import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { visits } from "../../db/schema";
import { lastDayOfMonth } from "../../domain/dates";
import { dateRangeQuery, pageQuery } from "../../schemas/common";
import { coVisitCreate, visitCreate } from "../../schemas/fieldwork";
import type { VisitView } from "../../services/visits";
import { type AppEnv, apiActor, assertCustomerOfRep, canSee, resolveRepId, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, fromDomainError, notFound } from "../errors";
import { inIds, instantFormatter, pageReader, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

const listQuery = pageQuery.merge(dateRangeQuery).extend({
  repId: z.string().optional(),
  customerId: z.string().optional(),
  productId: z.string().optional(),
  planId: z.string().optional(),
  status: z.enum(["logged", "void"]).optional(),
  method: z.enum(["in_person", "phone", "wechat", "email", "meeting"]).optional(),
});

/** A page of visits with each visit's products (as `withProducts` gives them: by product id). */
/** Columns the visit JSON does not show (the page does not read them). */
const NOT_SHOWN = ["followUpDoneAt", "attendees", "via", "createdAt", "updatedAt"] as const;
const readVisitPage = pageReader(visits, {
  omit: [...NOT_SHOWN],
  extras: {
    productIds: `json((select json_group_array(l.product_id)
    from (select product_id from visit_products where visit_id = page.id order by product_id) l))`,
  },
});

export const visitRoutes = ({ database, services, config }: ApiDeps) => {
  const { db } = database;
  const app = new Hono<AppEnv>();
  const instant = instantFormatter(config.timeZone);
  const json = (v: Omit<VisitView, (typeof NOT_SHOWN)[number]>) => ({
    id: v.id,
    repId: v.repId,
    customerId: v.customerId,
    at: instant(v.at),
    date: v.date,
    timeKnown: v.timeKnown,
    method: v.method,
    purposes: v.purposes,
    // Sorted as the list reads them, so create, read and list answer the same array.
    productIds: [...v.productIds].sort(),
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
    const rows = await readVisitPage(
      database.client,
      [
        scope ? inIds("t.rep_id", scope) : undefined,
        q.repId ? ["t.rep_id = ?", q.repId] : undefined,
        q.customerId ? ["t.customer_id = ?", q.customerId] : undefined,
        q.planId ? ["t.plan_id = ?", q.planId] : undefined,
        q.status ? ["t.status = ?", q.status] : undefined,
        q.method ? ["t.method = ?", q.method] : undefined,
        q.productId
          ? ["t.id in (select visit_id from visit_products where product_id = ?)", q.productId]
          : undefined,
        q.from ? ["t.date >= ?", q.from] : undefined,
        q.to ? ["t.date <= ?", q.to] : undefined,
        q.month ? ["t.date >= ? and t.date <= ?", `${q.month}-01`, lastDayOfMonth(q.month)] : undefined,
      ],
      q.cursor,
      q.limit,
    );
    return c.json(toPage(rows, q.limit, (r) => json(r as typeof r & { productIds: string[] })));
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
    await assertCustomerOfRep(db, repId, input.customerId);
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
    return c.json({ ...result.value, createdAt: instant(result.value.createdAt) }, 201);
  });

  return app;
};
