import type { Client, InValue } from "@libsql/client";
import { and, asc, Column, getTableColumns, getTableName, gt, type SQL, type Table } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { formatInstant } from "../domain/dates";
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

/** One condition of a list's where-clause: SQL with `?` placeholders, then their values in order. */
export type Cond = readonly [sql: string, ...args: InValue[]];

/** `column IN (ids)` with one placeholder however many ids (a JSON array): one SQL text per shape. */
export const inIds = (column: string, ids: string[]): Cond => [
  `${column} in (select value from json_each(?))`,
  JSON.stringify(ids),
];

type Extras = Record<string, string>;
type Row<T extends Table> = T["$inferSelect"];
export type PageRow<T extends Table, O extends keyof Row<T>, X extends Extras> = Omit<Row<T>, O> & {
  [K in keyof X]: unknown;
};

/**
 * A function making one row object from its values, as an object literal: every row gets the
 * same shape with fast properties (added one by one, 40 keys make a slow dictionary object,
 * and everything reading it later is slow too), and a column is decoded only when its type
 * decodes (booleans, JSON). Keys come from the schema and the code, never from a request.
 */
const rowMaker = (keys: string[], decoders: (((v: unknown) => unknown) | null)[]) => {
  const fields = keys.map((k, i) => {
    const v = `v[${i}]`;
    return `${JSON.stringify(k)}: ${decoders[i] ? `${v} === null ? null : d[${i}](${v})` : v}`;
  });
  return new Function("d", `return (v) => ({ ${fields.join(", ")} });`)(decoders) as (
    values: unknown[],
  ) => Record<string, unknown>;
};

/**
 * A list page of one table read in one statement, as one JSON value: the table's columns in
 * schema order but `omit` (`t` in conditions), plus `extras` — SQL expressions over the page
 * row (`page`), e.g. a correlated subquery of its children wrapped in `json(…)` so it arrives
 * as JSON. Built from plain strings: drizzle's builder cost more per request than SQLite's
 * work for the page, and the libSQL client's per-value cost more than SQLite building the
 * JSON. Rows come back as `db.select()` would give them (each value decoded by its column),
 * in id order.
 */
export const pageReader = <
  T extends Table,
  O extends keyof Row<T> = never,
  X extends Extras = Record<never, string>,
>(
  table: T,
  opts: { omit?: O[]; extras?: X } = {},
) => {
  const omit = new Set<string>(opts.omit as string[] | undefined);
  const extras: Extras = opts.extras ?? {};
  const columns = Object.entries(getTableColumns(table) as Record<string, Column>).filter(
    ([k]) => !omit.has(k),
  );
  // A JSON column arrives as JSON (SQLite checks it, as decoding would): not a string to parse again.
  const isJson = (c: Column) => c.columnType === "SQLiteTextJson";
  const identity = Column.prototype.mapFromDriverValue;
  const makeRow = rowMaker(
    [...columns.map(([k]) => k), ...Object.keys(extras)],
    [
      ...columns.map(([, c]) =>
        c.mapFromDriverValue === identity || isJson(c) ? null : (v: unknown) => c.mapFromDriverValue(v),
      ),
      ...Object.keys(extras).map(() => null),
    ],
  );
  const outer = [
    ...columns.map(([, c]) => (isJson(c) ? `json(page."${c.name}")` : `page."${c.name}"`)),
    ...Object.values(extras),
  ].join(", ");
  const inner = columns.map(([, c]) => `t."${c.name}"`).join(", ");
  const from = `"${getTableName(table)}" t`;
  return async (
    client: Client,
    where: (Cond | undefined)[],
    cursor: string | undefined,
    limit: number,
  ): Promise<PageRow<T, O, X>[]> => {
    const after = decodeCursor(cursor);
    const conds = where.filter((c): c is Cond => c !== undefined);
    if (after) conds.push(["t.id > ?", after]);
    const filter = conds.length ? ` where ${conds.map((c) => `(${c[0]})`).join(" and ")}` : "";
    const args = conds.flatMap(([, ...values]) => values);
    args.push(limit + 1);
    const { rows } = await client.execute({
      sql: `select json_group_array(json_array(${outer})) from (select ${inner} from ${from}${filter} order by t.id limit ?) page`,
      args,
    });
    const values = JSON.parse((rows[0]?.[0] as string | null) ?? "[]") as unknown[][];
    return byId(values.map(makeRow) as (PageRow<T, O, X> & { id: string })[]);
  };
};

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

/**
 * `formatInstant` for the stored instants (`2026-08-19T01:00:00.000Z`) of list pages, which
 * render hundreds: each minute is formatted once (a zone's offset is whole minutes, so the
 * seconds carry over as stored), where parsing and formatting each instant cost 2–3 µs.
 * Anything else goes through `formatInstant` as before.
 */
export const instantFormatter = (timeZone: string) => {
  const minutes = new Map<string, string>();
  return (iso: string): string => {
    if (!ISO_UTC.test(iso)) return formatInstant(new Date(iso), timeZone);
    const minute = iso.slice(0, 16);
    let local = minutes.get(minute);
    if (local === undefined) {
      local = formatInstant(new Date(`${minute}:00.000Z`), timeZone);
      if (minutes.size >= 10_000) minutes.clear();
      minutes.set(minute, local);
    }
    return `${local.slice(0, 16)}${iso.slice(16, 19)}${local.slice(19)}`;
  };
};
