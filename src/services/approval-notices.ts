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
  /** Active delegates of the approver, told too: an approver away is who names one. */
  delegates?: UserRow[];
}

/** The request to the approver, and to each delegate standing in for them (naming whom). */
export const approvalRequestStatements = (
  db: Db,
  ctx: Pick<ServiceContext, "chatPlatforms">,
  n: RequestNotice,
  date: string,
  now: Date,
): Statement[] => [
  requestTo(db, ctx, n, n.approver, null, date, now),
  ...(n.delegates ?? [])
    .filter((d) => d.id !== n.approver.id && d.id !== n.expense.repId)
    .map((d) => requestTo(db, ctx, n, d, n.approver.name, date, now)),
];

const requestTo = (
  db: Db,
  ctx: Pick<ServiceContext, "chatPlatforms">,
  n: RequestNotice,
  to: UserRow,
  onBehalfOfName: string | null,
  date: string,
  now: Date,
): Statement => {
  const channel = userChannel(to, ctx.chatPlatforms);
  const e = n.expense;
  return enqueueStatement(
    db,
    {
      channel,
      recipientType: "user",
      recipientId: to.id,
      template: "approval_request",
      locale: to.locale,
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
        ...(onBehalfOfName ? { onBehalfOfName } : {}),
      },
      dedupeKey: `approval:${n.approval.id}:${date}:${channel}:${to.id}`,
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
