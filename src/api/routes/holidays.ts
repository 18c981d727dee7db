import { and, asc, eq, gt, gte, lte, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { auditInsert } from "../../db/audit";
import { nowIso } from "../../db/ids";
import { holidays } from "../../db/schema";
import { lastDayOfMonth } from "../../domain/dates";
import { holidayPut } from "../../schemas/catalog";
import { dateRangeQuery, isoDate, pageQuery } from "../../schemas/common";
import { type AppEnv, requireRole } from "../auth";
import type { ApiDeps } from "../deps";
import { badRequest, notFound } from "../errors";
import { decodeCursor, encodeCursor } from "../pagination";
import { jsonBody, queryOf } from "../validate";

type HolidayRow = typeof holidays.$inferSelect;
/** Built once: a zod schema built per request cost more than the page's query. */
const listQuery = pageQuery.merge(dateRangeQuery).extend({ type: z.enum(["off", "work"]).optional() });
const holidayJson = (h: HolidayRow) => ({ id: h.date, date: h.date, kind: h.kind, name: h.name });

/** Admin-entered calendar days, keyed by date: `off` (holiday) or `work` (调休 make-up day). */
export const holidayRoutes = ({ database }: ApiDeps) => {
  const { db, write } = database;
  const app = new Hono<AppEnv>();
  const dateParam = (raw: string) => {
    const p = isoDate.safeParse(raw);
    if (!p.success)
      throw badRequest("date: must be a date YYYY-MM-DD", [{ field: "date", message: "must be YYYY-MM-DD" }]);
    return p.data;
  };

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const after = decodeCursor(q.cursor);
    const filters: (SQL | undefined)[] = [
      after ? gt(holidays.date, after) : undefined,
      q.from ? gte(holidays.date, q.from) : undefined,
      q.to ? lte(holidays.date, q.to) : undefined,
      q.type ? eq(holidays.kind, q.type) : undefined,
      q.month
        ? and(gte(holidays.date, `${q.month}-01`), lte(holidays.date, lastDayOfMonth(q.month)))
        : undefined,
    ];
    const rows = await db
      .select()
      .from(holidays)
      .where(and(...filters))
      .orderBy(asc(holidays.date))
      .limit(q.limit + 1);
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    return c.json({
      items: items.map(holidayJson),
      nextCursor: more ? encodeCursor(items[items.length - 1].date) : null,
    });
  });

  app.get("/:date", async (c) => {
    const date = dateParam(c.req.param("date"));
    const row = await db.select().from(holidays).where(eq(holidays.date, date)).get();
    if (!row) throw notFound("holiday");
    return c.json(holidayJson(row));
  });

  app.put("/:date", requireRole("admin"), async (c) => {
    const date = dateParam(c.req.param("date"));
    const input = await jsonBody(c, holidayPut);
    // Read and write under the mutex: two PUTs of one date must not both think they created it.
    const { row, created } = await write(async (db) => {
      const at = nowIso();
      const before = await db.select().from(holidays).where(eq(holidays.date, date)).get();
      const row = {
        date,
        kind: input.kind,
        name: input.name ?? null,
        createdAt: before?.createdAt ?? at,
        updatedAt: at,
      };
      await db.batch([
        db
          .insert(holidays)
          .values(row)
          .onConflictDoUpdate({
            target: holidays.date,
            set: { kind: row.kind, name: row.name, updatedAt: at },
          }),
        auditInsert(db, {
          actorId: c.get("actor").id,
          action: before ? "update" : "create",
          entityType: "holiday",
          entityId: date,
          before: before ?? null,
          after: row,
        }),
      ]);
      return { row, created: !before };
    });
    return c.json(holidayJson(row), created ? 201 : 200);
  });

  app.delete("/:date", requireRole("admin"), async (c) => {
    const date = dateParam(c.req.param("date"));
    const before = await db.select().from(holidays).where(eq(holidays.date, date)).get();
    if (!before) throw notFound("holiday");
    await write((db) =>
      db.batch([
        db.delete(holidays).where(eq(holidays.date, date)),
        auditInsert(db, {
          actorId: c.get("actor").id,
          action: "delete",
          entityType: "holiday",
          entityId: date,
          before,
        }),
      ]),
    );
    return c.body(null, 204);
  });

  return app;
};
