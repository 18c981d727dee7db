import { index, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";
import { customers } from "./customers";
import { importBatches } from "./import-batches";
import { products } from "./products";

/** One sale from a seller (null = the company) to a buyer. Negative quantity = a return. */
export const purchases = sqliteTable(
  "purchases",
  {
    id: id(),
    sellerId: text("seller_id").references(() => customers.id),
    buyerId: text("buyer_id")
      .notNull()
      .references(() => customers.id),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    date: text("date").notNull(),
    quantity: real("quantity").notNull(),
    amountCny: real("amount_cny").notNull().default(0),
    source: text("source", { enum: ["erp", "flow", "manual"] }).notNull(),
    documentNo: text("document_no"),
    // sellerCode|buyerCode|productCode|date|quantity|documentNo: re-imports update, never duplicate.
    naturalKey: text("natural_key").notNull(),
    importBatchId: text("import_batch_id").references(() => importBatches.id),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("purchases_natural_uq").on(t.naturalKey),
    // Covers the churn reads (a buyer's days, net quantity, amount, sellers) without the table.
    index("purchases_buyer_lines_idx").on(t.buyerId, t.date, t.quantity, t.amountCny, t.sellerId),
    index("purchases_seller_date_idx").on(t.sellerId, t.date),
    index("purchases_date_idx").on(t.date),
  ],
);
