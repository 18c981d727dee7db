import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { customers } from "./customers";

/** One CSV import; flow files record the period they cover (asOf = its last day). */
export const importBatches = sqliteTable("import_batches", {
  id: id(),
  kind: text("kind", { enum: ["customers", "purchases", "stock"] }).notNull(),
  source: text("source", { enum: ["erp", "flow", "manual"] }),
  sellerId: text("seller_id").references(() => customers.id),
  periodFrom: text("period_from"),
  asOf: text("as_of"),
  rows: integer("rows").notNull().default(0),
  imported: integer("imported").notNull().default(0),
  updated: integer("updated").notNull().default(0),
  failed: integer("failed").notNull().default(0),
  by: text("by").notNull(),
  createdAt: text("created_at").notNull(),
});
