import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";
import { customers } from "./customers";
import { users } from "./users";

export const planStatuses = ["temporary", "normal", "void", "completed", "submitted"] as const;

export const visitPlans = sqliteTable(
  "visit_plans",
  {
    id: id(),
    repId: text("rep_id")
      .notNull()
      .references(() => users.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    date: text("date").notNull(),
    slot: text("slot", { enum: ["am", "pm"] }).notNull(),
    purpose: text("purpose"),
    productIds: text("product_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    status: text("status", { enum: planStatuses }).notNull().default("normal"),
    // A manager booked to come along (随访); the rep may also request one.
    coVisitManagerId: text("co_visit_manager_id").references(() => users.id),
    coVisitRequestedBy: text("co_visit_requested_by"),
    visitId: text("visit_id"),
    ...timestamps(),
  },
  (t) => [index("plans_rep_date_idx").on(t.repId, t.date), index("plans_customer_idx").on(t.customerId)],
);
