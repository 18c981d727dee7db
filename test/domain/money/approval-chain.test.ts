import { describe, expect, it } from "vitest";
import { buildApprovalChain, type ChainInput, type ChainUser } from "../../../src/domain/approvals/chain";

// rep1 → mgr1 → head1 (regional head, top); fin2 and fin1 in finance; boss has no manager.
const users: ChainUser[] = [
  { id: "rep1", role: "rep", managerId: "mgr1", active: true },
  { id: "mgr1", role: "manager", managerId: "head1", active: true },
  { id: "head1", role: "manager", managerId: null, active: true },
  { id: "fin2", role: "finance", managerId: null, active: true },
  { id: "fin1", role: "finance", managerId: null, active: true },
  { id: "fin0", role: "finance", managerId: null, active: false },
  { id: "admin1", role: "admin", managerId: null, active: true },
];

const chain = (over: Partial<ChainInput> = {}) =>
  buildApprovalChain({
    requester: "rep1",
    amountCny: 1000,
    kind: "pre_approval",
    escalate: 0,
    users,
    fallbackApproverId: "admin1",
    settings: { directManagerLimitCny: 2000 },
    ...over,
  });

const approvers = (r: ReturnType<typeof chain>) =>
  r.ok ? r.value.map((l) => l.approverId) : r.error.messageKey;

describe("buildApprovalChain", () => {
  it.each([
    [2000, ["mgr1"]],
    [2000.01, ["mgr1", "head1"]],
  ])("routes %s CNY to %j", (amountCny, expected) => {
    expect(approvers(chain({ amountCny }))).toEqual(expected);
  });

  it("numbers levels from 1", () => {
    expect(chain({ amountCny: 5000 })).toEqual({
      ok: true,
      value: [
        { level: 1, approverId: "mgr1" },
        { level: 2, approverId: "head1" },
      ],
    });
  });

  it("adds one level up when escalated", () => {
    expect(approvers(chain({ escalate: 1 }))).toEqual(["mgr1", "head1"]);
  });

  it("hands the level above the top of the hierarchy to the fallback approver", () => {
    expect(approvers(chain({ amountCny: 5000, escalate: 1 }))).toEqual(["mgr1", "head1", "admin1"]);
  });

  it("puts the first active finance user by id after the managers for a reimbursement", () => {
    expect(approvers(chain({ kind: "reimbursement", amountCny: 5000 }))).toEqual(["mgr1", "head1", "fin1"]);
  });

  it("sends a requester with no manager to the fallback approver", () => {
    expect(approvers(chain({ requester: "head1" }))).toEqual(["admin1"]);
  });

  it("never lets the requester approve their own, even as the fallback approver", () => {
    expect(approvers(chain({ requester: "admin1" }))).toBe("approval.no_approver");
    expect(approvers(chain({ requester: "admin1", kind: "reimbursement" }))).toEqual(["fin1"]);
  });

  it("keeps finance from confirming their own reimbursement", () => {
    const withFinRep = [...users, { id: "fin1rep", role: "rep", managerId: "mgr1", active: true }];
    const r = chain({ requester: "fin1", kind: "reimbursement", users: withFinRep });
    expect(approvers(r)).toEqual(["admin1", "fin2"]);
  });

  it("skips an inactive manager for their own manager", () => {
    const gone = users.map((u) => (u.id === "mgr1" ? { ...u, active: false } : u));
    expect(approvers(chain({ users: gone }))).toEqual(["head1"]);
  });

  it("merges consecutive identical approvers", () => {
    const r = chain({ requester: "mgr1", amountCny: 5000, fallbackApproverId: "head1" });
    expect(r.ok && r.value).toEqual([{ level: 1, approverId: "head1" }]);
  });

  it("fails when nobody can approve", () => {
    expect(approvers(chain({ requester: "head1", fallbackApproverId: null }))).toBe("approval.no_approver");
  });
});
