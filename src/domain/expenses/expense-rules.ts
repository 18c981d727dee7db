/**
 * Rules an expense must pass before it enters the approval chain (DOMAIN.md §5).
 * Everything the rules need from storage (invoice match, duplicates, budget) arrives
 * as plain data so the same check runs from chat, the API and the importer.
 */
import type { IsoDate } from "../dates";
import { fromFen, isValidCny, toFen } from "../money";
import { fail, ok, type Result } from "../result";

export const EXPENSE_KINDS = ["pre_approval", "reimbursement"] as const;
export type ExpenseKind = (typeof EXPENSE_KINDS)[number];

export const EXPENSE_CATEGORIES = [
  "travel",
  "accommodation",
  "transport",
  "meals",
  "hospitality",
  "department_meeting",
  "samples",
  "conference",
  "other",
] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

export type OverBudgetPolicy = "block" | "escalate";
export type NoBudgetPolicy = "allow" | "block";

export type ExpenseWarning = "possible_duplicate" | "no_budget" | "over_budget_escalated";

export interface ExpenseInput {
  repId: string;
  kind: ExpenseKind;
  category: ExpenseCategory;
  amountCny: number;
  date: IsoDate;
  invoiceNo?: string | null;
  /** Names of the healthcare professionals attending (hospitality). */
  attendees?: readonly string[];
}

export interface ExpenseContext {
  /** An existing expense (any rep) already carrying this invoice number, or null. */
  invoiceMatch: { ref: string; repId: string } | null;
  /** Existing expenses of the same rep with the same amount, date and category. */
  sameDayDuplicates: number;
  /**
   * Budget of this rep for the expense's month and category, and what is already
   * committed against it (approved + pending). null when no budget is set.
   */
  budget: { amountCny: number; committedCny: number } | null;
  settings: {
    perHeadCapCny: number;
    overBudget: OverBudgetPolicy;
    noBudget: NoBudgetPolicy;
  };
}

export interface ExpenseCheck {
  warnings: ExpenseWarning[];
  /** Extra approval levels above the amount-based chain. */
  escalate: number;
  /** Budget left before this request (shown to rep and approver); null without budget. */
  remainingCny: number | null;
}

/** Invoice numbers are compared after dropping spaces and case, as typed from a photo. */
export const normalizeInvoiceNo = (s: string): string =>
  s.normalize("NFKC").replace(/\s+/g, "").toUpperCase();

export const checkExpense = (input: ExpenseInput, ctx: ExpenseContext): Result<ExpenseCheck> => {
  if (!isValidCny(input.amountCny) || input.amountCny <= 0) {
    return fail("validation", "expense.invalid_amount", { amount: input.amountCny }, "amountCny");
  }
  const invoice = checkInvoice(input, ctx);
  if (!invoice.ok) return invoice;
  const perHead = checkPerHead(input, ctx.settings.perHeadCapCny);
  if (!perHead.ok) return perHead;
  const budget = checkBudget(input.amountCny, ctx);
  if (!budget.ok) return budget;
  const warnings: ExpenseWarning[] = [];
  if (ctx.sameDayDuplicates > 0) warnings.push("possible_duplicate");
  warnings.push(...budget.value.warnings);
  return ok({ ...budget.value, warnings });
};

/**
 * A reimbursement pays back money already spent, so it cannot be dated after `today` (the
 * company's date); a pre-approval plans ahead and may be. Chat and the API both ask it.
 */
export const checkExpenseDate = (kind: ExpenseKind, date: IsoDate, today: IsoDate): Result<null> =>
  kind === "reimbursement" && date > today
    ? fail("validation", "expense.future_date", { date }, "date")
    : ok(null);

const checkInvoice = (input: ExpenseInput, ctx: ExpenseContext): Result<null> => {
  const invoiceNo = input.invoiceNo ? normalizeInvoiceNo(input.invoiceNo) : "";
  if (input.kind === "reimbursement" && invoiceNo === "") {
    return fail("validation", "expense.invoice_required", undefined, "invoiceNo");
  }
  // The same invoice twice is blocked whoever submitted it first (a shared receipt).
  if (invoiceNo !== "" && ctx.invoiceMatch) {
    return fail("duplicate", "expense.invoice_used", { invoiceNo, ref: ctx.invoiceMatch.ref }, "invoiceNo");
  }
  return ok(null);
};

const checkPerHead = (input: ExpenseInput, capCny: number): Result<null> => {
  if (input.category !== "hospitality") return ok(null);
  const attendees = (input.attendees ?? []).filter((a) => a.trim() !== "");
  if (attendees.length === 0) {
    return fail("validation", "expense.attendees_required", undefined, "attendees");
  }
  const headcount = attendees.length + 1; // the rep eats too
  // Compare in fen: amount ≤ cap × heads is exact where amount / heads is not.
  if (toFen(input.amountCny) > toFen(capCny) * headcount) {
    const perHead = fromFen(Math.round(toFen(input.amountCny) / headcount));
    return fail("validation", "expense.over_per_head_cap", { cap: capCny, perHead }, "amountCny");
  }
  return ok(null);
};

const checkBudget = (amountCny: number, ctx: ExpenseContext): Result<ExpenseCheck> => {
  const { budget, settings } = ctx;
  if (!budget) {
    if (settings.noBudget === "block") return fail("over_budget", "expense.no_budget");
    return ok({ warnings: ["no_budget"], escalate: 0, remainingCny: null });
  }
  const remainingFen = toFen(budget.amountCny) - toFen(budget.committedCny);
  const remainingCny = fromFen(remainingFen);
  if (toFen(amountCny) <= remainingFen) return ok({ warnings: [], escalate: 0, remainingCny });
  if (settings.overBudget === "block") {
    return fail("over_budget", "expense.over_budget", { remaining: remainingCny }, "amountCny");
  }
  return ok({ warnings: ["over_budget_escalated"], escalate: 1, remainingCny });
};

/** The next short reference: E + sequence. The sequence is never reused, even after a cancel. */
export const nextRef = (lastSeq: number): string => `E${Math.max(0, Math.trunc(lastSeq)) + 1}`;

/** "E42", "e42", "Ｅ４２" → 42; anything else → null. */
export const parseRef = (s: string): number | null => {
  const m = /^E(\d{1,9})$/i.exec(s.normalize("NFKC").trim());
  return m ? Number(m[1]) : null;
};
