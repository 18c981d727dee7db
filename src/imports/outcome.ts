import { eq } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import type { Database } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { importBatches } from "../db/schema";

export interface RowOutcome {
  row: number;
  status: "ok" | "updated" | "error";
  id?: string;
  error?: string;
  /** A saved row's note on what the file asked for but the import left as it was. */
  warning?: string;
}

export interface ImportSummary {
  imported: number;
  updated: number;
  failed: number;
  rows: RowOutcome[];
  /** Header cells no field answers to (absent when every column was read). */
  ignoredColumns?: string[];
}

/** Rows already written share this size of write batch: big enough to be fast, small enough to interleave. */
export const WRITE_BATCH = 500;

/** The answer of an import; columns it did not read are named, so none is dropped unseen. */
export const summarize = (rows: RowOutcome[], ignoredColumns: string[] = []): ImportSummary => {
  const sorted = [...rows].sort((a, b) => a.row - b.row);
  const count = (s: RowOutcome["status"]) => sorted.filter((r) => r.status === s).length;
  return {
    imported: count("ok"),
    updated: count("updated"),
    failed: count("error"),
    rows: sorted,
    ...(ignoredColumns.length > 0 ? { ignoredColumns } : {}),
  };
};

export interface ImportActor {
  id: string;
  role: "admin" | "manager" | "finance" | "rep";
}

type BatchRow = typeof importBatches.$inferInsert;

/**
 * The import_batches row is written first (purchases reference it) and completed with the
 * counts at the end, together with the one audit row every import leaves.
 */
export const openImportBatch = async (
  database: Database,
  kind: BatchRow["kind"],
  actor: ImportActor,
): Promise<string> => {
  const id = newId();
  await database.write((db) =>
    db.insert(importBatches).values({ id, kind, by: actor.id, createdAt: nowIso() }).run(),
  );
  return id;
};

export const closeImportBatch = async (
  database: Database,
  batchId: string,
  actor: ImportActor,
  summary: ImportSummary,
  extra: Pick<BatchRow, "source" | "sellerId" | "periodFrom" | "asOf"> = {},
) => {
  const set = {
    ...extra,
    rows: summary.rows.length,
    imported: summary.imported,
    updated: summary.updated,
    failed: summary.failed,
  };
  await database.write((db) =>
    db.batch([
      db.update(importBatches).set(set).where(eq(importBatches.id, batchId)),
      auditInsert(db, {
        actorId: actor.id,
        via: "import",
        action: "import",
        entityType: "import_batch",
        entityId: batchId,
        after: { id: batchId, ...set },
      }),
    ]),
  );
};

/** Splits a list into chunks of `size`. */
export const chunks = <T>(items: T[], size = WRITE_BATCH): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
