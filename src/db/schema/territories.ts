import { type AnySQLiteColumn, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";
import { users } from "./users";

/** Regions, cities and areas (routing units for the daily plan); a tree via parentId. */
export const territories = sqliteTable("territories", {
  id: id(),
  name: text("name").notNull(),
  level: text("level", { enum: ["region", "city", "area"] }).notNull(),
  parentId: text("parent_id").references((): AnySQLiteColumn => territories.id),
  managerId: text("manager_id").references(() => users.id),
  ...timestamps(),
});
