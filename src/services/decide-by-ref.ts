import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { expenses } from "../db/schema";
import { formatInstant } from "../domain/dates";
import { parseRef } from "../domain/expenses/expense-rules";
import { fail, ok, type Result } from "../domain/result";
import { type ApprovalRow, chainOf, decidedParams, delegatorsOf, usersByIds } from "./approval-queries";
import { type ServiceContext, today } from "./context";

/**
 * Which approval `同意 E42` from this user means: their own pending level of that request, or
 * the pending level of someone who delegated to them. Otherwise the precise reason why not
 * (CONTRACT.md: not yours, not your level yet, already decided by whom and when).
 */
export const explainByRef = async (
  db: Db,
  ctx: Pick<ServiceContext, "now" | "timeZone">,
  ref: string,
  userId: string,
): Promise<Result<ApprovalRow>> => {
  const seq = parseRef(ref);
  const expense =
    seq === null ? undefined : await db.select().from(expenses).where(eq(expenses.seq, seq)).get();
  if (!expense) return fail("not_found", "approval.unknown_ref", { ref: ref.trim() });
  const chain = await chainOf(db, expense.id);
  const delegators = await delegatorsOf(db, userId, today(ctx));
  const mine = chain.filter((a) => a.approverId === userId || delegators.includes(a.approverId));
  const pending = mine.find((a) => a.status === "pending");
  if (pending) return ok(pending);
  if (expense.repId === userId) return fail("forbidden", "approval.own_request", { ref: expense.ref });
  if (mine.length === 0) return fail("forbidden", "approval.not_yours", { ref: expense.ref });
  const waiting = mine.find((a) => a.status === "waiting");
  if (waiting) return fail("conflict", "approval.not_your_turn", { ref: expense.ref, level: waiting.level });
  // Mine was decided, or superseded by someone else's rejection: name that decision.
  const decided =
    mine.find((a) => a.status === "approved" || a.status === "rejected") ??
    chain.find((a) => a.status === "rejected");
  if (decided) {
    const params = await decidedParams(db, decided, ctx.timeZone);
    return fail("already_decided", "approval.already_decided", { ...params, ref: expense.ref });
  }
  // Superseded without a rejection: the requester cancelled.
  const requester = (await usersByIds(db, [expense.repId])).get(expense.repId);
  return fail("already_decided", "approval.already_decided", {
    by: requester?.name ?? expense.repId,
    at: formatInstant(new Date(expense.updatedAt), ctx.timeZone),
    status: expense.status,
    ref: expense.ref,
  });
};
