import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { customers } from "../../db/schema";
import { type AppEnv, apiActor, canSee, requireRole, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, notFound } from "../errors";

/**
 * `GET /api/customers/{id}/export` and `POST /api/customers/{id}/erase` (DOMAIN.md §9),
 * mounted at `/customers`: an admin, or a manager for the team's customers. Roles are
 * checked per route so nothing here runs for the other `/api/customers` routes.
 */
export const privacyRoutes = (deps: ApiDeps) => {
  const { db } = deps.database;
  const privacy = deps.services.privacy;
  const app = new Hono<AppEnv>();
  const allowed = requireRole("admin", "manager");

  const checkScope = async (c: Context<AppEnv>, id: string) => {
    const row = await db
      .select({ ownerId: customers.ownerId })
      .from(customers)
      .where(eq(customers.id, id))
      .get();
    if (!row) throw notFound("customer");
    if (!canSee(await visibleUserIds(db, c.get("actor")), row.ownerId))
      throw forbidden("this customer belongs to someone outside your scope");
  };

  app.get("/:id/export", allowed, async (c) => {
    const id = c.req.param("id");
    await checkScope(c, id);
    const result = await privacy.exportCustomer(id);
    if (!result.ok) throw notFound("customer");
    c.header("content-disposition", `attachment; filename="customer-${id}.json"`);
    return c.json(result.value);
  });

  app.post("/:id/erase", allowed, async (c) => {
    const id = c.req.param("id");
    await checkScope(c, id);
    const result = await privacy.eraseCustomer(id, apiActor(c.get("actor")));
    if (!result.ok) throw notFound("customer");
    return c.json(result.value);
  });

  return app;
};
