import { type Column, type SQL, sql } from "drizzle-orm";

/**
 * `column IN (values)` with the values as one JSON parameter. drizzle's `inArray` binds one
 * placeholder per value and walks each through its builder: at the thousand ids of a job's
 * page that cost more than the query (and every list length was a new SQL text to prepare).
 * SQLite still looks each value up by the column's index.
 */
export const inJson = (column: Column, values: readonly string[]): SQL =>
  sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
