/**
 * Deciding one level of an approval chain (DOMAIN.md §5): who may decide, and what the
 * decision does to the other levels and to the expense. Pure: the repository applies
 * the returned changes as conditional updates (`… WHERE status = 'pending'`).
 */
import type { IsoDate } from "../dates";
import { fail, ok, type Result } from "../result";
import type { ChainLevel } from "./chain";

export type ApprovalState = "waiting" | "pending" | "approved" | "rejected" | "superseded";
export type ExpenseStatus = "pending" | "approved" | "rejected" | "cancelled";
export type Decision = "approve" | "reject";

export interface ApprovalLevel {
  level: number;
  approverId: string;
  status: ApprovalState;
  decidedBy?: string | null;
  decidedAt?: string | null;
  reason?: string | null;
}

export interface Delegation {
  fromUserId: string;
  toUserId: string;
  /** Last day the delegation holds, inclusive. */
  until: IsoDate;
  /** First day, inclusive; absent = already in force. */
  from?: IsoDate | null;
}

export interface CanDecideInput {
  approval: ApprovalLevel;
  actorId: string;
  requesterId: string;
  delegations: readonly Delegation[];
  today: IsoDate;
  decision: Decision;
  reason?: string | null;
}

/** The actor decides in their own name; `onBehalfOf` records the absent approver they stand in for. */
export interface Authorization {
  decidedBy: string;
  onBehalfOf: string | null;
}

/** Fresh chain: the first level is pending, the rest wait their turn. */
/** The longest reason kept whole (the API's limit too): a longer one is refused, never cut. */
export const MAX_REASON_CHARS = 1000;

export const startChain = (levels: readonly ChainLevel[]): ApprovalLevel[] =>
  levels.map((l, i) => ({ ...l, status: i === 0 ? "pending" : "waiting" }));

export const canDecide = (input: CanDecideInput): Result<Authorization> => {
  const { approval, actorId } = input;
  const state = checkState(approval);
  if (!state.ok) return state;
  if (actorId === input.requesterId) return fail("forbidden", "approval.own_request");
  const onBehalfOf = actorId === approval.approverId ? null : delegatorFor(input);
  if (actorId !== approval.approverId && onBehalfOf === null) {
    return fail("forbidden", "approval.not_approver");
  }
  if (input.decision === "reject" && (input.reason ?? "").trim() === "") {
    return fail("validation", "approval.reason_required", undefined, "reason");
  }
  if ((input.reason ?? "").trim().length > MAX_REASON_CHARS) {
    return fail("validation", "approval.reason_too_long", { max: MAX_REASON_CHARS }, "reason");
  }
  return ok({ decidedBy: actorId, onBehalfOf });
};

const checkState = (approval: ApprovalLevel): Result<null> => {
  switch (approval.status) {
    case "pending":
      return ok(null);
    case "waiting":
      return fail("conflict", "approval.not_your_turn", { level: approval.level });
    case "superseded":
      return fail("already_decided", "approval.superseded");
    default:
      return fail("already_decided", "approval.already_decided", {
        by: approval.decidedBy ?? null,
        at: approval.decidedAt ?? null,
        status: approval.status,
      });
  }
};

/** Who stands in for this approver on `today` (the delegates an approval request also goes to). */
export const delegatesOn = (
  delegations: readonly Delegation[],
  approverId: string,
  today: IsoDate,
): string[] => [
  ...new Set(
    delegations
      .filter((d) => d.fromUserId === approverId && today <= d.until && (d.from == null || d.from <= today))
      .map((d) => d.toUserId),
  ),
];

const delegatorFor = (input: CanDecideInput): string | null => {
  const active = input.delegations.some(
    (d) =>
      d.fromUserId === input.approval.approverId &&
      d.toUserId === input.actorId &&
      input.today <= d.until &&
      (d.from == null || d.from <= input.today),
  );
  return active ? input.approval.approverId : null;
};

export interface LevelChange {
  level: number;
  from: ApprovalState;
  to: ApprovalState;
}

export interface DecisionOutcome {
  chain: ApprovalLevel[];
  changes: LevelChange[];
  expenseStatus: ExpenseStatus;
  /** The level that became pending (notify its approver), if any. */
  next: ApprovalLevel | null;
}

export interface DecisionInput {
  decision: Decision;
  by: string;
  at: string;
  reason?: string | null;
}

/**
 * Approve on the last level approves the expense; otherwise the next waiting level
 * becomes pending. Reject rejects the expense and supersedes every waiting level.
 */
export const applyDecision = (
  chain: readonly ApprovalLevel[],
  levelDecided: number,
  d: DecisionInput,
): DecisionOutcome => {
  const decided: ApprovalState = d.decision === "approve" ? "approved" : "rejected";
  const nextLevel = d.decision === "approve" ? nextWaiting(chain, levelDecided) : null;
  const changes: LevelChange[] = [];
  const updated = chain.map((l): ApprovalLevel => {
    if (l.level === levelDecided) {
      changes.push({ level: l.level, from: l.status, to: decided });
      return { ...l, status: decided, decidedBy: d.by, decidedAt: d.at, reason: d.reason ?? null };
    }
    if (nextLevel !== null && l.level === nextLevel) {
      changes.push({ level: l.level, from: l.status, to: "pending" });
      return { ...l, status: "pending" };
    }
    if (d.decision === "reject" && isOpen(l)) {
      changes.push({ level: l.level, from: l.status, to: "superseded" });
      return { ...l, status: "superseded" };
    }
    return l;
  });
  const expenseStatus: ExpenseStatus =
    d.decision === "reject" ? "rejected" : nextLevel === null ? "approved" : "pending";
  const next = nextLevel === null ? null : (updated.find((l) => l.level === nextLevel) ?? null);
  return { chain: updated, changes, expenseStatus, next };
};

const nextWaiting = (chain: readonly ApprovalLevel[], after: number): number | null => {
  const later = chain.filter((l) => l.level > after && l.status === "waiting").map((l) => l.level);
  return later.length === 0 ? null : Math.min(...later);
};

const isOpen = (l: ApprovalLevel): boolean => l.status === "waiting" || l.status === "pending";

export interface CanCancelInput {
  expense: { repId: string; status: ExpenseStatus };
  actorId: string;
}

/** Only the requester cancels, and only while the expense is still pending. */
export const canCancel = (input: CanCancelInput): Result<null> => {
  if (input.actorId !== input.expense.repId) return fail("forbidden", "expense.cancel_not_yours");
  if (input.expense.status !== "pending") {
    return fail("already_decided", "expense.cancel_not_pending", { status: input.expense.status });
  }
  return ok(null);
};

/** Cancelling supersedes every level still open; decided levels keep their history. */
export const applyCancel = (chain: readonly ApprovalLevel[]): DecisionOutcome => {
  const changes: LevelChange[] = [];
  const updated = chain.map((l): ApprovalLevel => {
    if (!isOpen(l)) return l;
    changes.push({ level: l.level, from: l.status, to: "superseded" });
    return { ...l, status: "superseded" };
  });
  return { chain: updated, changes, expenseStatus: "cancelled", next: null };
};
