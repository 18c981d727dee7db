import type { InStatement, InValue } from "@libsql/client";
import { type Column, getTableColumns, getTableName, is, SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/** Bound parameters per statement: well under SQLite's 32,766. */
const MAX_PARAMS = 8000;

export interface BulkInsertOptions {
  /** Skip rows that would break a unique key: this column's, or any (`true`). */
  ignoreConflicts?: Column | true;
}

/**
 * Multi-row INSERTs as plain SQL and arguments for the libSQL client, for the bulk writes of
 * jobs. Drizzle's builder walks every value through generic checks; at tens of thousands of
 * rows that cost more than the write. Each value still goes through its column's own encoder
 * (JSON, booleans), and a key left out takes the column's default, as with drizzle.
 */
export const bulkInsert = <T extends SQLiteTable>(
  table: T,
  rows: T["$inferInsert"][],
  opts: BulkInsertOptions = {},
): InStatement[] => {
  const columns = Object.entries(getTableColumns(table)) as [string, Column][];
  const names = columns.map(([, c]) => `"${c.name}"`).join(", ");
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const conflict =
    opts.ignoreConflicts === true
      ? " on conflict do nothing"
      : opts.ignoreConflicts
        ? ` on conflict ("${opts.ignoreConflicts.name}") do nothing`
        : "";
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const out: InStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement) as Record<string, unknown>[];
    const args: InValue[] = [];
    for (const row of chunk) for (const [key, column] of columns) args.push(encode(row[key], column));
    out.push({
      sql: `insert into "${getTableName(table)}" (${names}) values ${chunk.map(() => tuple).join(", ")}${conflict}`,
      args,
    });
  }
  return out;
};

const encode = (value: unknown, column: Column): InValue => {
  let v = value;
  if (v === undefined) {
    v = column.defaultFn ? column.defaultFn() : column.default;
    if (is(v, SQL)) throw new Error(`bulkInsert: column ${column.name} has an SQL default; give it a value`);
  }
  return v === undefined || v === null ? null : (column.mapToDriverValue(v) as InValue);
};
