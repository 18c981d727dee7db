import { and, asc, gt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { badRequest } from "./errors";

/** Cursors are opaque to clients: the last id of the page, base64url-encoded. */
export const encodeCursor = (id: string) => Buffer.from(id, "utf8").toString("base64url");

export const decodeCursor = (cursor: string | undefined): string | undefined => {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[\w-]{1,64}$/.test(id))
    throw badRequest("cursor: not a cursor from this API", [
      { field: "cursor", message: "not a cursor from this API" },
    ]);
  return id;
};

/** Where-clause and order for a page of rows ordered by an id column. */
export const pageWhere = (
  idColumn: SQLiteColumn,
  cursor: string | undefined,
  filters: (SQL | undefined)[],
) => {
  const after = decodeCursor(cursor);
  return { where: and(...filters, after ? gt(idColumn, after) : undefined), orderBy: asc(idColumn) };
};

/** Rows in page order (ascending id), for reads whose order SQL does not promise (JSON aggregates). */
export const byId = <T extends { id: string }>(rows: T[]) =>
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Fetch limit+1 rows, return `limit` and the cursor of the last when there are more. */
export const toPage = <T extends { id: string }, U>(rows: T[], limit: number, map: (r: T) => U) => {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(map), nextCursor: more ? encodeCursor(items[items.length - 1].id) : null };
};
