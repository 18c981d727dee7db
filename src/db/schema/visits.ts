import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";
import { customers } from "./customers";
import { users } from "./users";
import { visitPlans } from "./visit-plans";

export const visitMethods = ["in_person", "phone", "wechat", "email", "meeting"] as const;

export const visits = sqliteTable(
  "visits",
  {
    id: id(),
    repId: text("rep_id")
      .notNull()
      .references(() => users.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    at: text("at").notNull(),
    /** The local calendar date of `at` in the rep's zone, for month/day queries. */
    date: text("date").notNull(),
    timeKnown: integer("time_known", { mode: "boolean" }).notNull(),
    method: text("method", { enum: visitMethods }).notNull().default("in_person"),
    purposes: text("purposes", { mode: "json" }).$type<string[]>().notNull().default([]),
    keyMessage: text("key_message"),
    outcome: text("outcome"),
    rating: integer("rating").notNull(),
    notes: text("notes"),
    samples: text("samples"),
    competitorInfo: text("competitor_info"),
    nextStep: text("next_step"),
    followUpOn: text("follow_up_on"),
    followUpDoneAt: text("follow_up_done_at"),
    attendees: integer("attendees"),
    status: text("status", { enum: ["logged", "void"] })
      .notNull()
      .default("logged"),
    planId: text("plan_id").references(() => visitPlans.id),
    via: text("via"),
    ...timestamps(),
  },
  (t) => [
    index("visits_rep_date_idx").on(t.repId, t.date),
    index("visits_customer_date_idx").on(t.customerId, t.date),
    index("visits_follow_up_idx").on(t.followUpOn),
  ],
);
