import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { jsonRows, readJsonRows } from "../db/json-rows";
import { customers, products } from "../db/schema";
import type { CustomerOption, Lookups, ProductOption } from "./flow";

/**
 * Lookups for one turn, each read at most once. Only what chat may show: names, kind,
 * hospital and city — never phone or email (DOMAIN.md §9).
 */
export const createLookups = (database: Database, userId: string): Lookups => {
  const { db } = database;
  const parent = alias(customers, "parent");
  // A doctor hangs under a department, which hangs under the hospital: show and match both.
  const grandparent = alias(customers, "grandparent");
  let mine: Promise<CustomerOption[]> | null = null;
  let catalog: Promise<ProductOption[]> | null = null;
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
  return {
    myCustomers: () => {
      // A rep's whole book (~100 rows) on every line that names someone: read as one JSON value.
      mine ??= readJsonRows(
        select,
        db
          .select({ rows: jsonRows(select) })
          .from(customers)
          .leftJoin(parent, eq(parent.id, customers.parentId))
          .leftJoin(grandparent, eq(grandparent.id, parent.parentId))
          .where(
            and(
              eq(customers.ownerId, userId),
              eq(customers.active, true),
              isNull(customers.erasedAt),
              ne(customers.kind, "department"),
            ),
          ),
      ).then((rows) => rows.map(toOption));
      return mine;
    },
    products: () => {
      catalog ??= db
        .select({
          id: products.id,
          name: products.name,
          nameEn: products.nameEn,
          unit: products.unit,
          aliases: products.aliases,
        })
        .from(products)
        .where(eq(products.active, true));
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
