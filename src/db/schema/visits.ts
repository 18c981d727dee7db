import { sql } from "drizzle-orm";
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
    // The admin list of a rep's visits in id order (its pages) without sorting all of them.
    index("visits_rep_id_idx").on(t.repId, t.id),
    index("visits_customer_date_idx").on(t.customerId, t.date),
    index("visits_follow_up_idx").on(t.followUpOn),
    // The daily plan's reads for a page of reps, answered from these small indexes alone
    // (the predicate's columns are in them too, or SQLite reads the table to recheck them).
    index("visits_logged_customer_date_idx").on(t.customerId, t.date, t.status).where(sql`status = 'logged'`),
    index("visits_open_follow_up_idx")
      .on(t.customerId, t.followUpOn, t.followUpDoneAt)
      .where(sql`follow_up_on is not null and follow_up_done_at is null`),
  ],
);
