import type { Db } from "./client";
import { newId, nowIso } from "./ids";
import { auditLog } from "./schema";

export interface AuditEntry {
  actorId: string | null;
  via?: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** The audit row for a change, to be put in the same batch as the change itself. */
export const auditInsert = (db: Db, e: AuditEntry) => db.insert(auditLog).values(auditRow(e));

/** Rows per multi-row insert (9 columns each, well under SQLite's parameter limit). */
const ROWS_PER_INSERT = 500;

/** The audit rows of many changes, a few hundred per statement (a job records thousands). */
export const auditInsertMany = (db: Db, entries: AuditEntry[]) => {
  const out = [];
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT)
    out.push(db.insert(auditLog).values(entries.slice(i, i + ROWS_PER_INSERT).map(auditRow)));
  return out;
};

const auditRow = (e: AuditEntry) => ({
  id: newId(),
  at: nowIso(),
  actorId: e.actorId,
  via: e.via ?? "api",
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  before: e.before ?? null,
  after: e.after ?? null,
});
