import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { customers } from "./customers";
import { users } from "./users";

export interface StockFinding {
  productId: string;
  kind: "discrepancy" | "stock_out";
  reported: number;
  expected: number | null;
}

export const stockReports = sqliteTable(
  "stock_reports",
  {
    id: id(),
    repId: text("rep_id")
      .notNull()
      .references(() => users.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    date: text("date").notNull(),
    findings: text("findings", { mode: "json" }).$type<StockFinding[]>().notNull().default([]),
    photoReceiptId: text("photo_receipt_id"),
    /** Set when this report corrects a report of a closed month (an adjustment, never an edit). */
    adjustsId: text("adjusts_id"),
    via: text("via"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("stock_customer_date_idx").on(t.customerId, t.date), index("stock_rep_idx").on(t.repId)],
);
