import type { InStatement, InValue } from "@libsql/client";
import { eq, inArray } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { bulkInsert } from "../db/bulk-insert";
import { runBatch } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { firstUnknownProduct } from "../db/repos/products";
import { auditLog, coVisits, visitPlans, visitProducts, visits } from "../db/schema";
import { managerChain } from "../db/team";
import { localDate } from "../domain/dates";
import { fail, ok, type Result } from "../domain/result";
import { canTransitionPlan, validateVisit } from "../domain/visits/visit-rules";
import type { VisitCreate } from "../schemas/fieldwork";
import type { Actor, ServiceContext } from "./context";

export type VisitRow = typeof visits.$inferSelect;
export type VisitView = VisitRow & { productIds: string[] };

/** Settles the follow-ups promised for a customer up to a visit's date. */
const SETTLE_FOLLOW_UPS_SQL = `update "visits" set "follow_up_done_at" = ?
  where "customer_id" = ? and "follow_up_on" is not null and "follow_up_done_at" is null and "follow_up_on" <= ?`;

/** Whose visit has this id already (a replayed chat confirm), and does the customer exist. */
const REPLAY_AND_CUSTOMER_SQL = `select
  (select "rep_id" from "visits" where "id" = ?) as "replay_rep",
  exists (select 1 from "customers" where "id" = ?) as "customer_found"`;

/**
 * Recording a visit (DOMAIN.md §3), the one use case the API and every chat flow call.
 * A visit from a plan completes the plan; a visit settles earlier follow-ups for that
 * customer; a follow-up date makes a new one that reminders pick up.
 */
export const createVisitService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  /** The customer was checked already (with the replay, in one read); products and plan here. */
  const checkRefs = async (
    input: VisitCreate & { repId: string },
    customerFound: boolean,
  ): Promise<Result<true>> => {
    if (!customerFound) return fail("not_found", "visit.customer_not_found", undefined, "customerId");
    if ((await firstUnknownProduct(db, input.productIds)) >= 0)
      return fail("validation", "visit.product_not_found", undefined, "productIds");
    if (input.planId) {
      const plan = await db.select().from(visitPlans).where(eq(visitPlans.id, input.planId)).get();
      if (!plan || plan.repId !== input.repId)
        return fail("not_found", "visit.plan_not_found", undefined, "planId");
      if (!canTransitionPlan(plan.status, "completed"))
        return fail("conflict", "visit.plan_closed", { status: plan.status }, "planId");
      // A visit to someone else does not carry out this plan (coverage counts completed plans).
      if (plan.customerId !== input.customerId)
        return fail("validation", "visit.plan_other_customer", undefined, "planId");
    }
    return ok(true);
  };

  /**
   * Records a visit. With `defer`, its writes (visit, products, follow-ups settled, plan,
   * audit) are handed over as one group for the caller to commit in its own transaction
   * (a chat turn commits them with its session); otherwise they are written here.
   */
  const record = async (
    input: VisitCreate & { repId: string; id?: string },
    actor: Actor,
    timeZone = ctx.timeZone,
    opts: { defer?: (statements: InStatement[]) => void } = {},
  ): Promise<Result<VisitView>> => {
    // A chat confirm replayed after a crash carries the same id: answer with what was stored.
    // One read: whose visit has this id already, and does the customer exist.
    const { rows } = await ctx.database.client.execute({
      sql: REPLAY_AND_CUSTOMER_SQL,
      args: [input.id ?? null, input.customerId],
    });
    const replayRep = rows[0].replay_rep as string | null;
    if (replayRep !== null) {
      if (replayRep !== input.repId) return fail("conflict", "common.duplicate_id");
      const replay = await db.select().from(visits).where(eq(visits.id, input.id!)).get();
      if (replay) return ok((await withProducts([replay]))[0]);
    }
    const [h, m] = input.time ? input.time.split(":").map(Number) : [];
    const valid = validateVisit({
      date: input.date,
      time: input.time ? { hour: h, minute: m } : null,
      timeZone,
      method: input.method,
      purposes: input.purposes,
      rating: input.rating,
      followUpOn: input.followUpOn ?? null,
    });
    if (!valid.ok) return valid;
    const refs = await checkRefs(input, rows[0].customer_found === 1);
    if (!refs.ok) return refs;
    const at = nowIso();
    const id = input.id ?? newId();
    const row: VisitRow = {
      id,
      repId: input.repId,
      customerId: input.customerId,
      at: valid.value.at.toISOString(),
      date: localDate(valid.value.at, timeZone),
      timeKnown: valid.value.timeKnown,
      method: valid.value.method,
      purposes: valid.value.purposes,
      keyMessage: input.keyMessage ?? null,
      outcome: input.outcome ?? null,
      rating: input.rating,
      notes: input.notes ?? null,
      samples: input.samples ?? null,
      competitorInfo: input.competitorInfo ?? null,
      nextStep: input.nextStep ?? null,
      followUpOn: valid.value.followUpOn,
      followUpDoneAt: null,
      attendees: input.attendees ?? null,
      status: "logged",
      planId: input.planId ?? null,
      via: actor.via,
      createdAt: at,
      updatedAt: at,
    };
    const productIds = [...new Set(input.productIds)];
    // Plain SQL for the client (drizzle's builder cost more than these writes); each value
    // still goes through its column's encoder.
    const statements: InStatement[] = [
      // This visit settles the follow-ups promised for this customer up to its date.
      { sql: SETTLE_FOLLOW_UPS_SQL, args: [at, row.customerId, row.date] },
      ...bulkInsert(visits, [row]),
      ...bulkInsert(
        visitProducts,
        productIds.map((productId) => ({ visitId: id, productId })),
      ),
      // The row `auditInsert` writes.
      ...bulkInsert(auditLog, [
        {
          id: newId(),
          at: nowIso(),
          actorId: actor.id,
          via: actor.via,
          action: "create",
          entityType: "visit",
          entityId: id,
          before: null,
          after: { ...row, productIds },
        },
      ]),
    ];
    if (row.planId) {
      const q = db
        .update(visitPlans)
        .set({ status: "completed", visitId: id, updatedAt: at })
        .where(eq(visitPlans.id, row.planId))
        .toSQL();
      statements.push({ sql: q.sql, args: q.params as InValue[] });
    }
    if (opts.defer) opts.defer(statements);
    else await ctx.database.write(() => ctx.database.client.batch(statements, "write"));
    return ok({ ...row, productIds });
  };

  /** A manager's co-visit report and score; only a manager above the rep may give one. */
  const coVisit = async (visitId: string, input: { score: number; report?: string }, actor: Actor) => {
    const visit = await db.select().from(visits).where(eq(visits.id, visitId)).get();
    if (!visit) return fail("not_found", "visit.not_found");
    if (actor.role !== "admin" && !(await managerChain(db, visit.repId)).includes(actor.id))
      return fail("forbidden", "visit.co_visit_not_manager");
    const row = {
      id: newId(),
      visitId,
      managerId: actor.id,
      repId: visit.repId,
      score: input.score,
      report: input.report ?? null,
      createdAt: nowIso(),
    };
    await ctx.database.write((db) =>
      runBatch(db, [
        db.insert(coVisits).values(row),
        auditInsert(db, {
          actorId: actor.id,
          via: actor.via,
          action: "create",
          entityType: "co_visit",
          entityId: row.id,
          after: row,
        }),
      ]),
    );
    return ok(row);
  };

  const withProducts = async (rows: VisitRow[]): Promise<VisitView[]> => {
    const ids = rows.map((r) => r.id);
    const links = ids.length
      ? await db.select().from(visitProducts).where(inArray(visitProducts.visitId, ids))
      : [];
    return rows.map((r) => ({
      ...r,
      productIds: links.filter((l) => l.visitId === r.id).map((l) => l.productId),
    }));
  };

  return { record, coVisit, withProducts };
};

export type VisitService = ReturnType<typeof createVisitService>;
