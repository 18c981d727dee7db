import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Admin-entered calendar days: `off` (holiday) or `work` (调休 make-up day); beats the library. */
export const holidays = sqliteTable("holidays", {
  date: text("date").primaryKey(),
  kind: text("kind", { enum: ["off", "work"] }).notNull(),
  name: text("name"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** A rep's "don't greet this customer tomorrow" (不发 <name>). */
export const careSkips = sqliteTable(
  "care_skips",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    date: text("date").notNull(),
    by: text("by").notNull(),
    createdAt: text("created_at").notNull(),
  },
  // Read per page of greetings and per greeting sent (the send-time check of 不发).
  (t) => [index("care_skips_customer_date_idx").on(t.customerId, t.date)],
);
