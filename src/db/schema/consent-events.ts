import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { customers } from "./customers";

/** The consent ledger: append-only; a withdrawal is a new row, never an edit. */
export const consentEvents = sqliteTable(
  "consent_events",
  {
    id: id(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    channel: text("channel", { enum: ["sms", "email"] }).notNull(),
    state: text("state", { enum: ["granted", "withdrawn"] }).notNull(),
    at: text("at").notNull(),
    by: text("by").notNull(), // user id, or "customer" for self-service opt-outs
    method: text("method").notNull(), // e.g. paper_form, verbal, sms_reply, unsubscribe_link, import
    evidence: text("evidence"),
  },
  (t) => [index("consent_customer_idx").on(t.customerId, t.channel, t.at)],
);
