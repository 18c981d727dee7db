import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { type Db, runBatch } from "../db/client";
import { newId } from "../db/ids";
import { budgets, expenses, users } from "../db/schema";
import { firstDayOfMonth, lastDayOfMonth } from "../domain/dates";
import { fromFen, toFen } from "../domain/money";
import { fail, ok, type Result } from "../domain/result";
import type { BudgetCreate } from "../schemas/expenses";
import type { Actor, ServiceContext } from "./context";

export type BudgetRow = typeof budgets.$inferSelect;
export type BudgetView = BudgetRow & { committedCny: number; remainingCny: number };

/** Expense statuses that use up budget: what is approved and what may still be. */
export const COMMITTED = ["pending", "approved"] as const;

type Category = (typeof expenses.$inferSelect)["category"];

/** Approved + pending spend of a rep in a month and category (in fen, summed exactly). */
const committedCny = async (db: Db, repId: string, month: string, category: string) => {
  const row = await db
    .select({ fen: sql<number>`coalesce(sum(round(${expenses.amountCny} * 100)), 0)` })
    .from(expenses)
    .where(
      and(
        eq(expenses.repId, repId),
        eq(expenses.category, category as Category),
        gte(expenses.date, firstDayOfMonth(month)),
        lte(expenses.date, lastDayOfMonth(month)),
        inArray(expenses.status, [...COMMITTED]),
      ),
    )
    .get();
  return fromFen(Number(row?.fen ?? 0));
};

/** The budget of a rep for a month and category with what is committed against it; null when unset. */
export const budgetUse = async (db: Db, repId: string, month: string, category: string) => {
  const budget = await db
    .select()
    .from(budgets)
    .where(and(eq(budgets.repId, repId), eq(budgets.month, month), eq(budgets.category, category)))
    .get();
  if (!budget) return null;
  return { budget, committedCny: await committedCny(db, repId, month, category) };
};

export const withUse = async (db: Db, row: BudgetRow): Promise<BudgetView> => {
  const used = await committedCny(db, row.repId, row.month, row.category);
  return { ...row, committedCny: used, remainingCny: fromFen(toFen(row.amountCny) - toFen(used)) };
};

/** Budgets per rep, month and category (DOMAIN.md §5): one row each, set again = updated. */
export const createBudgetService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  const upsert = async (
    input: BudgetCreate,
    actor: Actor,
  ): Promise<Result<BudgetView & { created: boolean }>> => {
    const rep = await db.select({ id: users.id }).from(users).where(eq(users.id, input.repId)).get();
    if (!rep) return fail("not_found", "budget.rep_not_found", undefined, "repId");
    const at = ctx.now().toISOString();
    const row = await ctx.database.write(async (db) => {
      const before = await db
        .select()
        .from(budgets)
        .where(
          and(
            eq(budgets.repId, input.repId),
            eq(budgets.month, input.month),
            eq(budgets.category, input.category),
          ),
        )
        .get();
      const next: BudgetRow = before
        ? { ...before, amountCny: input.amountCny, updatedAt: at }
        : { id: newId(), ...input, createdAt: at, updatedAt: at };
      await runBatch(db, [
        db
          .insert(budgets)
          .values(next)
          .onConflictDoUpdate({
            target: [budgets.repId, budgets.month, budgets.category],
            set: { amountCny: next.amountCny, updatedAt: at },
          }),
        auditInsert(db, {
          actorId: actor.id,
          via: actor.via,
          action: before ? "update" : "create",
          entityType: "budget",
          entityId: next.id,
          before: before ?? null,
          after: next,
        }),
      ]);
      return { next, created: !before };
    });
    return ok({ ...(await withUse(db, row.next)), created: row.created });
  };

  return { upsert, withUse: (row: BudgetRow) => withUse(db, row) };
};

export type BudgetService = ReturnType<typeof createBudgetService>;
