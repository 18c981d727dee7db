import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { customers } from "./customers";
import { users } from "./users";

export const alertTypes = [
  "churn_overdue",
  "churn_decline",
  "stock_discrepancy",
  "stock_out",
  "follow_up_due",
] as const;

/** An alert episode: open until closedAt; `level` moves overdue → upgraded at most once. */
export const alerts = sqliteTable(
  "alerts",
  {
    id: id(),
    type: text("type", { enum: alertTypes }).notNull(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    repId: text("rep_id").references(() => users.id),
    severity: text("severity", { enum: ["info", "warn", "critical"] }).notNull(),
    level: text("level"),
    openedAt: text("opened_at").notNull(),
    openedOn: text("opened_on").notNull(),
    closedAt: text("closed_at"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    // One open episode per customer and type.
    uniqueIndex("alerts_open_uq").on(t.customerId, t.type).where(sql`closed_at is null`),
    index("alerts_rep_idx").on(t.repId, t.openedOn),
  ],
);
