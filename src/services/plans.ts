import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { jsonRows, readJsonRows } from "../db/json-rows";
import { firstUnknownProduct } from "../db/repos/products";
import { customers, visitPlans, visits } from "../db/schema";
import { managerChain } from "../db/team";
import { firstDayOfMonth, type IsoDate, lastDayOfMonth, monthOf } from "../domain/dates";
import { buildDailyPlan, type DailyPlan, type PlanCustomer } from "../domain/plans/daily-plan";
import { fail, ok, type Result } from "../domain/result";
import { canTransitionPlan, isPlanOpen, type PlanStatus } from "../domain/visits/visit-rules";
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

/** The customer columns the planner and its targets read. */
const planCustomerFields = {
  id: customers.id,
  ownerId: customers.ownerId,
  kind: customers.kind,
  name: customers.name,
  parentId: customers.parentId,
  area: customers.area,
  bestVisitSlot: customers.bestVisitSlot,
  beds: customers.beds,
  dailyOutpatients: customers.dailyOutpatients,
  monthlyPurchaseCny: customers.monthlyPurchaseCny,
  monthlySalesCny: customers.monthlySalesCny,
  ourMonthlySalesCny: customers.ourMonthlySalesCny,
};

/**
 * Beside each customer's columns, what the planner reads of its visits and parent on `date`:
 * correlated subqueries that each read one customer's range of an index (the logged visits'
 * and the open follow-ups' partial indexes), so a page of reps costs what its books hold —
 * not a join over every visit of the books, nor a second and third query keyed by thousands
 * of customer ids. `'logged'` is a literal so SQLite can use the partial index.
 */
const visitFieldsOn = (date: IsoDate) => {
  const month = monthOf(date);
  return {
    visitsThisMonth: sql<number>`(select count(*) from ${visits} v where v.customer_id = ${customers.id}
      and v.status = 'logged' and v.date between ${firstDayOfMonth(month)} and ${lastDayOfMonth(month)})`,
    lastVisitOn: sql<IsoDate | null>`(select max(v.date) from ${visits} v where v.customer_id = ${customers.id}
      and v.status = 'logged' and v.date <= ${lastDayOfMonth(month)})`,
    parentArea: sql<string | null>`(select p.area from ${customers} p where p.id = ${customers.parentId})`,
    followUpsDue: sql<IsoDate[]>`json((select json_group_array(v.follow_up_on) from ${visits} v
      where v.customer_id = ${customers.id} and v.status = 'logged' and v.follow_up_on is not null
        and v.follow_up_done_at is null and v.follow_up_on <= ${date}))`,
  };
};

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
    if ((await firstUnknownProduct(db, input.productIds)) >= 0)
      return fail("validation", "visit.product_not_found", undefined, "productIds");
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
    const moved = (["date", "slot", "purpose", "coVisitManagerId"] as const).find(
      (k) => k in patch && patch[k] !== undefined && patch[k] !== before[k],
    );
    if (moved && !isPlanOpen(before.status as PlanStatus))
      return fail("conflict", "plan.closed", { status: before.status }, moved);
    // The same rule as on create: only a manager above the rep may be booked to come along.
    if (
      patch.coVisitManagerId &&
      patch.coVisitManagerId !== before.coVisitManagerId &&
      !(await managerChain(db, before.repId)).includes(patch.coVisitManagerId)
    )
      return fail("validation", "plan.co_visit_not_manager", undefined, "coVisitManagerId");
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

  /**
   * Inputs of the pure planner for several reps and one date: one query for the whole group
   * (the job asks for a page of reps at once), only the columns the plan reads.
   */
  const planInputs = async (repIds: string[], date: IsoDate) => {
    const fields = { ...planCustomerFields, ...visitFieldsOn(date) };
    const mine = await readJsonRows(
      fields,
      db
        .select({ rows: jsonRows(fields) })
        .from(customers)
        .where(
          and(
            inArray(customers.ownerId, repIds),
            eq(customers.active, true),
            isNull(customers.erasedAt),
            ne(customers.kind, "department"),
          ),
        ),
    );
    const [targets, booked] = await Promise.all([
      loadTargets(db, ctx.settings, mine),
      db
        .select()
        .from(visitPlans)
        .where(
          and(
            inArray(visitPlans.repId, repIds),
            eq(visitPlans.date, date),
            inArray(visitPlans.status, ["temporary", "normal"]),
          ),
        ),
    ]);
    const byRep = new Map(
      repIds.map((id) => [
        id,
        {
          planCustomers: [] as PlanCustomer[],
          followUps: [] as { customerId: string; dueOn: IsoDate }[],
          booked: [] as PlanRow[],
        },
      ]),
    );
    for (const c of mine) {
      const rep = byRep.get(c.ownerId!);
      if (!rep) continue;
      rep.planCustomers.push({
        id: c.id,
        name: c.name,
        area: c.area ?? c.parentArea ?? "",
        className: targets.get(c.id)?.className ?? null,
        targetPerMonth: targets.get(c.id)?.targetPerMonth ?? 0,
        visitsThisMonth: c.visitsThisMonth,
        lastVisitOn: c.lastVisitOn,
        bestSlot: c.bestVisitSlot,
      });
      // Follow-ups of customers no longer active or erased are left out with the customer.
      for (const dueOn of c.followUpsDue) rep.followUps.push({ customerId: c.id, dueOn });
    }
    for (const p of booked) byRep.get(p.repId)?.booked.push(p);
    return byRep;
  };

  /** The daily plans of several reps for one date (the calendar and settings read once). */
  const dailyMany = async (repIds: string[], date: IsoDate): Promise<Map<string, DailyPlanView>> => {
    const out = new Map<string, DailyPlanView>();
    if (repIds.length === 0) return out;
    const calendar = await loadWorkingDayCalendar(ctx);
    const workingDay = calendar.isWorkingDay(date);
    const cap = await ctx.settings.get("plan.dailyCap");
    for (const [repId, { planCustomers, followUps, booked }] of await planInputs(repIds, date)) {
      const plan = buildDailyPlan({
        date,
        isWorkingDay: workingDay,
        cap,
        customers: planCustomers,
        followUps,
        coVisits: booked
          .filter((p) => p.coVisitManagerId)
          .map((p) => ({ customerId: p.customerId, slot: p.slot, managerId: p.coVisitManagerId! })),
      });
      out.set(repId, { ...plan, repId, workingDay, planned: booked });
    }
    return out;
  };

  const daily = async (repId: string, date: IsoDate): Promise<DailyPlanView> =>
    (await dailyMany([repId], date)).get(repId)!;

  return { create, update, daily, dailyMany };
};

export type PlanService = ReturnType<typeof createPlanService>;
