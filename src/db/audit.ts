import type { InStatement } from "@libsql/client";
import { bulkInsert } from "./bulk-insert";
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

/**
 * The audit rows of many changes as plain SQL for the client's batch, a few hundred per
 * statement: a job records thousands, and drizzle's builder cost more per row than the write.
 */
export const auditStatements = (entries: AuditEntry[]): InStatement[] =>
  bulkInsert(auditLog, entries.map(auditRow));

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
