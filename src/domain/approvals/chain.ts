/**
 * Who approves an expense, in which order (DOMAIN.md §5): by amount up the manager
 * hierarchy, one more level when escalated, finance last for reimbursements, and an
 * admin-named fallback for whoever runs out of managers. Nobody approves their own.
 */
import { toFen } from "../money";
import { fail, ok, type Result } from "../result";

export interface ChainUser {
  id: string;
  role: string;
  managerId: string | null;
  active: boolean;
}

export interface ChainInput {
  requester: string;
  amountCny: number;
  kind: "pre_approval" | "reimbursement";
  /** Extra levels up the hierarchy (over budget with policy "escalate"). */
  escalate: number;
  users: readonly ChainUser[];
  /** The admin-named approver for the top of the hierarchy (setting); null when unset. */
  fallbackApproverId: string | null;
  settings: { directManagerLimitCny: number };
}

export interface ChainLevel {
  level: number;
  approverId: string;
}

export const buildApprovalChain = (input: ChainInput): Result<ChainLevel[]> => {
  const byId = new Map(input.users.map((u) => [u.id, u]));
  const isEligible = (id: string | null): id is string =>
    id !== null && id !== input.requester && byId.get(id)?.active === true;

  const approvers = managerLevels(input, byId, isEligible);
  if (input.kind === "reimbursement") {
    const finance = firstFinanceUser(input.users, input.requester);
    if (finance) approvers.push(finance);
  }
  const deduped = approvers.filter((id, i) => i === 0 || approvers[i - 1] !== id);
  if (deduped.length === 0) return fail("unavailable", "approval.no_approver");
  return ok(deduped.map((approverId, i) => ({ level: i + 1, approverId })));
};

/** How many managers must approve: 1 up to the limit (inclusive), 2 above, plus escalation. */
export const managerLevelsNeeded = (amountCny: number, limitCny: number, escalate: number): number =>
  (toFen(amountCny) > toFen(limitCny) ? 2 : 1) + Math.max(0, Math.trunc(escalate));

/**
 * Walks up from the requester. Inactive managers are skipped (their manager steps in);
 * when the hierarchy ends before enough levels, the fallback approver takes the rest
 * as a single top level — the "someone with no manager" rule applied at any height.
 */
const managerLevels = (
  input: ChainInput,
  byId: ReadonlyMap<string, ChainUser>,
  isEligible: (id: string | null) => id is string,
): string[] => {
  const needed = managerLevelsNeeded(input.amountCny, input.settings.directManagerLimitCny, input.escalate);
  const approvers: string[] = [];
  const seen = new Set<string>([input.requester]);
  let current = byId.get(input.requester)?.managerId ?? null;
  while (approvers.length < needed && current !== null && !seen.has(current)) {
    seen.add(current);
    if (isEligible(current)) approvers.push(current);
    current = byId.get(current)?.managerId ?? null;
  }
  if (approvers.length < needed && isEligible(input.fallbackApproverId)) {
    approvers.push(input.fallbackApproverId);
  }
  return approvers;
};

/** Finance confirms reimbursements; the first active finance user by id, never the requester. */
const firstFinanceUser = (users: readonly ChainUser[], requester: string): string | null =>
  users
    .filter((u) => u.role === "finance" && u.active && u.id !== requester)
    .map((u) => u.id)
    .sort()[0] ?? null;
