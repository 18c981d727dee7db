import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { teamMemberIds } from "../../db/team";
import { fail, ok, type Result } from "../../domain/result";
import type { Actor } from "../context";

export interface ReportFilter {
  repId?: string;
  managerId?: string;
}

/** Whom the actor may report on: null = everyone (admin, finance); a manager's team and self; a rep alone. */
const visibleTo = async (db: Db, actor: Actor): Promise<string[] | null> => {
  if (actor.role === "admin" || actor.role === "finance") return null;
  if (actor.role === "manager") return [actor.id, ...(await teamMemberIds(db, actor.id))];
  return [actor.id];
};

/**
 * The user ids a report covers (null = everyone), narrowed by `managerId` (that manager's
 * team down the hierarchy) and `repId`. Asking for someone outside one's scope is refused
 * rather than answered with an empty report, so a typo is not mistaken for "no activity".
 */
export const reportUserIds = async (
  db: Db,
  actor: Actor,
  f: ReportFilter,
): Promise<Result<string[] | null>> => {
  const visible = await visibleTo(db, actor);
  const allowed = (id: string) => visible === null || visible.includes(id);
  let ids = visible;
  if (f.managerId) {
    if (!allowed(f.managerId)) return fail("forbidden", "report.out_of_scope", undefined, "managerId");
    const team = [f.managerId, ...(await teamMemberIds(db, f.managerId))];
    ids = ids === null ? team : ids.filter((id) => team.includes(id));
  }
  if (f.repId) {
    if (!allowed(f.repId)) return fail("forbidden", "report.out_of_scope", undefined, "repId");
    ids = ids === null || ids.includes(f.repId) ? [f.repId] : [];
  }
  return ok(ids);
};

/** The reps among those users (every rep when null), with their names, by name then id. */
export const repsAmong = async (db: Db, ids: string[] | null) => {
  if (ids !== null && ids.length === 0) return [];
  const rows = await db
    .select({ id: users.id, name: users.name, active: users.active })
    .from(users)
    .where(and(eq(users.role, "rep"), ids === null ? undefined : inArray(users.id, ids)));
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
};
