import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Admin-changeable rules (thresholds, grids, caps); defaults live in the domain. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).$type<unknown>().notNull(),
  updatedAt: text("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

/** Named counters (expense refs): incremented atomically, never reused. */
export const sequences = sqliteTable("sequences", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});
