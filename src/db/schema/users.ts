import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";

export const users = sqliteTable(
  "users",
  {
    id: id(),
    name: text("name").notNull(),
    role: text("role", { enum: ["admin", "manager", "finance", "rep"] }).notNull(),
    managerId: text("manager_id").references((): AnySQLiteColumn => users.id),
    email: text("email"),
    phone: text("phone"),
    locale: text("locale", { enum: ["zh-CN", "en"] })
      .notNull()
      .default("zh-CN"),
    timezone: text("timezone"),
    territory: text("territory"),
    slackUserId: text("slack_user_id"),
    wecomUserId: text("wecom_user_id"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    index("users_manager_idx").on(t.managerId),
    uniqueIndex("users_slack_uq").on(t.slackUserId).where(sql`slack_user_id is not null`),
    uniqueIndex("users_wecom_uq").on(t.wecomUserId).where(sql`wecom_user_id is not null`),
  ],
);
