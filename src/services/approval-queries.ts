import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { approvals, delegations, type expenses, users } from "../db/schema";
import { type ApprovalLevel, type Delegation, delegatesOn } from "../domain/approvals/decision";
import { formatInstant } from "../domain/dates";

/** Reads shared by the expense and approval services (no rules here, only rows). */
export type ApprovalRow = typeof approvals.$inferSelect;
export type ExpenseRow = typeof expenses.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export const chainOf = (db: Db, subjectId: string): Promise<ApprovalRow[]> =>
  db
    .select()
    .from(approvals)
    .where(and(eq(approvals.subjectType, "expense"), eq(approvals.subjectId, subjectId)))
    .orderBy(asc(approvals.level));

export const toLevels = (rows: readonly ApprovalRow[]): ApprovalLevel[] =>
  rows.map((r) => ({
    level: r.level,
    approverId: r.approverId,
    status: r.status,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    reason: r.reason,
  }));

/** Delegations not revoked, given by any of these approvers (the domain checks the dates). */
export const delegationsFrom = async (db: Db, fromUserIds: readonly string[]): Promise<Delegation[]> => {
  if (fromUserIds.length === 0) return [];
  const rows = await db
    .select()
    .from(delegations)
    .where(and(inArray(delegations.fromUserId, [...fromUserIds]), isNull(delegations.revokedAt)));
  return rows.map((d) => ({ fromUserId: d.fromUserId, toUserId: d.toUserId, until: d.until }));
};

/** Approvers who delegated to this user and whose delegation holds today. */
export const delegatorsOf = async (db: Db, toUserId: string, today: string): Promise<string[]> => {
  const rows = await db
    .select({ from: delegations.fromUserId, until: delegations.until })
    .from(delegations)
    .where(and(eq(delegations.toUserId, toUserId), isNull(delegations.revokedAt)));
  return [...new Set(rows.filter((r) => today <= r.until).map((r) => r.from))];
};

/** The active users standing in for this approver today: an approval request goes to them too. */
export const delegateUsersOf = async (db: Db, approverId: string, today: string): Promise<UserRow[]> => {
  const ids = delegatesOn(await delegationsFrom(db, [approverId]), approverId, today);
  const people = await usersByIds(db, ids);
  return ids.flatMap((id) => {
    const u = people.get(id);
    return u?.active ? [u] : [];
  });
};

export const usersByIds = async (db: Db, ids: readonly (string | null)[]): Promise<Map<string, UserRow>> => {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select().from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((u) => [u.id, u]));
};

/** Who decided a level and when, as message params (`approval.already_decided`). */
export const decidedParams = async (db: Db, row: ApprovalRow, timeZone: string) => {
  const names = await usersByIds(db, [row.decidedBy]);
  return {
    by: (row.decidedBy && names.get(row.decidedBy)?.name) || row.decidedBy,
    at: row.decidedAt ? formatInstant(new Date(row.decidedAt), timeZone) : null,
    status: row.status,
  };
};
