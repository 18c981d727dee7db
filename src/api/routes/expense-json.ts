import { formatInstant } from "../../domain/dates";
import type { ApprovalRow } from "../../services/approval-queries";
import type { ExpenseView } from "../../services/expenses";

/** CONTRACT.md's approval fields; instants with the company zone's offset. */
export const approvalJson = (a: ApprovalRow, timeZone: string) => ({
  id: a.id,
  subjectType: a.subjectType,
  subjectId: a.subjectId,
  subjectRef: a.subjectRef,
  approverId: a.approverId,
  level: a.level,
  status: a.status,
  decidedAt: a.decidedAt ? formatInstant(new Date(a.decidedAt), timeZone) : null,
  decidedBy: a.decidedBy,
  decidedVia: a.decidedVia,
  reason: a.reason,
});

/** CONTRACT.md's expense fields, its chain, and the checks' warnings. */
export const expenseJson = (e: ExpenseView, timeZone: string) => ({
  id: e.id,
  ref: e.ref,
  repId: e.repId,
  kind: e.kind,
  category: e.category,
  amountCny: e.amountCny,
  date: e.date,
  description: e.description,
  invoiceNo: e.invoiceNo,
  attendees: e.attendees,
  receiptIds: e.receiptIds,
  status: e.status,
  warnings: e.warnings,
  ...(e.remainingCny === undefined ? {} : { remainingCny: e.remainingCny }),
  approvals: e.approvals.map((a) => approvalJson(a, timeZone)),
  createdAt: formatInstant(new Date(e.createdAt), timeZone),
});
