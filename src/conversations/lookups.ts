import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { jsonRows } from "../db/json-rows";
import { customers, products } from "../db/schema";
import type { CustomerOption, Lookups, ProductOption } from "./flow";

const parent = alias(customers, "parent");
// A doctor hangs under a department, which hangs under the hospital: show and match both.
const grandparent = alias(customers, "grandparent");
const select = {
  id: customers.id,
  name: customers.name,
  kind: customers.kind,
  city: customers.city,
  title: customers.title,
  parentName: parent.name,
  grandparentName: grandparent.name,
};

const toOption = (r: {
  id: string;
  name: string;
  kind: string;
  city: string | null;
  title: string | null;
  parentName: string | null;
  grandparentName: string | null;
}): CustomerOption => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  ...(r.city ? { city: r.city } : {}),
  ...(r.title ? { title: r.title } : {}),
  ...(r.parentName ? { parentName: [r.grandparentName, r.parentName].filter(Boolean).join(" ") } : {}),
});

/**
 * The book's JSON rows as options, read straight from the arrays: every field is a plain text
 * column (no decoding), in `select`'s order. Half the cost of generic rows then `toOption`.
 */
const bookOptions = (text: string | null | undefined): CustomerOption[] =>
  (JSON.parse(text ?? "[]") as (string | null)[][]).map(
    ([id, name, kind, city, title, parentName, grandparentName]) => {
      const o: CustomerOption = { id: id!, name: name!, kind: kind! };
      if (city) o.city = city;
      if (title) o.title = title;
      if (parentName) o.parentName = grandparentName ? `${grandparentName} ${parentName}` : parentName;
      return o;
    },
  );

/**
 * A rep's whole book (~100 rows, by `customers_owner_idx`) read as one JSON value, built once
 * per database: building this select through drizzle cost more than running it.
 */
const bookQueries = new WeakMap<Database, ReturnType<typeof prepareBook>>();
const prepareBook = (database: Database) =>
  database.db
    .select({ rows: jsonRows(select) })
    .from(customers)
    .leftJoin(parent, eq(parent.id, customers.parentId))
    .leftJoin(grandparent, eq(grandparent.id, parent.parentId))
    .where(
      and(
        eq(customers.ownerId, sql.placeholder("userId")),
        eq(customers.active, true),
        isNull(customers.erasedAt),
        ne(customers.kind, "department"),
      ),
    )
    .prepare();

/** The product list per database, kept while its stamp (count and latest change) holds. */
const productCache = new WeakMap<Database, { stamp: string; at: number; rows: Promise<ProductOption[]> }>();
/** Read again after this long even when the stamp matches (two changes within one millisecond). */
const PRODUCTS_MAX_AGE_MS = 2000;

/**
 * Lookups for one turn, each read at most once; the product list is shared between turns
 * while `productsStamp` (read with the turn's session) is unchanged. Only what chat may show:
 * names, kind, hospital and city — never phone or email (DOMAIN.md §9).
 */
export const createLookups = (database: Database, userId: string, productsStamp?: string): Lookups => {
  const { db } = database;
  let mine: Promise<CustomerOption[]> | null = null;
  let catalog: Promise<ProductOption[]> | null = null;
  return {
    myCustomers: () => {
      if (mine) return mine;
      let book = bookQueries.get(database);
      if (!book) {
        book = prepareBook(database);
        bookQueries.set(database, book);
      }
      mine = book.all({ userId }).then((r) => bookOptions(r[0]?.rows));
      return mine;
    },
    products: () => {
      if (catalog) return catalog;
      const cached = productCache.get(database);
      if (cached && productsStamp === cached.stamp && Date.now() - cached.at < PRODUCTS_MAX_AGE_MS) {
        catalog = cached.rows;
        return catalog;
      }
      catalog = db
        .select({
          id: products.id,
          name: products.name,
          nameEn: products.nameEn,
          unit: products.unit,
          aliases: products.aliases,
        })
        .from(products)
        .where(eq(products.active, true))
        .then((rows) => rows);
      if (productsStamp !== undefined) {
        const entry = { stamp: productsStamp, at: Date.now(), rows: catalog };
        productCache.set(database, entry);
        catalog.catch(() => productCache.get(database) === entry && productCache.delete(database));
      }
      return catalog;
    },
    customer: async (id) => {
      const rows = await db
        .select(select)
        .from(customers)
        .leftJoin(parent, eq(parent.id, customers.parentId))
        .leftJoin(grandparent, eq(grandparent.id, parent.parentId))
        .where(inArray(customers.id, [id]));
      return rows[0] ? toOption(rows[0]) : null;
    },
  };
};
