import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { customers } from "../../db/schema";
import { formatInstant } from "../../domain/dates";
import { coveragePut, segmentPut } from "../../schemas/field";
import { createCoverageService } from "../../services/coverage";
import { createSegmentService } from "../../services/segments";
import { type AppEnv, apiActor, canSee, requireRole, writableUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, fromDomainError, notFound } from "../errors";
import { jsonBody } from "../validate";

/**
 * Doctor segments and account coverage, mounted at `/api/customers` beside the customer
 * routes. Roles are checked per route, not with `use("*")`: a middleware here would also
 * run for every other `/api/customers` route.
 */
export const segmentRoutes = (deps: ApiDeps) => {
  const { db } = deps.database;
  const ctx = deps.services;
  const segmentService = createSegmentService(ctx);
  const coverageService = createCoverageService(ctx);
  const app = new Hono<AppEnv>();
  const writers = requireRole("admin", "manager", "rep");

  /** The customer must exist and belong to someone whose records the actor may change. */
  const checkWritable = async (c: Context<AppEnv>, id: string) => {
    const row = await db
      .select({ ownerId: customers.ownerId })
      .from(customers)
      .where(eq(customers.id, id))
      .get();
    if (!row) throw notFound("customer");
    if (!canSee(await writableUserIds(db, c.get("actor")), row.ownerId))
      throw forbidden("this customer belongs to someone outside your scope");
  };

  app.put("/:id/segments/:productId", writers, async (c) => {
    const { id, productId } = c.req.param();
    await checkWritable(c, id);
    const input = await jsonBody(c, segmentPut);
    const result = await segmentService.put(id, productId, input, apiActor(c.get("actor")));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(result.value);
  });

  app.put("/:id/coverage/:productId", writers, async (c) => {
    const { id, productId } = c.req.param();
    await checkWritable(c, id);
    const input = await jsonBody(c, coveragePut);
    const result = await coverageService.put(id, productId, input, apiActor(c.get("actor")));
    if (!result.ok) throw fromDomainError(result.error);
    const v = result.value;
    return c.json({ ...v, updatedAt: formatInstant(new Date(v.updatedAt), ctx.timeZone) });
  });

  return app;
};
