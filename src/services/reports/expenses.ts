/**
 * The expenses report (`GET /api/reports/expenses`): per rep, month and category, the
 * budget and what is committed against it — approved and pending — and what remains.
 * Sums go through fen so a remaining budget never shows float noise.
 */
import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { budgets, expenses, users } from "../../db/schema";
import { lastDayOfMonth } from "../../domain/dates";
import { fromFen, toFen } from "../../domain/money";
import type { ServiceContext } from "../context";

export interface ExpenseReportRow {
  repId: string;
  name: string;
  month: string;
  category: string;
  /** null when no budget is set for this rep, month and category. */
  budgetCny: number | null;
  approvedCny: number;
  pendingCny: number;
  /** budget − approved − pending; null without a budget. */
  remainingCny: number | null;
}

export interface ExpenseReportView {
  month: string;
  rows: ExpenseReportRow[];
  total: { budgetCny: number; approvedCny: number; pendingCny: number };
}

interface Cell {
  repId: string;
  category: string;
  /** Fen throughout; budget null when none is set. */
  budget: number | null;
  approved: number;
  pending: number;
}

const toRow = (c: Cell, month: string, name: string): ExpenseReportRow => ({
  repId: c.repId,
  name,
  month,
  category: c.category,
  budgetCny: c.budget === null ? null : fromFen(c.budget),
  approvedCny: fromFen(c.approved),
  pendingCny: fromFen(c.pending),
  remainingCny: c.budget === null ? null : fromFen(c.budget - c.approved - c.pending),
});

const byNameThenCategory = (a: ExpenseReportRow, b: ExpenseReportRow) =>
  a.name.localeCompare(b.name) || a.repId.localeCompare(b.repId) || a.category.localeCompare(b.category);

const totals = (rows: ExpenseReportRow[]) => {
  const sum = (f: (r: ExpenseReportRow) => number | null) =>
    fromFen(rows.reduce((s, r) => s + toFen(f(r) ?? 0), 0));
  return {
    budgetCny: sum((r) => r.budgetCny),
    approvedCny: sum((r) => r.approvedCny),
    pendingCny: sum((r) => r.pendingCny),
  };
};

export const createExpenseReportService = (ctx: ServiceContext) => {
  const { db } = ctx.database;
  const scope = (col: typeof budgets.repId | typeof expenses.repId, userIds: string[] | null) =>
    userIds === null ? undefined : inArray(col, userIds);

  const budgetRows = (month: string, userIds: string[] | null) =>
    db
      .select()
      .from(budgets)
      .where(and(eq(budgets.month, month), scope(budgets.repId, userIds)));

  /** Approved and pending amounts in fen per rep, category and status (SQL sums integers). */
  const spentRows = (month: string, userIds: string[] | null) =>
    db
      .select({
        repId: expenses.repId,
        category: expenses.category,
        status: expenses.status,
        fen: sql<number>`sum(cast(round(${expenses.amountCny} * 100) as integer))`,
      })
      .from(expenses)
      .where(
        and(
          gte(expenses.date, `${month}-01`),
          lte(expenses.date, lastDayOfMonth(month)),
          inArray(expenses.status, ["approved", "pending"]),
          scope(expenses.repId, userIds),
        ),
      )
      .groupBy(expenses.repId, expenses.category, expenses.status);

  const namesOf = async (ids: string[]) => {
    if (ids.length === 0) return new Map<string, string>();
    const rows = await db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, ids));
    return new Map(rows.map((r) => [r.id, r.name]));
  };

  /** `userIds` null = everyone (admin, finance); an empty list = nobody. */
  const run = async (q: { month: string; userIds: string[] | null }): Promise<ExpenseReportView> => {
    if (q.userIds !== null && q.userIds.length === 0) return { month: q.month, rows: [], total: totals([]) };
    const cells = new Map<string, Cell>();
    const cell = (repId: string, category: string) => {
      const key = `${repId}|${category}`;
      const hit = cells.get(key) ?? { repId, category, budget: null, approved: 0, pending: 0 };
      cells.set(key, hit);
      return hit;
    };
    for (const b of await budgetRows(q.month, q.userIds))
      cell(b.repId, b.category).budget = toFen(b.amountCny);
    for (const s of await spentRows(q.month, q.userIds))
      cell(s.repId, s.category)[s.status === "approved" ? "approved" : "pending"] += Number(s.fen);
    const names = await namesOf([...new Set([...cells.values()].map((c) => c.repId))]);
    const rows = [...cells.values()]
      .map((c) => toRow(c, q.month, names.get(c.repId) ?? ""))
      .sort(byNameThenCategory);
    return { month: q.month, rows, total: totals(rows) };
  };

  return { run };
};
