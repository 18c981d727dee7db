import { index, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { products } from "./products";
import { stockReports } from "./stock-reports";

export const stockLines = sqliteTable(
  "stock_lines",
  {
    id: id(),
    reportId: text("report_id")
      .notNull()
      .references(() => stockReports.id),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    quantity: real("quantity").notNull(),
    batch: text("batch"),
    expiry: text("expiry"),
  },
  (t) => [index("stock_lines_report_idx").on(t.reportId)],
);
