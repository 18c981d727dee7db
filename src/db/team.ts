import { sql } from "drizzle-orm";
import type { Db } from "./client";

/** Everyone below a manager in the hierarchy (not the manager), by a recursive query. */
export const teamMemberIds = async (db: Db, managerId: string): Promise<string[]> => {
  const rows = await db.all<{ id: string }>(sql`
    WITH RECURSIVE team(id) AS (
      SELECT id FROM users WHERE manager_id = ${managerId}
      UNION
      SELECT u.id FROM users u JOIN team t ON u.manager_id = t.id
    ) SELECT id FROM team`);
  return rows.map((r) => r.id);
};

/** The managers above a user, nearest first. */
export const managerChain = async (db: Db, userId: string): Promise<string[]> => {
  const rows = await db.all<{ id: string; depth: number }>(sql`
    WITH RECURSIVE up(id, depth) AS (
      SELECT manager_id, 1 FROM users WHERE id = ${userId} AND manager_id IS NOT NULL
      UNION
      SELECT u.manager_id, up.depth + 1 FROM users u JOIN up ON u.id = up.id
      WHERE u.manager_id IS NOT NULL AND up.depth < 20
    ) SELECT id, depth FROM up ORDER BY depth`);
  return rows.map((r) => r.id);
};
