import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A closed month (月结): its flow and stock are locked; changes go through adjustments. */
export const monthCloses = sqliteTable("month_closes", {
  month: text("month").primaryKey(),
  closedAt: text("closed_at").notNull(),
  by: text("by").notNull(),
});
