import { describe, expect, it } from "vitest";
import {
  type ApprovalLevel,
  applyCancel,
  applyDecision,
  type CanDecideInput,
  canCancel,
  canDecide,
  startChain,
} from "../../../src/domain/approvals/decision";

const chain = startChain([
  { level: 1, approverId: "mgr1" },
  { level: 2, approverId: "head1" },
  { level: 3, approverId: "fin1" },
]);

const decide = (over: Partial<CanDecideInput> = {}) =>
  canDecide({
    approval: chain[0],
    actorId: "mgr1",
    requesterId: "rep1",
    delegations: [],
    today: "2026-11-20",
    decision: "approve",
    ...over,
  });

const key = (r: ReturnType<typeof decide>) => (r.ok ? r.value : r.error.messageKey);

describe("canDecide", () => {
  it("lets the approver decide a pending level in their own name", () => {
    expect(key(decide())).toEqual({ decidedBy: "mgr1", onBehalfOf: null });
  });

  it("rejects an approval decided twice, naming who and when", () => {
    const decided: ApprovalLevel = {
      ...chain[0],
      status: "approved",
      decidedBy: "mgr1",
      decidedAt: "2026-11-20T09:00:00+08:00",
    };
    const r = decide({ approval: decided });
    expect(r.ok ? null : r.error).toMatchObject({
      code: "already_decided",
      messageKey: "approval.already_decided",
      params: { by: "mgr1", at: "2026-11-20T09:00:00+08:00" },
    });
  });

  it("tells a later approver it is not their turn yet", () => {
    expect(key(decide({ approval: chain[1], actorId: "head1" }))).toBe("approval.not_your_turn");
  });

  it("refuses someone who is neither approver nor delegate", () => {
    expect(key(decide({ actorId: "head1" }))).toBe("approval.not_approver");
  });

  it("lets an active delegate decide through the last day inclusive", () => {
    const delegations = [{ fromUserId: "mgr1", toUserId: "mgr2", until: "2026-11-20" }];
    expect(key(decide({ actorId: "mgr2", delegations }))).toEqual({ decidedBy: "mgr2", onBehalfOf: "mgr1" });
    expect(key(decide({ actorId: "mgr2", delegations, today: "2026-11-21" }))).toBe("approval.not_approver");
  });

  it("never lets the requester decide their own, even as a delegate", () => {
    const delegations = [{ fromUserId: "mgr1", toUserId: "rep1", until: "2026-12-31" }];
    expect(key(decide({ actorId: "rep1", delegations }))).toBe("approval.own_request");
    expect(key(decide({ requesterId: "mgr1" }))).toBe("approval.own_request");
  });

  it("requires a reason to reject", () => {
    expect(key(decide({ decision: "reject", reason: "   " }))).toBe("approval.reason_required");
    expect(decide({ decision: "reject", reason: "no receipt" }).ok).toBe(true);
  });
});

describe("applyDecision", () => {
  const at = "2026-11-20T10:00:00+08:00";

  it("moves the next level from waiting to pending on approve", () => {
    const out = applyDecision(chain, 1, { decision: "approve", by: "mgr1", at });
    expect(out.expenseStatus).toBe("pending");
    expect(out.next?.approverId).toBe("head1");
    expect(out.chain.map((l) => l.status)).toEqual(["approved", "pending", "waiting"]);
    expect(out.changes).toEqual([
      { level: 1, from: "pending", to: "approved" },
      { level: 2, from: "waiting", to: "pending" },
    ]);
  });

  it("approves the expense when the last level approves", () => {
    const step1 = applyDecision(chain, 1, { decision: "approve", by: "mgr1", at }).chain;
    const step2 = applyDecision(step1, 2, { decision: "approve", by: "head1", at }).chain;
    const out = applyDecision(step2, 3, { decision: "approve", by: "fin1", at });
    expect(out.expenseStatus).toBe("approved");
    expect(out.next).toBeNull();
  });

  it("rejects the expense and supersedes the waiting levels", () => {
    const out = applyDecision(chain, 1, { decision: "reject", by: "mgr1", at, reason: "over policy" });
    expect(out.expenseStatus).toBe("rejected");
    expect(out.chain.map((l) => l.status)).toEqual(["rejected", "superseded", "superseded"]);
    expect(out.chain[0]).toMatchObject({ decidedBy: "mgr1", decidedAt: at, reason: "over policy" });
  });
});

describe("cancel", () => {
  it("lets the requester cancel a pending expense, superseding open levels", () => {
    expect(canCancel({ expense: { repId: "rep1", status: "pending" }, actorId: "rep1" }).ok).toBe(true);
    const approved1 = applyDecision(chain, 1, { decision: "approve", by: "mgr1", at: "x" }).chain;
    const out = applyCancel(approved1);
    expect(out.expenseStatus).toBe("cancelled");
    expect(out.chain.map((l) => l.status)).toEqual(["approved", "superseded", "superseded"]);
  });

  it("refuses a cancel by someone else or after a decision", () => {
    const other = canCancel({ expense: { repId: "rep1", status: "pending" }, actorId: "mgr1" });
    expect(other.ok || other.error.messageKey).toBe("expense.cancel_not_yours");
    const late = canCancel({ expense: { repId: "rep1", status: "approved" }, actorId: "rep1" });
    expect(late.ok || late.error.code).toBe("already_decided");
  });
});
