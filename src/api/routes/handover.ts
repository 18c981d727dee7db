import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { auditInsert } from "../../db/audit";
import { runBatch } from "../../db/client";
import { nowIso } from "../../db/ids";
import { customers, monthCloses } from "../../db/schema";
import { formatInstant } from "../../domain/dates";
import { month } from "../../schemas/common";
import { handoverInput } from "../../schemas/fieldwork";
import { type AppEnv, apiActor, canSee, requireRole, visibleUserIds, writableUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { ApiError, badRequest, forbidden, fromDomainError, notFound } from "../errors";
import { jsonBody } from "../validate";

/** `POST /api/customers/{id}/handover` — mounted beside the customer routes. */
export const handoverRoutes = ({ database, services }: ApiDeps) => {
  const { db } = database;
  const app = new Hono<AppEnv>();
  app.post("/:id/handover", async (c) => {
    const actor = c.get("actor");
    const customer = await db
      .select({ ownerId: customers.ownerId })
      .from(customers)
      .where(eq(customers.id, c.req.param("id")))
      .get();
    if (!customer) throw notFound("customer");
    const scope = await writableUserIds(db, actor);
    if (actor.role === "rep" || !canSee(scope, customer.ownerId))
      throw forbidden("only a manager of the owner or an admin may hand over");
    const input = await jsonBody(c, handoverInput);
    if (!canSee(await visibleUserIds(db, actor), input.toUserId))
      throw forbidden("toUserId: outside your team");
    const result = await services.ownership.handover(c.req.param("id"), input, apiActor(actor));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(result.value);
  });
  return app;
};

/** `POST /api/months/{YYYY-MM}/close` — 月结: the month's flow and stock are locked. */
export const monthRoutes = ({ database, config }: ApiDeps) => {
  const app = new Hono<AppEnv>();
  // Stored in UTC; answered with the company's offset like every instant (CONTRACT.md).
  const json = (r: typeof monthCloses.$inferSelect) => ({
    ...r,
    closedAt: formatInstant(new Date(r.closedAt), config.timeZone),
  });
  app.post("/:month/close", requireRole("admin"), async (c) => {
    const parsed = month.safeParse(c.req.param("month"));
    if (!parsed.success)
      throw badRequest("month: must be YYYY-MM", [{ field: "month", message: "must be YYYY-MM" }]);
    const m = parsed.data;
    const existing = await database.db.select().from(monthCloses).where(eq(monthCloses.month, m)).get();
    if (existing) throw new ApiError(409, "conflict", `month ${m} is already closed`, json(existing));
    const row = { month: m, closedAt: nowIso(), by: c.get("actor").id };
    await database.write((db) =>
      runBatch(db, [
        db.insert(monthCloses).values(row),
        auditInsert(db, { actorId: row.by, action: "close", entityType: "month", entityId: m, after: row }),
      ]),
    );
    return c.json(json(row), 201);
  });
  return app;
};
