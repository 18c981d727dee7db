import { and, eq, getTableColumns, gte, inArray, lte, or, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { readJsonSelect } from "../../db/json-rows";
import { customers, outbox } from "../../db/schema";
import { formatInstant } from "../../domain/dates";
import type { OutboxRow } from "../../notify/types";
import { isoDate, pageQuery } from "../../schemas/common";
import { type AppEnv, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { notFound } from "../errors";
import { byId, pageWhere, toPage } from "../pagination";
import { queryOf } from "../validate";

const listQuery = pageQuery.extend({
  channel: z.enum(["email", "sms", "slack", "wecom", "console"]).optional(),
  status: z.enum(["pending", "sending", "sent", "retrying", "dead", "suppressed", "expired"]).optional(),
  recipientType: z.enum(["user", "customer"]).optional(),
  recipientId: z.string().optional(),
  template: z.string().max(60).optional(),
  type: z.string().max(60).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

/** The outbox, read-only: what was queued, sent, retried, suppressed and why. */
export const outboxRoutes = ({ database, config }: ApiDeps) => {
  const { db } = database;
  const app = new Hono<AppEnv>();
  const ts = (v: string | null) => (v ? formatInstant(new Date(v), config.timeZone) : null);
  const json = (r: OutboxRow) => ({
    id: r.id,
    channel: r.channel,
    recipientType: r.recipientType,
    recipientId: r.recipientId,
    template: r.template,
    locale: r.locale,
    data: r.data,
    dedupeKey: r.dedupeKey,
    status: r.status,
    attempts: r.attempts,
    notBefore: ts(r.notBefore),
    expiresAt: ts(r.expiresAt),
    createdAt: ts(r.createdAt),
    sentAt: ts(r.sentAt),
    error: r.error,
    suppressedReason: r.suppressedReason,
  });

  /** Messages to users in scope, or to customers those users own. */
  const scoped = (ids: string[]) =>
    or(
      and(eq(outbox.recipientType, "user"), inArray(outbox.recipientId, ids)),
      and(
        eq(outbox.recipientType, "customer"),
        inArray(
          outbox.recipientId,
          db.select({ id: customers.id }).from(customers).where(inArray(customers.ownerId, ids)),
        ),
      ),
    );

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const filters: (SQL | undefined)[] = [
      scope ? scoped(scope) : undefined,
      q.channel ? eq(outbox.channel, q.channel) : undefined,
      q.status ? eq(outbox.status, q.status) : undefined,
      q.recipientType ? eq(outbox.recipientType, q.recipientType) : undefined,
      q.recipientId ? eq(outbox.recipientId, q.recipientId) : undefined,
      (q.template ?? q.type) ? eq(outbox.template, (q.template ?? q.type)!) : undefined,
      q.from ? gte(outbox.createdAt, `${q.from}T00:00:00`) : undefined,
      q.to ? lte(outbox.createdAt, `${q.to}T23:59:59.999Z`) : undefined,
    ];
    const { where, orderBy } = pageWhere(outbox.id, q.cursor, filters);
    const columns = getTableColumns(outbox);
    const rows = await readJsonSelect(
      db,
      columns,
      db
        .select(columns)
        .from(outbox)
        .where(where)
        .orderBy(orderBy)
        .limit(q.limit + 1),
    );
    return c.json(toPage(byId(rows), q.limit, json));
  });

  app.get("/:id", async (c) => {
    const scope = await visibleUserIds(db, c.get("actor"));
    const row = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.id, c.req.param("id")), scope ? scoped(scope) : undefined))
      .get();
    if (!row) throw notFound("outbox message");
    return c.json(json(row));
  });

  return app;
};
