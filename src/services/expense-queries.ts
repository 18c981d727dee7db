import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { expenses, sequences } from "../db/schema";
import { monthOf } from "../domain/dates";
import { type ExpenseContext, normalizeInvoiceNo } from "../domain/expenses/expense-rules";
import { toFen } from "../domain/money";
import { budgetUse, COMMITTED } from "./budgets";
import type { ExpenseInput } from "./expenses";

/** The settings an expense request is checked and routed with. */
export interface ExpensePolicy {
  perHeadCapCny: number;
  overBudget: "block" | "escalate";
  noBudget: "allow" | "block";
  directManagerLimitCny: number;
  fallbackApproverId: string | null;
}

/**
 * The next expense sequence in one statement. It also never falls below the highest stored
 * seq, so rows that arrived without the counter (imports, restores) cannot collide.
 */
export const nextSeq = async (db: Db): Promise<number> => {
  const floor = sql`(select coalesce(max(${expenses.seq}), 0) + 1 from ${expenses})`;
  const row = await db
    .insert(sequences)
    .values({ name: "expense", value: sql`${floor}` })
    .onConflictDoUpdate({
      target: sequences.name,
      set: { value: sql`max(cast(${sequences.value} as integer) + 1, ${floor})` },
    })
    .returning({ value: sequences.value })
    .get();
  return Number(row.value);
};

/** What the expense rules need from storage: invoice match, same-day duplicates, budget use. */
export const contextFor = async (db: Db, input: ExpenseInput, p: ExpensePolicy): Promise<ExpenseContext> => {
  const invoiceNo = input.invoiceNo ? normalizeInvoiceNo(input.invoiceNo) : "";
  const invoiceMatch = invoiceNo
    ? ((await db
        .select({ ref: expenses.ref, repId: expenses.repId })
        .from(expenses)
        .where(eq(expenses.invoiceNo, invoiceNo))
        .get()) ?? null)
    : null;
  const dup = await db
    .select({ n: count() })
    .from(expenses)
    .where(
      and(
        eq(expenses.repId, input.repId),
        eq(expenses.date, input.date),
        eq(expenses.category, input.category),
        sql`round(${expenses.amountCny} * 100) = ${toFen(input.amountCny)}`,
        inArray(expenses.status, [...COMMITTED]),
      ),
    )
    .get();
  const use = await budgetUse(db, input.repId, monthOf(input.date), input.category);
  return {
    invoiceMatch,
    sameDayDuplicates: dup?.n ?? 0,
    budget: use ? { amountCny: use.budget.amountCny, committedCny: use.committedCny } : null,
    settings: { perHeadCapCny: p.perHeadCapCny, overBudget: p.overBudget, noBudget: p.noBudget },
  };
};
