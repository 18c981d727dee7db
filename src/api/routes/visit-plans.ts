import { and, eq, gte, inArray, lte, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { visitPlans } from "../../db/schema";
import { lastDayOfMonth, localDate } from "../../domain/dates";
import { dateRangeQuery, isoDate, pageQuery } from "../../schemas/common";
import { planCreate, planPatch } from "../../schemas/fieldwork";
import type { PlanRow } from "../../services/plans";
import {
  type AppEnv,
  apiActor,
  assertCustomerOfRep,
  canSee,
  resolveRepId,
  visibleUserIds,
  writableUserIds,
} from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, fromDomainError, notFound } from "../errors";
import { pageWhere, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

const listQuery = pageQuery.merge(dateRangeQuery).extend({
  repId: z.string().optional(),
  customerId: z.string().optional(),
  status: z.enum(["temporary", "normal", "void", "completed", "submitted"]).optional(),
});

const dailyQuery = z.object({ repId: z.string().optional(), date: isoDate.optional() });
const planJson = (p: PlanRow) => ({
  id: p.id,
  repId: p.repId,
  customerId: p.customerId,
  date: p.date,
  slot: p.slot,
  purpose: p.purpose,
  productIds: p.productIds,
  status: p.status,
  coVisitManagerId: p.coVisitManagerId,
  visitId: p.visitId,
});

export const visitPlanRoutes = ({ database, services }: ApiDeps) => {
  const { db } = database;
  const app = new Hono<AppEnv>();

  const loadVisible = async (actor: AppEnv["Variables"]["actor"], id: string) => {
    const row = await db.select().from(visitPlans).where(eq(visitPlans.id, id)).get();
    if (!row) throw notFound("visit plan");
    if (!canSee(await visibleUserIds(db, actor), row.repId) && row.coVisitManagerId !== actor.id)
      throw forbidden("this plan is outside your scope");
    return row;
  };

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const filters: (SQL | undefined)[] = [
      scope ? inArray(visitPlans.repId, scope) : undefined,
      q.repId ? eq(visitPlans.repId, q.repId) : undefined,
      q.customerId ? eq(visitPlans.customerId, q.customerId) : undefined,
      q.status ? eq(visitPlans.status, q.status) : undefined,
      q.from ? gte(visitPlans.date, q.from) : undefined,
      q.to ? lte(visitPlans.date, q.to) : undefined,
      q.month
        ? and(gte(visitPlans.date, `${q.month}-01`), lte(visitPlans.date, lastDayOfMonth(q.month)))
        : undefined,
    ];
    const { where, orderBy } = pageWhere(visitPlans.id, q.cursor, filters);
    const rows = await db
      .select()
      .from(visitPlans)
      .where(where)
      .orderBy(orderBy)
      .limit(q.limit + 1);
    return c.json(toPage(rows, q.limit, planJson));
  });

  /** The computed plan for a rep and date (what the daily-plan job sends). */
  app.get("/daily", async (c) => {
    const actor = c.get("actor");
    const q = queryOf(c, dailyQuery);
    const repId = q.repId ?? actor.id;
    if (!canSee(await visibleUserIds(db, actor), repId)) throw forbidden("this rep is outside your team");
    const date = q.date ?? localDate(services.now(), services.timeZone);
    const plan = await services.plans.daily(repId, date);
    return c.json({ ...plan, planned: plan.planned.map(planJson) });
  });

  app.get("/:id", async (c) => c.json(planJson(await loadVisible(c.get("actor"), c.req.param("id")))));

  app.post("/", async (c) => {
    const actor = c.get("actor");
    const input = await jsonBody(c, planCreate);
    const repId = await resolveRepId(db, actor, input.repId);
    await assertCustomerOfRep(db, repId, input.customerId);
    const result = await services.plans.create({ ...input, repId }, apiActor(actor));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(planJson(result.value), 201);
  });

  app.patch("/:id", async (c) => {
    const actor = c.get("actor");
    const before = await loadVisible(actor, c.req.param("id"));
    if (!canSee(await writableUserIds(db, actor), before.repId)) throw forbidden("read-only for your role");
    const patch = await jsonBody(c, planPatch);
    const result = await services.plans.update(before, patch, apiActor(actor));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(planJson(result.value));
  });

  return app;
};
