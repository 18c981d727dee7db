import { localDate, monthOf } from "../../domain/dates";
import { checkExpenseDate, EXPENSE_CATEGORIES } from "../../domain/expenses/expense-rules";
import { formatCny } from "../../domain/money";
import { budgetUse } from "../../services/budgets";
import { defineFlow, type FlowContext, type Step, writerOf } from "../flow";
import { type Notice, withNotices } from "../flow-runner";
import { parseAmount } from "../understand/amounts";
import { takeAmount, takeCategory, takeInvoice, takeWhen } from "../understand/extract";
import { dayChoices, readDate } from "./pick";

export interface ExpenseDraft {
  kind?: "reimbursement" | "pre_approval";
  category?: (typeof EXPENSE_CATEGORIES)[number];
  amountCny?: number;
  date?: string;
  description?: string;
  invoiceNo?: string;
  attendees?: string[];
  receiptIds?: string[];
  receiptAsked?: boolean;
}

const todayOf = (ctx: FlowContext) => localDate(ctx.now, ctx.timeZone);

/** Why a date is refused: a reimbursement is money already spent, never dated after today. */
const dateNotice = (s: ExpenseDraft, date: string, ctx: FlowContext): Notice | undefined => {
  const dated = checkExpenseDate(s.kind ?? "reimbursement", date, todayOf(ctx));
  return dated.ok ? undefined : { key: dated.error.messageKey, params: { date } };
};

const actorOf = (ctx: FlowContext) => ({ id: ctx.user.id, role: ctx.user.role, via: ctx.via });

/** Bare weekdays point ahead in a request for approval, back in a reimbursement. */
const datePreference = (s: ExpenseDraft): "past" | "future" =>
  s.kind === "pre_approval" ? "future" : "past";

/** "报销 餐费 320元 昨天 发票12345678 招待王主任": every slot the line names. */
const absorb = async (text: string, s: ExpenseDraft, ctx: FlowContext): Promise<ExpenseDraft> => {
  // Before the category is known this is the line that started the flow; after, free text at
  // the confirm step, where unread words are not filed as the description (edit sets that).
  const firstLine = s.category === undefined;
  const next = { ...s };
  const opts = { now: ctx.now, timeZone: ctx.timeZone, prefer: datePreference(s) };
  // A wrong value (发票12, -320元) is cut out of the line and its reason said before the next
  // question; a value already entered stays.
  const why: { amount?: Notice; date?: Notice; invoice?: Notice } = {};
  const inv = takeInvoice(text);
  if (inv.value) next.invoiceNo = inv.value;
  else if (inv.bad) why.invoice = { key: "expense.bad_invoice", params: { text: inv.bad } };
  // The same order as the one-line parser: 11.20 is a date only once the amount is known
  // (marked with ¥/元 first, or a bare number read before it); else it may be the amount.
  const marked = takeAmount(inv.text, false);
  const w = takeWhen(marked.text, { ...opts, dotted: marked.value !== undefined });
  const cat = takeCategory(w.text);
  if (cat.value) next.category = cat.value;
  // A refused amount (-320元) is not replaced by some other number of the line.
  const amt =
    marked.value !== undefined || marked.bad ? { ...marked, text: cat.text } : takeAmount(cat.text, true);
  if (amt.value) next.amountCny = amt.value;
  else if (amt.bad) why.amount = { key: "expense.bad_amount", params: { text: amt.bad } };
  const late = w.value === undefined ? takeWhen(amt.text, opts) : { value: undefined, text: amt.text };
  const when = w.value ?? late.value;
  if (when) why.date = dateNotice(next, when.date, ctx);
  // A refused date also drops the one entered before: the rep meant to change it.
  if (when) next.date = why.date ? undefined : when.date;
  const description = late.text.replace(/\s+/g, " ").trim();
  // Words only: signs and emoji left over are no description.
  if (firstLine && /\p{L}/u.test(description) && !next.description)
    next.description = description.slice(0, 500);
  // In the order the questions come.
  const notices = [why.amount, why.date, why.invoice].filter((n): n is Notice => n !== undefined);
  return withNotices(next, notices);
};

const choiceStep = <K extends "kind" | "category">(
  key: K,
  label: string,
  ask: string,
  values: readonly string[],
  prefix: string,
): Step<ExpenseDraft> => ({
  label,
  missing: (s) => !s[key],
  show: (s, ctx) => (s[key] ? ctx.t(`${prefix}.${s[key]}`) : null),
  ask: (_s, ctx) => ({
    text: ctx.t(ask),
    choices: values.map((v) => ({ id: `${key}:${v}`, label: ctx.t(`${prefix}.${v}`) })),
  }),
  take: (r, s) => {
    const v = r.choiceId?.startsWith(`${key}:`)
      ? r.choiceId.slice(key.length + 1)
      : key === "category" && r.text
        ? takeCategory(r.text).value
        : undefined;
    return v && values.includes(v)
      ? { ok: true, state: { ...s, [key]: v } }
      : { ok: false, key: "common.not_understood", params: { hint: "" } };
  },
  clear: (s) => ({ ...s, [key]: undefined }),
});

/** The type, chosen after a date: a reimbursement cannot keep a date after today. */
const kindStep = (step: Step<ExpenseDraft>): Step<ExpenseDraft> => ({
  ...step,
  take: async (r, s, ctx) => {
    const taken = await step.take(r, s, ctx);
    const notice = taken.ok && taken.state.date ? dateNotice(taken.state, taken.state.date, ctx) : undefined;
    return taken.ok && notice
      ? { ok: true, state: withNotices({ ...taken.state, date: undefined }, [notice]) }
      : taken;
  },
});

const amountStep: Step<ExpenseDraft> = {
  label: "expense.amount",
  missing: (s) => s.amountCny === undefined,
  show: (s) => (s.amountCny !== undefined ? formatCny(s.amountCny) : null),
  ask: (_s, ctx) => ({ text: ctx.t("expense.ask_amount") }),
  take: (r, s) => {
    const n = r.text ? (parseAmount(r.text) ?? takeAmount(r.text, true).value) : undefined;
    return n && n > 0
      ? { ok: true, state: { ...s, amountCny: n } }
      : { ok: false, key: "expense.bad_amount", params: { text: r.text ?? "" } };
  },
  clear: (s) => ({ ...s, amountCny: undefined }),
};

const dateStep: Step<ExpenseDraft> = {
  label: "expense.date",
  missing: (s) => !s.date,
  show: (s) => s.date ?? null,
  ask: (_s, ctx) => ({ text: ctx.t("expense.ask_date"), choices: dayChoices(ctx) }),
  take: (r, s, ctx) => {
    const d = readDate(r, ctx, datePreference(s));
    if (!d) return { ok: false, key: "expense.bad_date", params: { text: r.text ?? "" } };
    const dated = checkExpenseDate(s.kind ?? "reimbursement", d.date, todayOf(ctx));
    if (!dated.ok) return { ok: false, key: dated.error.messageKey, params: { date: d.date } };
    return { ok: true, state: { ...s, date: d.date } };
  },
  clear: (s) => ({ ...s, date: undefined }),
};

const INVOICE_NO = /^[A-Za-z0-9-]{6,}$/;

const invoiceStep: Step<ExpenseDraft> = {
  label: "expense.invoice",
  missing: (s) => s.kind === "reimbursement" && !s.invoiceNo,
  show: (s) => s.invoiceNo ?? null,
  ask: (_s, ctx) => ({ text: ctx.t("expense.ask_invoice") }),
  take: (r, s) => {
    const raw = takeInvoice(r.text ?? "").value ?? r.text?.trim();
    return raw && INVOICE_NO.test(raw)
      ? { ok: true, state: { ...s, invoiceNo: raw.slice(0, 500) } }
      : { ok: false, key: "expense.bad_invoice", params: { text: r.text?.trim() ?? "" } };
  },
  clear: (s) => ({ ...s, invoiceNo: undefined }),
};

const descriptionStep: Step<ExpenseDraft> = {
  label: "expense.description",
  optional: true,
  // Never offered as "+ 说明" at the confirm step; changed through the edit list.
  missing: () => false,
  show: (s) => s.description ?? null,
  ask: (_s, ctx) => ({ text: ctx.t("expense.ask_description") }),
  take: (r, s) => {
    const text = r.text?.trim();
    return text
      ? { ok: true, state: { ...s, description: text.slice(0, 500) } }
      : { ok: false, key: "common.empty" };
  },
  clear: (s) => ({ ...s, description: undefined }),
};

const attendeesStep: Step<ExpenseDraft> = {
  label: "expense.attendees",
  missing: (s) => s.category === "hospitality" && !s.attendees?.length,
  show: (s) => (s.attendees?.length ? s.attendees.join("、") : null),
  ask: (_s, ctx) => ({ text: ctx.t("expense.ask_attendees") }),
  take: (r, s) => {
    const names = (r.text ?? "")
      .split(/[,，、;；\n]+/)
      .map((n) => n.trim())
      .filter(Boolean)
      .slice(0, 50);
    return names.length
      ? { ok: true, state: { ...s, attendees: names } }
      : { ok: false, key: "common.empty" };
  },
  clear: (s) => ({ ...s, attendees: undefined }),
};

const receiptStep: Step<ExpenseDraft> = {
  label: "expense.receipt",
  missing: (s) => s.kind === "reimbursement" && !s.receiptAsked,
  show: (s, ctx) =>
    s.receiptAsked ? ctx.t(s.receiptIds?.length ? "expense.receipt_saved" : "expense.receipt_skipped") : null,
  ask: (_s, ctx) => ({
    text: ctx.t("expense.ask_receipt"),
    choices: [{ id: "receipt:skip", label: ctx.t("common.skip") }],
  }),
  take: async (r, s, ctx) => {
    if (r.attachment) {
      const stored = await ctx.services.receipts.store(r.attachment.bytes, actorOf(ctx));
      if (!stored.ok)
        return { ok: false, key: stored.error.messageKey, params: stored.error.params ?? undefined };
      return {
        ok: true,
        state: { ...s, receiptIds: [...(s.receiptIds ?? []), stored.value.id], receiptAsked: true },
      };
    }
    const skip = r.choiceId === "receipt:skip" || /^(跳过|skip|无|没有|no)$/i.test(r.text?.trim() ?? "");
    return skip
      ? { ok: true, state: { ...s, receiptAsked: true } }
      : { ok: false, key: "expense.not_a_receipt" };
  },
  clear: (s) => ({ ...s, receiptIds: undefined, receiptAsked: undefined }),
};

const budgetLine = async (s: ExpenseDraft, ctx: FlowContext) => {
  if (!s.category || !s.date) return null;
  const use = await budgetUse(ctx.services.database.db, ctx.user.id, monthOf(s.date), s.category);
  return use ? formatCny(use.budget.amountCny - use.committedCny) : ctx.t("common.none");
};

export const expenseFlow = defineFlow<ExpenseDraft>({
  id: "expense",
  version: 1,
  title: "flow.expense",
  initial: () => ({}),
  order: ["kind", "category", "amount", "date", "invoiceNo", "attendees", "receipt", "description", "budget"],
  absorb,
  steps: {
    kind: kindStep(
      choiceStep("kind", "expense.kind", "expense.ask_kind", ["reimbursement", "pre_approval"], "kind"),
    ),
    category: choiceStep(
      "category",
      "expense.category",
      "expense.ask_category",
      EXPENSE_CATEGORIES,
      "category",
    ),
    amount: amountStep,
    date: dateStep,
    invoiceNo: invoiceStep,
    attendees: attendeesStep,
    receipt: receiptStep,
    description: descriptionStep,
    // Shown in the summary so the rep sees the remaining budget before confirming; never asked.
    budget: {
      label: "expense.budget_left",
      optional: true,
      display: true,
      missing: () => false,
      show: budgetLine,
      ask: () => ({ text: "" }),
      take: (_r, s) => ({ ok: true, state: s }),
      clear: (s) => s,
    },
  },
  complete: async (s, ctx) => {
    const result = await ctx.services.expenses.create(
      {
        id: ctx.submissionId,
        repId: ctx.user.id,
        kind: s.kind!,
        category: s.category!,
        amountCny: s.amountCny!,
        date: s.date ?? todayOf(ctx),
        description: s.description ?? null,
        invoiceNo: s.invoiceNo ?? null,
        attendees: s.attendees ?? [],
        receiptIds: s.receiptIds ?? [],
      },
      writerOf(ctx),
    );
    if (!result.ok)
      return {
        ok: false,
        key: result.error.messageKey,
        params: result.error.params ?? undefined,
        step: STEP_OF[result.error.field ?? ""] ?? STEP_OF[result.error.messageKey],
      };
    const e = result.value;
    const first = e.approvals.find((a) => a.status === "pending");
    const approver = first
      ? ((
          await ctx.services.database.db.query.users.findFirst({
            where: (u, { eq }) => eq(u.id, first.approverId),
          })
        )?.name ?? "")
      : "";
    const replies = [
      {
        text: ctx.t("expense.saved", {
          ref: e.ref,
          category: ctx.t(`category.${e.category}`),
          amount: e.amountCny.toFixed(2),
          approver,
        }),
      },
    ];
    for (const w of e.warnings) replies.push({ text: ctx.t(`warning.${w}`) });
    if (e.remainingCny !== undefined && e.remainingCny !== null)
      replies.push({ text: `${ctx.t("expense.budget_left")}：${formatCny(e.remainingCny)}` });
    return { ok: true, replies };
  },
});

/** Which question to ask again when the use case refuses a field. */
const STEP_OF: Record<string, string> = {
  invoiceNo: "invoiceNo",
  amountCny: "amount",
  attendees: "attendees",
  date: "date",
  "expense.invoice_used": "invoiceNo",
  "expense.invoice_required": "invoiceNo",
  "expense.over_budget": "amount",
  "expense.over_per_head_cap": "attendees",
  "expense.attendees_required": "attendees",
  "expense.invalid_amount": "amount",
};
