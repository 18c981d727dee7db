import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { customers } from "./customers";
import { products } from "./products";

/** Whether a hospital/pharmacy carries a product (进院/铺货), and why not when it does not. */
export const coverage = sqliteTable(
  "coverage",
  {
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    listed: integer("listed", { mode: "boolean" }).notNull(),
    reason: text("reason"),
    updatedAt: text("updated_at").notNull(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.productId] })],
);
