import { z } from "zod";
import { EXPENSE_CATEGORIES, EXPENSE_KINDS } from "../domain/expenses/expense-rules";
import { idRef, isoDate, month, nonNegativeCny, positiveCny } from "./common";

/** Expense, budget and decision inputs: the API, the chat flows and importers share these (rule 9). */
export const expenseKind = z.enum(EXPENSE_KINDS);
export const expenseCategory = z.enum(EXPENSE_CATEGORIES);

export const expenseCreate = z.object({
  kind: expenseKind,
  category: expenseCategory,
  amountCny: positiveCny,
  date: isoDate,
  description: z.string().trim().max(2000).nullish(),
  invoiceNo: z.string().trim().max(100).nullish(),
  attendees: z.array(z.string().trim().min(1, "must not be empty").max(100)).max(200).default([]),
  receiptIds: z.array(idRef).max(20).default([]),
  /** Only an admin records for someone else; a rep's own token records for themself. */
  repId: idRef.optional(),
});
export type ExpenseCreate = z.output<typeof expenseCreate>;

export const budgetPut = z.object({ amountCny: nonNegativeCny });
export const budgetCreate = budgetPut.extend({ repId: idRef, month, category: expenseCategory });
export type BudgetCreate = z.output<typeof budgetCreate>;

export const decisionInput = z
  .object({
    decision: z.enum(["approve", "reject"]),
    reason: z.string().trim().max(1000).nullish(),
  })
  // Also enforced by the domain (canDecide): the schema names the field for API callers.
  .refine((d) => d.decision !== "reject" || (d.reason ?? "").trim() !== "", {
    message: "is required to reject",
    path: ["reason"],
  });
export type DecisionInput = z.output<typeof decisionInput>;
