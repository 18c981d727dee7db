import { and, eq, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch, type Statement } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { coVisits, customers, products, visitPlans, visitProducts, visits } from "../db/schema";
import { managerChain } from "../db/team";
import { localDate } from "../domain/dates";
import { fail, ok, type Result } from "../domain/result";
import { canTransitionPlan, validateVisit } from "../domain/visits/visit-rules";
import type { VisitCreate } from "../schemas/fieldwork";
import type { Actor, ServiceContext } from "./context";

export type VisitRow = typeof visits.$inferSelect;
export type VisitView = VisitRow & { productIds: string[] };

/**
 * Recording a visit (DOMAIN.md §3), the one use case the API and every chat flow call.
 * A visit from a plan completes the plan; a visit settles earlier follow-ups for that
 * customer; a follow-up date makes a new one that reminders pick up.
 */
export const createVisitService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  const checkRefs = async (input: VisitCreate & { repId: string }): Promise<Result<true>> => {
    const customer = await db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.id, input.customerId))
      .get();
    if (!customer) return fail("not_found", "visit.customer_not_found", undefined, "customerId");
    if (input.productIds.length) {
      const found = await db
        .select({ id: products.id })
        .from(products)
        .where(inArray(products.id, input.productIds));
      if (found.length !== new Set(input.productIds).size)
        return fail("validation", "visit.product_not_found", undefined, "productIds");
    }
    if (input.planId) {
      const plan = await db.select().from(visitPlans).where(eq(visitPlans.id, input.planId)).get();
      if (!plan || plan.repId !== input.repId)
        return fail("not_found", "visit.plan_not_found", undefined, "planId");
      if (!canTransitionPlan(plan.status, "completed"))
        return fail("conflict", "visit.plan_closed", { status: plan.status }, "planId");
    }
    return ok(true);
  };

  const record = async (
    input: VisitCreate & { repId: string; id?: string },
    actor: Actor,
    timeZone = ctx.timeZone,
  ): Promise<Result<VisitView>> => {
    // A chat confirm replayed after a crash carries the same id: answer with what was stored.
    const replay = input.id ? await db.select().from(visits).where(eq(visits.id, input.id)).get() : undefined;
    if (replay)
      return replay.repId === input.repId
        ? ok((await withProducts([replay]))[0])
        : fail("conflict", "common.duplicate_id");
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
    const refs = await checkRefs(input);
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
    const statements: Statement[] = [
      // This visit settles the follow-ups promised for this customer up to its date.
      db
        .update(visits)
        .set({ followUpDoneAt: at })
        .where(
          and(
            eq(visits.customerId, row.customerId),
            isNotNull(visits.followUpOn),
            isNull(visits.followUpDoneAt),
            lte(visits.followUpOn, row.date),
          ),
        ),
      db.insert(visits).values(row),
      ...productIds.map((productId) => db.insert(visitProducts).values({ visitId: id, productId })),
      auditInsert(db, {
        actorId: actor.id,
        via: actor.via,
        action: "create",
        entityType: "visit",
        entityId: id,
        after: { ...row, productIds },
      }),
    ];
    if (row.planId)
      statements.push(
        db
          .update(visitPlans)
          .set({ status: "completed", visitId: id, updatedAt: at })
          .where(eq(visitPlans.id, row.planId)),
      );
    await ctx.database.write((db) => runBatch(db, statements));
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
