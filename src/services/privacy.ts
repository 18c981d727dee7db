/**
 * A customer's personal data on request (DOMAIN.md §9): export everything held about
 * them as one document, or erase it everywhere — the audit log's copies included —
 * keeping only the fact that an erasure happened, by whom and when.
 */
import { and, eq, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { type Db, runBatch, type Statement } from "../db/client";
import {
  alerts,
  auditLog,
  consentEvents,
  coVisits,
  coverage,
  customers,
  outbox,
  ownershipChanges,
  purchases,
  segments,
  stockLines,
  stockReports,
  visitPlans,
  visitProducts,
  visits,
} from "../db/schema";
import { fail, ok, type Result } from "../domain/result";
import type { Actor, ServiceContext } from "./context";
import { maskValues, personalValues, redactPersonal, scrubCustomerEntries, scrubJson } from "./privacy-scrub";

type AuditRow = typeof auditLog.$inferSelect;

/** Entities that are the customer's own records: their audit copies lose every personal key. */
const ownEntityIds = (id: string): SQL => sql`(
  ${auditLog.entityId} = ${id}
  or ${auditLog.entityId} in (select id from visits where customer_id = ${id})
  or ${auditLog.entityId} in (select id from visit_plans where customer_id = ${id})
  or ${auditLog.entityId} in (select id from co_visits where visit_id in (select id from visits where customer_id = ${id}))
  or ${auditLog.entityId} in (select id from consent_events where customer_id = ${id})
  or ${auditLog.entityId} in (select id from stock_reports where customer_id = ${id}))`;

/** Audit rows about the customer: their own records, or any copy naming their id. */
const auditAbout = (db: Db, id: string) =>
  db
    .select()
    .from(auditLog)
    .where(
      or(
        ownEntityIds(id),
        sql`instr(coalesce(${auditLog.before}, ''), ${id}) > 0`,
        sql`instr(coalesce(${auditLog.after}, ''), ${id}) > 0`,
      ),
    )
    .orderBy(auditLog.at, auditLog.id);

const ownAuditIds = async (db: Db, id: string) =>
  new Set((await db.select({ id: auditLog.id }).from(auditLog).where(ownEntityIds(id))).map((r) => r.id));

/** A co-visit's copy without the manager's score of the rep and who gave it. */
const withoutScore = (v: AuditRow["before"]): AuditRow["before"] => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const { score: _score, managerId: _managerId, ...rest } = v as Record<string, unknown>;
  return rest as AuditRow["before"];
};

/**
 * The audit rows for an export: the customer's own records whole; a record about someone
 * else that merely names them (a doctor under an exported hospital) without that other
 * person's personal data, which is neither the customer's nor always in the reader's scope.
 */
const exportAudit = async (db: Db, id: string) => {
  const own = await ownAuditIds(db, id);
  return (await auditAbout(db, id)).map((r) =>
    r.entityType === "co_visit"
      ? { ...r, before: withoutScore(r.before), after: withoutScore(r.after) }
      : own.has(r.id)
        ? r
        : {
            ...r,
            before: redactPersonal(r.before) as AuditRow["before"],
            after: redactPersonal(r.after) as AuditRow["after"],
          },
  );
};

/** Co-visit reports on the customer's visits keep the manager's judgement, not the customer's data. */
const coVisitScrubs = async (w: Db, id: string, values: string[]) => {
  const rows = await w
    .select({ id: coVisits.id, report: coVisits.report })
    .from(coVisits)
    .where(sql`${coVisits.visitId} in (select id from visits where customer_id = ${id})`);
  return rows
    .filter((r) => r.report !== null)
    .map((r) =>
      w
        .update(coVisits)
        .set({ report: maskValues(r.report!, values) })
        .where(eq(coVisits.id, r.id)),
    );
};

const addressedTo = (id: string) => and(eq(outbox.recipientType, "customer"), eq(outbox.recipientId, id));

/**
 * Rewrites of the messages to others that name the customer. One about them alone (a churn
 * alert) is stopped if still waiting and emptied; one listing others too (a rep's daily plan)
 * keeps going with the customer's entries anonymized — erasing one customer must not drop
 * a rep's whole plan.
 */
const outboxScrubs = async (w: Db, id: string, values: string[], anonymousName: string) => {
  const rows = await w
    .select({ id: outbox.id, data: outbox.data, status: outbox.status })
    .from(outbox)
    .where(
      and(
        sql`instr(${outbox.data}, ${id}) > 0`,
        or(ne(outbox.recipientType, "customer"), ne(outbox.recipientId, id)),
      ),
    );
  const o = { values, own: false, anonymousName };
  return rows.map((r) => {
    const aboutOnly = (r.data as Record<string, unknown>).customerId === id;
    if (!aboutOnly)
      return w
        .update(outbox)
        .set({ data: scrubCustomerEntries(r.data, id, o) as typeof r.data })
        .where(eq(outbox.id, r.id));
    const waiting = r.status === "pending" || r.status === "retrying";
    return w
      .update(outbox)
      .set({ data: {}, ...(waiting ? { status: "suppressed" as const, suppressedReason: "erased" } : {}) })
      .where(eq(outbox.id, r.id));
  });
};

const exportVisits = async (db: Db, id: string) => {
  const rows = await db.select().from(visits).where(eq(visits.customerId, id)).orderBy(visits.at);
  const ids = rows.map((v) => v.id);
  const products = ids.length
    ? await db.select().from(visitProducts).where(inArray(visitProducts.visitId, ids))
    : [];
  const coVisitRows = ids.length
    ? await db.select().from(coVisits).where(inArray(coVisits.visitId, ids))
    : [];
  return rows.map((v) => ({
    ...v,
    productIds: products.filter((p) => p.visitId === v.id).map((p) => p.productId),
    // What the manager noted about the visit, not how they scored the rep (an employee record).
    coVisits: coVisitRows
      .filter((r) => r.visitId === v.id)
      .map(({ id, visitId, report, createdAt }) => ({ id, visitId, report, createdAt })),
  }));
};

const exportStock = async (db: Db, id: string) => {
  const rows = await db.select().from(stockReports).where(eq(stockReports.customerId, id));
  const ids = rows.map((r) => r.id);
  const lines = ids.length ? await db.select().from(stockLines).where(inArray(stockLines.reportId, ids)) : [];
  return rows.map((r) => ({ ...r, lines: lines.filter((l) => l.reportId === r.id) }));
};

export const createPrivacyService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  /** Everything held about one customer, as one JSON document. */
  const exportCustomer = async (id: string): Promise<Result<Record<string, unknown>>> => {
    const customer = await db.select().from(customers).where(eq(customers.id, id)).get();
    if (!customer) return fail("not_found", "customer.not_found");
    return ok({
      exportedAt: ctx.now().toISOString(),
      customer,
      consent: await db
        .select()
        .from(consentEvents)
        .where(eq(consentEvents.customerId, id))
        .orderBy(consentEvents.at),
      ownershipHistory: await db.select().from(ownershipChanges).where(eq(ownershipChanges.customerId, id)),
      segments: await db.select().from(segments).where(eq(segments.customerId, id)),
      coverage: await db.select().from(coverage).where(eq(coverage.customerId, id)),
      visits: await exportVisits(db, id),
      visitPlans: await db.select().from(visitPlans).where(eq(visitPlans.customerId, id)),
      stockReports: await exportStock(db, id),
      purchases: {
        asBuyer: await db.select().from(purchases).where(eq(purchases.buyerId, id)),
        asSeller: await db.select().from(purchases).where(eq(purchases.sellerId, id)),
      },
      alerts: await db.select().from(alerts).where(eq(alerts.customerId, id)),
      outbox: await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.recipientType, "customer"), eq(outbox.recipientId, id))),
      auditLog: await exportAudit(db, id),
    });
  };

  /** Rewrites of the audit rows about the customer, personal data blanked. */
  const auditScrubs = async (w: Db, id: string, values: string[], anonymousName: string) => {
    const own = await ownAuditIds(w, id);
    const rows: AuditRow[] = await auditAbout(w, id);
    return rows.map((r) => {
      const o = { values, own: own.has(r.id), anonymousName };
      return w
        .update(auditLog)
        .set({
          before: scrubJson(r.before, o) as AuditRow["before"],
          after: scrubJson(r.after, o) as AuditRow["after"],
        })
        .where(eq(auditLog.id, r.id));
    });
  };

  const eraseStatements = (w: Db, c: typeof customers.$inferSelect, at: string, anonymousName: string) => [
    w
      .update(customers)
      .set({
        name: anonymousName,
        phone: null,
        email: null,
        address: null,
        birthday: null,
        wecomExternalId: null,
        preferences: null,
        title: null,
        erasedAt: at,
        updatedAt: at,
      })
      .where(eq(customers.id, c.id)),
    w.update(consentEvents).set({ evidence: null }).where(eq(consentEvents.customerId, c.id)),
    w
      .update(outbox)
      .set({ status: "suppressed", suppressedReason: "erased" })
      .where(and(addressedTo(c.id), inArray(outbox.status, ["pending", "retrying"]))),
    w.update(outbox).set({ data: {}, address: null }).where(addressedTo(c.id)),
    w
      .update(visits)
      .set({ notes: null, keyMessage: null, competitorInfo: null, outcome: null, nextStep: null })
      .where(eq(visits.customerId, c.id)),
    w.update(visitPlans).set({ purpose: null }).where(eq(visitPlans.customerId, c.id)),
  ];

  /**
   * Blanks the customer's personal fields everywhere and records one `erase` audit row
   * (who and when, nothing personal), all in one batch. Erasing twice changes nothing.
   */
  const eraseCustomer = async (id: string, actor: Actor): Promise<Result<{ id: string; erasedAt: string }>> =>
    ctx.database.write(async (w) => {
      const c = await w.select().from(customers).where(eq(customers.id, id)).get();
      if (!c) return fail("not_found", "customer.not_found");
      if (c.erasedAt) return ok({ id, erasedAt: c.erasedAt });
      const at = ctx.now().toISOString();
      const anonymousName = `已删除客户 ${c.code}`;
      const statements: Statement[] = [
        ...(await auditScrubs(w, id, personalValues(c), anonymousName)),
        ...(await coVisitScrubs(w, id, personalValues(c))),
        ...(await outboxScrubs(w, id, personalValues(c), anonymousName)),
        ...eraseStatements(w, c, at, anonymousName),
        auditInsert(w, {
          actorId: actor.id,
          via: actor.via,
          action: "erase",
          entityType: "customer",
          entityId: id,
          after: { erasedAt: at },
        }),
      ];
      await runBatch(w, statements);
      return ok({ id, erasedAt: at });
    });

  return { exportCustomer, eraseCustomer };
};

export type PrivacyService = ReturnType<typeof createPrivacyService>;
