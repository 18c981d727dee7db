import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { products } from "./products";
import { visits } from "./visits";

export const visitProducts = sqliteTable(
  "visit_products",
  {
    visitId: text("visit_id")
      .notNull()
      .references(() => visits.id),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
  },
  (t) => [primaryKey({ columns: [t.visitId, t.productId] })],
);
