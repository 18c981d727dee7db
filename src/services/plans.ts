import { and, count, eq, inArray, isNotNull, isNull, lte, max, ne, sql } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { customers, visitPlans, visits } from "../db/schema";
import { managerChain } from "../db/team";
import { firstDayOfMonth, type IsoDate, lastDayOfMonth, monthOf } from "../domain/dates";
import { buildDailyPlan, type DailyPlan, type PlanCustomer } from "../domain/plans/daily-plan";
import { fail, ok, type Result } from "../domain/result";
import { canTransitionPlan, type PlanStatus } from "../domain/visits/visit-rules";
import type { PlanCreate } from "../schemas/fieldwork";
import { loadWorkingDayCalendar } from "./calendar";
import type { Actor, ServiceContext } from "./context";
import { loadTargets } from "./customer-targets";

export type PlanRow = typeof visitPlans.$inferSelect;

export interface DailyPlanView extends DailyPlan {
  repId: string;
  workingDay: boolean;
  /** Visits the rep (or a manager) already planned for the day. */
  planned: PlanRow[];
}

/** Visit plans (拜访计划) and the computed daily plan (DOMAIN.md §3). */
export const createPlanService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  const create = async (input: PlanCreate & { repId: string }, actor: Actor): Promise<Result<PlanRow>> => {
    const customer = await db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.id, input.customerId))
      .get();
    if (!customer) return fail("not_found", "plan.customer_not_found", undefined, "customerId");
    if (input.coVisitManagerId && !(await managerChain(db, input.repId)).includes(input.coVisitManagerId))
      return fail("validation", "plan.co_visit_not_manager", undefined, "coVisitManagerId");
    const at = nowIso();
    const row: PlanRow = {
      id: newId(),
      repId: input.repId,
      customerId: input.customerId,
      date: input.date,
      slot: input.slot,
      purpose: input.purpose ?? null,
      productIds: input.productIds,
      status: input.status,
      coVisitManagerId: input.coVisitManagerId ?? null,
      coVisitRequestedBy: input.coVisitManagerId ? actor.id : null,
      visitId: null,
      createdAt: at,
      updatedAt: at,
    };
    await ctx.database.write((db) =>
      runBatch(db, [
        db.insert(visitPlans).values(row),
        auditInsert(db, {
          actorId: actor.id,
          via: actor.via,
          action: "create",
          entityType: "visit_plan",
          entityId: row.id,
          after: row,
        }),
      ]),
    );
    return ok(row);
  };

  const update = async (
    before: PlanRow,
    patch: Partial<Pick<PlanRow, "status" | "date" | "slot" | "purpose" | "coVisitManagerId">>,
    actor: Actor,
  ): Promise<Result<PlanRow>> => {
    if (
      patch.status &&
      patch.status !== before.status &&
      !canTransitionPlan(before.status, patch.status as PlanStatus)
    )
      return fail("conflict", "plan.bad_transition", { from: before.status, to: patch.status }, "status");
    const after = { ...before, ...patch, updatedAt: nowIso() };
    // Conditional on the status read, so two concurrent edits cannot both pass the transition check.
    const changed = await ctx.database.write(async (db) => {
      const rows = await db
        .update(visitPlans)
        .set({ ...patch, updatedAt: after.updatedAt })
        .where(and(eq(visitPlans.id, before.id), eq(visitPlans.status, before.status)))
        .returning({ id: visitPlans.id });
      if (rows.length)
        await auditInsert(db, {
          actorId: actor.id,
          via: actor.via,
          action: "update",
          entityType: "visit_plan",
          entityId: before.id,
          before,
          after,
        });
      return rows.length > 0;
    });
    return changed ? ok(after) : fail("conflict", "plan.changed_meanwhile");
  };

  /** Inputs of the pure planner for one rep and date, fetched in a handful of queries. */
  const planInput = async (repId: string, date: IsoDate) => {
    const mine = await db
      .select()
      .from(customers)
      .where(
        and(
          eq(customers.ownerId, repId),
          eq(customers.active, true),
          isNull(customers.erasedAt),
          ne(customers.kind, "department"),
        ),
      );
    const ids = mine.map((c) => c.id);
    const month = monthOf(date);
    const [targets, stats, followUps, booked] = await Promise.all([
      loadTargets(db, ctx.settings, mine),
      ids.length
        ? db
            .select({
              customerId: visits.customerId,
              thisMonth: count(sql`case when ${visits.date} >= ${firstDayOfMonth(month)} then 1 end`),
              last: max(visits.date),
            })
            .from(visits)
            .where(
              and(
                inArray(visits.customerId, ids),
                lte(visits.date, lastDayOfMonth(month)),
                eq(visits.status, "logged"),
              ),
            )
            .groupBy(visits.customerId)
        : [],
      ids.length
        ? db
            .select({ customerId: visits.customerId, dueOn: visits.followUpOn })
            .from(visits)
            .where(
              and(
                inArray(visits.customerId, ids),
                isNotNull(visits.followUpOn),
                isNull(visits.followUpDoneAt),
                lte(visits.followUpOn, date),
              ),
            )
        : [],
      db
        .select()
        .from(visitPlans)
        .where(
          and(
            eq(visitPlans.repId, repId),
            eq(visitPlans.date, date),
            inArray(visitPlans.status, ["temporary", "normal"]),
          ),
        ),
    ]);
    const parentArea = new Map<string, string | null>();
    const parents = [...new Set(mine.map((c) => c.parentId).filter((p): p is string => !!p))];
    if (parents.length)
      for (const p of await db
        .select({ id: customers.id, area: customers.area })
        .from(customers)
        .where(inArray(customers.id, parents)))
        parentArea.set(p.id, p.area);
    const statBy = new Map(stats.map((s) => [s.customerId, s]));
    const planCustomers: PlanCustomer[] = mine.map((c) => ({
      id: c.id,
      name: c.name,
      area: c.area ?? (c.parentId ? parentArea.get(c.parentId) : null) ?? "",
      className: targets.get(c.id)?.className ?? null,
      targetPerMonth: targets.get(c.id)?.targetPerMonth ?? 0,
      visitsThisMonth: statBy.get(c.id)?.thisMonth ?? 0,
      lastVisitOn: statBy.get(c.id)?.last ?? null,
      bestSlot: c.bestVisitSlot,
    }));
    return {
      planCustomers,
      followUps: followUps.map((f) => ({ customerId: f.customerId, dueOn: f.dueOn! })),
      booked,
    };
  };

  const daily = async (repId: string, date: IsoDate): Promise<DailyPlanView> => {
    const calendar = await loadWorkingDayCalendar(ctx);
    const workingDay = calendar.isWorkingDay(date);
    const { planCustomers, followUps, booked } = await planInput(repId, date);
    const plan = buildDailyPlan({
      date,
      isWorkingDay: workingDay,
      cap: await ctx.settings.get("plan.dailyCap"),
      customers: planCustomers,
      followUps,
      coVisits: booked
        .filter((p) => p.coVisitManagerId)
        .map((p) => ({ customerId: p.customerId, slot: p.slot, managerId: p.coVisitManagerId! })),
    });
    return { ...plan, repId, workingDay, planned: booked };
  };

  return { create, update, daily };
};

export type PlanService = ReturnType<typeof createPlanService>;
