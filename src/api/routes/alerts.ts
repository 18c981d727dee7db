import { and, eq, gte, inArray, isNotNull, isNull, lte, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { alerts, alertTypes } from "../../db/schema";
import { formatInstant, lastDayOfMonth } from "../../domain/dates";
import { dateRangeQuery, idRef, pageQuery } from "../../schemas/common";
import { type AppEnv, canSee, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, notFound } from "../errors";
import { pageWhere, toPage } from "../pagination";
import { queryOf } from "../validate";

const listQuery = pageQuery.merge(dateRangeQuery).extend({
  type: z.enum(alertTypes).optional(),
  repId: idRef.optional(),
  customerId: idRef.optional(),
  status: z.enum(["open", "closed"]).optional(),
  severity: z.enum(["info", "warn", "critical"]).optional(),
});

type AlertRow = typeof alerts.$inferSelect;

/**
 * `GET /api/alerts` and `/api/alerts/{id}`: read-only (the rules open and close alerts).
 * A rep sees alerts addressed to them, a manager the team's, admin and finance all;
 * `from`/`to`/`month` filter on the date an alert opened.
 */
export const alertRoutes = ({ database, config }: ApiDeps) => {
  const { db } = database;
  const app = new Hono<AppEnv>();
  const json = (a: AlertRow) => ({
    id: a.id,
    type: a.type,
    customerId: a.customerId,
    repId: a.repId,
    severity: a.severity,
    level: a.level,
    openedAt: formatInstant(new Date(a.openedAt), config.timeZone),
    openedOn: a.openedOn,
    closedAt: a.closedAt ? formatInstant(new Date(a.closedAt), config.timeZone) : null,
    data: a.data,
  });

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const filters: (SQL | undefined)[] = [
      scope ? inArray(alerts.repId, scope) : undefined,
      q.type ? eq(alerts.type, q.type) : undefined,
      q.repId ? eq(alerts.repId, q.repId) : undefined,
      q.customerId ? eq(alerts.customerId, q.customerId) : undefined,
      q.severity ? eq(alerts.severity, q.severity) : undefined,
      q.status === "open" ? isNull(alerts.closedAt) : undefined,
      q.status === "closed" ? isNotNull(alerts.closedAt) : undefined,
      q.from ? gte(alerts.openedOn, q.from) : undefined,
      q.to ? lte(alerts.openedOn, q.to) : undefined,
      q.month
        ? and(gte(alerts.openedOn, `${q.month}-01`), lte(alerts.openedOn, lastDayOfMonth(q.month)))
        : undefined,
    ];
    const { where, orderBy } = pageWhere(alerts.id, q.cursor, filters);
    const rows = await db
      .select()
      .from(alerts)
      .where(where)
      .orderBy(orderBy)
      .limit(q.limit + 1);
    return c.json(toPage(rows, q.limit, json));
  });

  app.get("/:id", async (c) => {
    const row = await db
      .select()
      .from(alerts)
      .where(eq(alerts.id, c.req.param("id")))
      .get();
    if (!row) throw notFound("alert");
    if (!canSee(await visibleUserIds(db, c.get("actor")), row.repId))
      throw forbidden("this alert is outside your scope");
    return c.json(json(row));
  });

  return app;
};
