import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";

/** A correction to a closed month, recorded beside the original, never edited into it. */
export const adjustments = sqliteTable("adjustments", {
  id: id(),
  month: text("month").notNull(),
  entityType: text("entity_type").notNull(),
  entityId: text("entity_id"),
  change: text("change", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  reason: text("reason").notNull(),
  by: text("by").notNull(),
  createdAt: text("created_at").notNull(),
});
