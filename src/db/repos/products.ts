import { inArray } from "drizzle-orm";
import type { Db } from "../client";
import { products } from "../schema";

/**
 * The position of the first id naming no product, or -1: records that list products check
 * them before writing, so an unknown one is a 400 naming the field, not a foreign-key 500.
 */
export const firstUnknownProduct = async (db: Db, ids: readonly string[]): Promise<number> => {
  if (ids.length === 0) return -1;
  const known = new Set(
    (
      await db
        .select({ id: products.id })
        .from(products)
        .where(inArray(products.id, [...new Set(ids)]))
    ).map((p) => p.id),
  );
  return ids.findIndex((id) => !known.has(id));
};
