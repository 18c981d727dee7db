import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../../src/db/client";
import { approvals, auditLog, expenses, outbox } from "../../../src/db/schema";

/** What the approval-reply tests read back: an expense, its levels, decision audits and notices. */
export const approvalReads = (database: () => Database) => {
  const levelsOf = (expenseId: string) =>
    database().db.select().from(approvals).where(eq(approvals.subjectId, expenseId)).orderBy(approvals.level);
  return {
    levelsOf,
    expenseOf: async (id: string) =>
      (await database().db.select().from(expenses).where(eq(expenses.id, id)))[0],
    /** Audit rows recording a decision on this expense's levels. */
    decisionAudits: async (expenseId: string) => {
      const ids = (await levelsOf(expenseId)).map((a) => a.id);
      return database()
        .db.select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.entityType, "approval"),
            inArray(auditLog.entityId, ids),
            inArray(auditLog.action, ["approve", "reject"]),
          ),
        );
    },
    /** The result notices queued for the requester of this expense. */
    resultNotices: async (expenseId: string) =>
      (await database().db.select().from(outbox).where(eq(outbox.template, "approval_result"))).filter(
        (r) => (r.data as { expenseId?: string }).expenseId === expenseId,
      ),
  };
};
