import { and, eq, inArray, or } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { type Db, runBatch } from "../db/client";
import { newId } from "../db/ids";
import { approvals, expenses, receipts, users } from "../db/schema";
import { managerChain } from "../db/team";
import { buildApprovalChain, type ChainLevel } from "../domain/approvals/chain";
import { applyCancel, canCancel, startChain } from "../domain/approvals/decision";
import {
  checkExpense,
  checkExpenseDate,
  type ExpenseCheck,
  nextRef,
  normalizeInvoiceNo,
} from "../domain/expenses/expense-rules";
import { fail, ok, type Result } from "../domain/result";
import type { ExpenseCreate } from "../schemas/expenses";
import { approvalRequestStatements } from "./approval-notices";
import {
  type ApprovalRow,
  chainOf,
  delegateUsersOf,
  type ExpenseRow,
  type UserRow,
} from "./approval-queries";
import { type Actor, type ServiceContext, today } from "./context";
import { contextFor, type ExpensePolicy, nextSeq } from "./expense-queries";
import { runInOrder, writeTransaction } from "./write-tx";

/** Where a decision was taken; machine actors (system, import) act through the API's rules. */
export const decisionVia = (via: Actor["via"]): "slack" | "wecom" | "api" | "console" =>
  via === "system" || via === "import" ? "api" : via;

/** `id`: set by a chat flow so a confirm replayed after a crash finds its expense. */
export type ExpenseInput = ExpenseCreate & { repId: string; id?: string };
export type ExpenseView = ExpenseRow & { approvals: ApprovalRow[]; remainingCny?: number | null };

/**
 * Expense requests (DOMAIN.md §5): checked against invoices, duplicates and the budget,
 * given an approval chain, announced to the first approver — all in one batch.
 */
export const createExpenseService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  const policy = async (): Promise<ExpensePolicy> => ({
    perHeadCapCny: await ctx.settings.get("expense.perHeadCapCny"),
    overBudget: await ctx.settings.get("expense.overBudget"),
    noBudget: await ctx.settings.get("expense.noBudget"),
    directManagerLimitCny: await ctx.settings.get("approval.directManagerLimitCny"),
    fallbackApproverId: await ctx.settings.get("approval.fallbackApproverId"),
  });

  /** The requester's managers, the finance users and the fallback: everyone a chain may name. */
  const chainUsers = async (repId: string, fallback: string | null): Promise<UserRow[]> => {
    const ids = [repId, ...(await managerChain(db, repId)), ...(fallback ? [fallback] : [])];
    return db
      .select()
      .from(users)
      .where(or(inArray(users.id, ids), eq(users.role, "finance")));
  };

  const checkReceipts = async (ids: readonly string[]): Promise<Result<null>> => {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return ok(null);
    const found = await db.select({ id: receipts.id }).from(receipts).where(inArray(receipts.id, wanted));
    if (found.length !== wanted.length)
      return fail("validation", "expense.receipt_not_found", undefined, "receiptIds");
    return ok(null);
  };

  const rowFor = (input: ExpenseInput, seq: number, check: ExpenseCheck, actor: Actor): ExpenseRow => {
    const at = ctx.now().toISOString();
    return {
      id: input.id ?? newId(),
      seq,
      ref: nextRef(seq - 1),
      repId: input.repId,
      kind: input.kind,
      category: input.category,
      amountCny: input.amountCny,
      date: input.date,
      description: input.description ?? null,
      invoiceNo: input.invoiceNo ? normalizeInvoiceNo(input.invoiceNo) : null,
      attendees: (input.attendees ?? []).filter((a) => a.trim() !== ""),
      receiptIds: [...new Set(input.receiptIds ?? [])],
      warnings: check.warnings,
      status: "pending",
      via: actor.via,
      createdAt: at,
      updatedAt: at,
    };
  };

  const approvalRows = (expense: ExpenseRow, levels: readonly ChainLevel[]): ApprovalRow[] =>
    startChain(levels).map((l) => ({
      id: newId(),
      subjectType: "expense",
      subjectId: expense.id,
      subjectRef: expense.ref,
      approverId: l.approverId,
      level: l.level,
      status: l.status,
      decidedAt: null,
      decidedBy: null,
      decidedVia: null,
      reason: null,
      createdAt: expense.createdAt,
    }));

  /** Inside the write mutex: check, number, chain and store, so two requests cannot both fit a budget. */
  const store = async (
    db: Db,
    input: ExpenseInput,
    actor: Actor,
    p: ExpensePolicy,
    people: UserRow[],
  ): Promise<Result<ExpenseView>> => {
    const check = checkExpense(input, await contextFor(db, input, p));
    if (!check.ok) return check;
    const chain = buildApprovalChain({
      requester: input.repId,
      amountCny: input.amountCny,
      kind: input.kind,
      escalate: check.value.escalate,
      users: people,
      fallbackApproverId: p.fallbackApproverId,
      settings: { directManagerLimitCny: p.directManagerLimitCny },
    });
    if (!chain.ok) return chain;
    const expense = rowFor(input, await nextSeq(db), check.value, actor);
    const rows = approvalRows(expense, chain.value);
    const approver = people.find((u) => u.id === rows[0].approverId);
    const requester = people.find((u) => u.id === input.repId);
    if (!approver || !requester) return fail("unavailable", "approval.no_approver");
    const delegates = await delegateUsersOf(db, approver.id, today(ctx));
    const notice = { approval: rows[0], approver, expense, requesterName: requester.name, delegates };
    await runBatch(db, [
      db.insert(expenses).values(expense),
      db.insert(approvals).values(rows),
      auditInsert(db, {
        actorId: actor.id,
        via: actor.via,
        action: "create",
        entityType: "expense",
        entityId: expense.id,
        after: { ...expense, approvers: chain.value },
      }),
      ...approvalRequestStatements(
        db,
        ctx,
        { ...notice, remainingCny: check.value.remainingCny },
        today(ctx),
        ctx.now(),
      ),
    ]);
    return ok({ ...expense, approvals: rows, remainingCny: check.value.remainingCny });
  };

  const create = async (input: ExpenseInput, actor: Actor): Promise<Result<ExpenseView>> => {
    const replay = input.id ? await get(input.id) : null;
    if (replay) return replay.repId === input.repId ? ok(replay) : fail("conflict", "common.duplicate_id");
    const dated = checkExpenseDate(input.kind, input.date, today(ctx));
    if (!dated.ok) return dated;
    const p = await policy();
    const people = await chainUsers(input.repId, p.fallbackApproverId);
    if (!people.some((u) => u.id === input.repId && u.active))
      return fail("not_found", "expense.rep_not_found", undefined, "repId");
    const receiptsOk = await checkReceipts(input.receiptIds ?? []);
    if (!receiptsOk.ok) return receiptsOk;
    const result = await ctx.database.write((db) => store(db, input, actor, p, people));
    if (result.ok) {
      const first = result.value.approvals[0];
      ctx.events.publish("approval.requested", {
        approvalId: first.id,
        approverId: first.approverId,
        subjectRef: result.value.ref,
        subjectId: result.value.id,
      });
    }
    return result;
  };

  const get = async (id: string): Promise<ExpenseView | null> => {
    const row = await db.select().from(expenses).where(eq(expenses.id, id)).get();
    return row ? { ...row, approvals: await chainOf(db, id) } : null;
  };

  const withApprovals = async (rows: ExpenseRow[]): Promise<ExpenseView[]> => {
    if (rows.length === 0) return [];
    const all = await db
      .select()
      .from(approvals)
      .where(
        and(
          eq(approvals.subjectType, "expense"),
          inArray(
            approvals.subjectId,
            rows.map((r) => r.id),
          ),
        ),
      )
      .orderBy(approvals.level);
    return rows.map((r) => ({ ...r, approvals: all.filter((a) => a.subjectId === r.id) }));
  };

  /** The requester withdraws a pending request; open levels are superseded, history stays. */
  const cancel = async (expenseId: string, actor: Actor): Promise<Result<ExpenseView>> => {
    const before = await get(expenseId);
    if (!before) return fail("not_found", "expense.not_found");
    const allowed = canCancel({ expense: before, actorId: actor.id });
    if (!allowed.ok) return allowed;
    const open = before.approvals.find((a) => a.status === "pending") ?? null;
    const at = ctx.now().toISOString();
    const won = await writeTransaction(ctx.database, async (tx) => {
      const hit = await tx
        .update(expenses)
        .set({ status: "cancelled", updatedAt: at })
        .where(and(eq(expenses.id, expenseId), eq(expenses.status, "pending")))
        .returning({ id: expenses.id });
      if (hit.length === 0) return false;
      await runInOrder([
        tx
          .update(approvals)
          .set({ status: "superseded" })
          .where(and(eq(approvals.subjectId, expenseId), inArray(approvals.status, ["waiting", "pending"]))),
        auditInsert(tx, {
          actorId: actor.id,
          via: actor.via,
          action: "cancel",
          entityType: "expense",
          entityId: expenseId,
          before: { status: before.status },
          after: { status: "cancelled", levels: applyCancel(before.approvals).changes },
        }),
      ]);
      return true;
    });
    const after = await get(expenseId);
    if (!after) return fail("not_found", "expense.not_found");
    if (!won) return fail("already_decided", "expense.cancel_not_pending", { status: after.status });
    const requester = await db
      .select({ name: users.name })
      .from(users)
      .where(eq(users.id, after.repId))
      .get();
    if (open) publishCancel(after, open, { ...actor, name: requester?.name ?? "" }, at);
    return ok(after);
  };

  const publishCancel = (
    expense: ExpenseView,
    open: ApprovalRow,
    actor: Actor & { name: string },
    at: string,
  ) => {
    ctx.events.publish("approval.decided", {
      approvalId: open.id,
      subjectType: "expense",
      subjectId: expense.id,
      subjectRef: expense.ref,
      requesterId: expense.repId,
      decision: "cancel",
      subjectStatus: "cancelled",
      decidedBy: actor.id,
      decidedByName: actor.name,
      decidedAt: at,
      decidedVia: decisionVia(actor.via),
      reason: null,
      nextApproverId: null,
    });
  };

  return { create, cancel, get, withApprovals };
};

export type ExpenseService = ReturnType<typeof createExpenseService>;
