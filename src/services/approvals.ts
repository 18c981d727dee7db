import { and, asc, eq, inArray } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import type { Db, Statement } from "../db/client";
import { approvals, expenses } from "../db/schema";
import {
  applyDecision,
  canDecide,
  type Decision,
  type DecisionOutcome,
  type LevelChange,
} from "../domain/approvals/decision";
import { monthOf } from "../domain/dates";
import { fromFen, toFen } from "../domain/money";
import { fail, ok, type Result } from "../domain/result";
import { approvalRequestStatements, approvalResultStatement } from "./approval-notices";
import {
  type ApprovalRow,
  chainOf,
  decidedParams,
  delegateUsersOf,
  delegationsFrom,
  delegatorsOf,
  type ExpenseRow,
  toLevels,
  type UserRow,
  usersByIds,
} from "./approval-queries";
import { budgetUse } from "./budgets";
import { type ServiceContext, today } from "./context";
import { explainByRef } from "./decide-by-ref";
import { createDelegationService } from "./delegations";
import { runInOrder, writeTransaction } from "./write-tx";

export type DecisionVia = "slack" | "wecom" | "api" | "console";
/** Who decides: always the person themself (a delegate in their own name), from a surface. */
export interface DecidingActor {
  id: string;
  via: DecisionVia;
}
export interface DecisionRequest {
  decision: Decision;
  reason?: string | null;
}
export interface DecisionResult {
  approval: ApprovalRow;
  expense: ExpenseRow;
  next: ApprovalRow | null;
}

interface Prepared {
  approval: ApprovalRow;
  expense: ExpenseRow;
  chain: ApprovalRow[];
  outcome: DecisionOutcome;
  onBehalfOf: string | null;
  at: string;
  people: Map<string, UserRow>;
  remainingCny: number | null;
  /** Who stands in for the next approver today (told of the request too). */
  nextDelegates: UserRow[];
}

/**
 * Deciding approvals (DOMAIN.md §5) from any surface: the chat, the API, the console.
 * The decision is a conditional update in one transaction with its consequences, so of two
 * racing deciders exactly one wins and the other gets who decided and when (rule 6, 7).
 */
export const createApprovalService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  /** Budget left before this request, as the next approver should see it. */
  const remainingFor = async (e: ExpenseRow): Promise<number | null> => {
    const use = await budgetUse(db, e.repId, monthOf(e.date), e.category);
    if (!use) return null;
    const own = e.status === "pending" ? toFen(e.amountCny) : 0;
    return fromFen(toFen(use.budget.amountCny) - toFen(use.committedCny) + own);
  };

  const alreadyDecided = async (approval: ApprovalRow): Promise<Result<never>> =>
    fail("already_decided", "approval.already_decided", await decidedParams(db, approval, ctx.timeZone));

  const prepare = async (
    approvalId: string,
    input: DecisionRequest,
    actor: DecidingActor,
  ): Promise<Result<Prepared>> => {
    const approval = await db.select().from(approvals).where(eq(approvals.id, approvalId)).get();
    if (!approval) return fail("not_found", "approval.not_found");
    const expense = await db.select().from(expenses).where(eq(expenses.id, approval.subjectId)).get();
    if (!expense) return fail("not_found", "approval.not_found");
    const can = canDecide({
      approval: toLevels([approval])[0],
      actorId: actor.id,
      requesterId: expense.repId,
      delegations: await delegationsFrom(db, [approval.approverId]),
      today: today(ctx),
      decision: input.decision,
      reason: input.reason,
    });
    if (!can.ok) {
      return can.error.messageKey === "approval.already_decided" ? alreadyDecided(approval) : can;
    }
    const chain = await chainOf(db, expense.id);
    const at = ctx.now().toISOString();
    const reason = input.reason?.trim() || null;
    const outcome = applyDecision(toLevels(chain), approval.level, { ...input, reason, by: actor.id, at });
    const people = await usersByIds(db, [expense.repId, actor.id, outcome.next?.approverId ?? null]);
    const remainingCny = outcome.next ? await remainingFor(expense) : null;
    const nextDelegates = outcome.next ? await delegateUsersOf(db, outcome.next.approverId, today(ctx)) : [];
    const onBehalfOf = can.value.onBehalfOf;
    return ok({ approval, expense, chain, outcome, onBehalfOf, at, people, remainingCny, nextDelegates });
  };

  /** The other levels' changes, each conditional on the state the decision saw. */
  const levelUpdates = (tx: Db, p: Prepared, changes: LevelChange[]): Statement[] =>
    changes
      .filter((c) => c.level !== p.approval.level)
      .map((c) =>
        tx
          .update(approvals)
          .set({ status: c.to })
          .where(
            and(
              eq(approvals.subjectType, "expense"),
              eq(approvals.subjectId, p.expense.id),
              eq(approvals.level, c.level),
              eq(approvals.status, c.from),
            ),
          ),
      );

  const notices = (tx: Db, p: Prepared, decidedByName: string): Statement[] => {
    const out: Statement[] = [];
    const nextRow = p.outcome.next && p.chain.find((a) => a.level === p.outcome.next?.level);
    const approver = nextRow ? p.people.get(nextRow.approverId) : undefined;
    const requester = p.people.get(p.expense.repId);
    const expense = { ...p.expense, status: p.outcome.expenseStatus };
    if (nextRow && approver && requester) {
      const n = { approval: nextRow, approver, expense, requesterName: requester.name };
      const notice = { ...n, remainingCny: p.remainingCny, delegates: p.nextDelegates };
      out.push(...approvalRequestStatements(tx, ctx, notice, today(ctx), ctx.now()));
    }
    const status = p.outcome.expenseStatus;
    if (requester && (status === "approved" || status === "rejected")) {
      const reason = p.outcome.chain.find((l) => l.level === p.approval.level)?.reason ?? null;
      const n = { expense, requester, status, decidedByName, reason };
      out.push(approvalResultStatement(tx, ctx, n, today(ctx), ctx.now()));
    }
    return out;
  };

  /** The conditional update first; its consequences only when it won (same transaction). */
  const commit = (p: Prepared, input: DecisionRequest, actor: DecidingActor, name: string) =>
    writeTransaction(ctx.database, async (tx) => {
      const decided = p.outcome.chain.find((l) => l.level === p.approval.level);
      const hit = await tx
        .update(approvals)
        .set({
          status: decided?.status === "approved" ? "approved" : "rejected",
          decidedAt: p.at,
          decidedBy: actor.id,
          decidedVia: actor.via,
          reason: decided?.reason ?? null,
        })
        .where(and(eq(approvals.id, p.approval.id), eq(approvals.status, "pending")))
        .returning({ id: approvals.id });
      if (hit.length === 0) return false;
      const expenseChange =
        p.outcome.expenseStatus === p.expense.status
          ? []
          : [
              tx
                .update(expenses)
                .set({ status: p.outcome.expenseStatus, updatedAt: p.at })
                .where(and(eq(expenses.id, p.expense.id), eq(expenses.status, "pending"))),
            ];
      await runInOrder([
        ...levelUpdates(tx, p, p.outcome.changes),
        ...expenseChange,
        auditInsert(tx, {
          actorId: actor.id,
          via: actor.via,
          action: input.decision,
          entityType: "approval",
          entityId: p.approval.id,
          before: { status: p.approval.status },
          after: { ...decided, onBehalfOf: p.onBehalfOf, expenseStatus: p.outcome.expenseStatus },
        }),
        ...notices(tx, p, name),
      ]);
      return true;
    });

  const publish = (p: Prepared, input: DecisionRequest, actor: DecidingActor, name: string) => {
    const next = p.outcome.next ? (p.chain.find((a) => a.level === p.outcome.next?.level) ?? null) : null;
    ctx.events.publish("approval.decided", {
      approvalId: p.approval.id,
      subjectType: "expense",
      subjectId: p.expense.id,
      subjectRef: p.expense.ref,
      requesterId: p.expense.repId,
      decision: input.decision,
      subjectStatus: p.outcome.expenseStatus,
      decidedBy: actor.id,
      decidedByName: name,
      decidedAt: p.at,
      decidedVia: actor.via,
      reason: p.outcome.chain.find((l) => l.level === p.approval.level)?.reason ?? null,
      nextApproverId: next?.approverId ?? null,
    });
    if (next)
      ctx.events.publish("approval.requested", {
        approvalId: next.id,
        approverId: next.approverId,
        subjectRef: p.expense.ref,
        subjectId: p.expense.id,
      });
    return next;
  };

  const decide = async (
    approvalId: string,
    input: DecisionRequest,
    actor: DecidingActor,
  ): Promise<Result<DecisionResult>> => {
    const prepared = await prepare(approvalId, input, actor);
    if (!prepared.ok) return prepared;
    const p = prepared.value;
    const name = p.people.get(actor.id)?.name ?? actor.id;
    const won = await commit(p, input, actor, name);
    const approval = await db.select().from(approvals).where(eq(approvals.id, approvalId)).get();
    if (!approval) return fail("not_found", "approval.not_found");
    if (!won) return alreadyDecided(approval);
    const next = publish(p, input, actor, name);
    const expense = await db.select().from(expenses).where(eq(expenses.id, p.expense.id)).get();
    return ok({ approval, expense: expense ?? p.expense, next });
  };

  /** `同意 E42` from chat: the sender's own (or delegated) pending level of that request. */
  const decideByRef = async (
    ref: string,
    approverUserId: string,
    input: DecisionRequest,
    via: DecisionVia,
  ): Promise<Result<DecisionResult>> => {
    const found = await explainByRef(db, ctx, ref, approverUserId);
    if (!found.ok) return found;
    return decide(found.value.id, input, { id: approverUserId, via });
  };

  /** What waits for this user now: their own pending levels and those of who delegated to them. */
  const pendingFor = async (userId: string) => {
    const approverIds = [userId, ...(await delegatorsOf(db, userId, today(ctx)))];
    const rows = await db
      .select({ approval: approvals, expense: expenses })
      .from(approvals)
      .innerJoin(expenses, eq(expenses.id, approvals.subjectId))
      .where(and(eq(approvals.status, "pending"), inArray(approvals.approverId, approverIds)))
      .orderBy(asc(approvals.id));
    const mine = rows.filter((r) => r.expense.repId !== userId);
    const names = await usersByIds(db, [...mine.map((r) => r.expense.repId), ...approverIds]);
    return mine.map((r) => {
      const onBehalfOf = r.approval.approverId === userId ? null : r.approval.approverId;
      return {
        ...r,
        requesterName: names.get(r.expense.repId)?.name ?? r.expense.repId,
        onBehalfOf,
        /** The absent approver's name, as the list shows it. */
        onBehalfOfName: onBehalfOf ? (names.get(onBehalfOf)?.name ?? onBehalfOf) : null,
      };
    });
  };

  /** The pending level `驳回 E42` would decide, or why there is none (asked before the reason). */
  const findByRef = (ref: string, userId: string) => explainByRef(db, ctx, ref, userId);

  return { decide, decideByRef, findByRef, pendingFor, ...createDelegationService(ctx) };
};

export type ApprovalService = ReturnType<typeof createApprovalService>;
