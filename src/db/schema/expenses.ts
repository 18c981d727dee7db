import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";
import { users } from "./users";

export const expenseCategories = [
  "travel",
  "accommodation",
  "transport",
  "meals",
  "hospitality",
  "department_meeting",
  "samples",
  "conference",
  "other",
] as const;
export const expenseStatuses = ["pending", "approved", "rejected", "cancelled"] as const;

export const expenses = sqliteTable(
  "expenses",
  {
    id: id(),
    /** The sequence behind the short ref E42; never reused. */
    seq: integer("seq").notNull(),
    ref: text("ref").notNull(),
    repId: text("rep_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: ["pre_approval", "reimbursement"] }).notNull(),
    category: text("category", { enum: expenseCategories }).notNull(),
    amountCny: real("amount_cny").notNull(),
    date: text("date").notNull(),
    description: text("description"),
    invoiceNo: text("invoice_no"),
    attendees: text("attendees", { mode: "json" }).$type<string[]>().notNull().default([]),
    receiptIds: text("receipt_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    warnings: text("warnings", { mode: "json" }).$type<string[]>().notNull().default([]),
    status: text("status", { enum: expenseStatuses }).notNull().default("pending"),
    via: text("via"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("expenses_seq_uq").on(t.seq),
    uniqueIndex("expenses_ref_uq").on(t.ref),
    uniqueIndex("expenses_invoice_uq").on(t.invoiceNo).where(sql`invoice_no is not null`),
    index("expenses_rep_date_idx").on(t.repId, t.date),
  ],
);
