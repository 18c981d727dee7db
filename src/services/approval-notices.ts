import type { Db, Statement } from "../db/client";
import { enqueueStatement } from "../notify/enqueue";
import { userChannel } from "../notify/route-user";
import type { ApprovalRow, ExpenseRow, UserRow } from "./approval-queries";
import type { ServiceContext } from "./context";

/**
 * The chat messages an approval sends, as outbox inserts for the batch that makes the change
 * (rule 4). Data carries only what the template shows: no customer phone or e-mail.
 */
export interface RequestNotice {
  approval: Pick<ApprovalRow, "id" | "level">;
  approver: UserRow;
  expense: ExpenseRow;
  requesterName: string;
  remainingCny: number | null;
}

export const approvalRequestStatement = (
  db: Db,
  ctx: Pick<ServiceContext, "chatPlatforms">,
  n: RequestNotice,
  date: string,
  now: Date,
): Statement => {
  const channel = userChannel(n.approver, ctx.chatPlatforms);
  const e = n.expense;
  return enqueueStatement(
    db,
    {
      channel,
      recipientType: "user",
      recipientId: n.approver.id,
      template: "approval_request",
      locale: n.approver.locale,
      data: {
        approvalId: n.approval.id,
        level: n.approval.level,
        expenseId: e.id,
        ref: e.ref,
        kind: e.kind,
        requesterName: n.requesterName,
        amountCny: e.amountCny,
        category: e.category,
        date: e.date,
        description: e.description,
        remainingCny: n.remainingCny,
        warnings: e.warnings,
        invoiceNo: e.invoiceNo,
        attendeesCount: e.attendees.length,
      },
      dedupeKey: `approval:${n.approval.id}:${date}:${channel}:${n.approver.id}`,
    },
    now,
  );
};

export interface ResultNotice {
  expense: ExpenseRow;
  requester: UserRow;
  status: "approved" | "rejected";
  decidedByName: string;
  reason: string | null;
}

export const approvalResultStatement = (
  db: Db,
  ctx: Pick<ServiceContext, "chatPlatforms">,
  n: ResultNotice,
  date: string,
  now: Date,
): Statement => {
  const channel = userChannel(n.requester, ctx.chatPlatforms);
  return enqueueStatement(
    db,
    {
      channel,
      recipientType: "user",
      recipientId: n.requester.id,
      template: "approval_result",
      locale: n.requester.locale,
      data: {
        expenseId: n.expense.id,
        ref: n.expense.ref,
        amountCny: n.expense.amountCny,
        status: n.status,
        decidedByName: n.decidedByName,
        reason: n.reason,
      },
      dedupeKey: `approval_result:${n.expense.id}:${date}:${channel}:${n.requester.id}`,
    },
    now,
  );
};
