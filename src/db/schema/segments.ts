import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { customers } from "./customers";
import { products } from "./products";

/** Doctor × product usage/potential, the rep's own 0–4 judgement (never prescription counts). */
export const segments = sqliteTable(
  "segments",
  {
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    usage: integer("usage").notNull(),
    potential: integer("potential").notNull(),
    updatedAt: text("updated_at").notNull(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.productId] })],
);
