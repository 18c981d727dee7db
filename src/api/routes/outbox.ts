import { and, eq, inArray, or } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { customers, outbox } from "../../db/schema";
import { addDays, zonedInstant } from "../../domain/dates";
import type { OutboxRow } from "../../notify/types";
import { isoDate, pageQuery } from "../../schemas/common";
import { type AppEnv, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { notFound } from "../errors";
import { type Cond, inIds, instantFormatter, pageReader, toPage } from "../pagination";
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

/** Columns the outbox JSON does not show (the page does not read them). */
const NOT_SHOWN = ["address", "leaseUntil", "providerRef", "readAt"] as const;
const readOutboxPage = pageReader(outbox, { omit: [...NOT_SHOWN] });

/** `scoped` for a list page: messages to users in scope, or to customers they own. */
const scopedSql = (ids: string[]): Cond => {
  const [inScope, json] = inIds("t.recipient_id", ids);
  return [
    `(t.recipient_type = 'user' and ${inScope}) or (t.recipient_type = 'customer' and t.recipient_id in
      (select id from customers where ${inIds("owner_id", ids)[0]}))`,
    json,
    json,
  ];
};

/** The outbox, read-only: what was queued, sent, retried, suppressed and why. */
export const outboxRoutes = ({ database, config }: ApiDeps) => {
  const { db } = database;
  const app = new Hono<AppEnv>();
  const instant = instantFormatter(config.timeZone);
  const ts = (v: string | null) => (v ? instant(v) : null);
  /** `from`/`to` are days in the company's time zone, as `createdAt` is shown; stored instants are UTC. */
  const dayStart = (date: string) => zonedInstant(date, 0, 0, config.timeZone).toISOString();
  const json = (r: Omit<OutboxRow, (typeof NOT_SHOWN)[number]>) => ({
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
    const template = q.template ?? q.type;
    const rows = await readOutboxPage(
      database.client,
      [
        scope ? scopedSql(scope) : undefined,
        q.channel ? ["t.channel = ?", q.channel] : undefined,
        q.status ? ["t.status = ?", q.status] : undefined,
        q.recipientType ? ["t.recipient_type = ?", q.recipientType] : undefined,
        q.recipientId ? ["t.recipient_id = ?", q.recipientId] : undefined,
        template ? ["t.template = ?", template] : undefined,
        q.from ? ["t.created_at >= ?", dayStart(q.from)] : undefined,
        q.to ? ["t.created_at < ?", dayStart(addDays(q.to, 1))] : undefined,
      ],
      q.cursor,
      q.limit,
    );
    return c.json(toPage(rows, q.limit, json));
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
