import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id } from "./columns";

/** Every run of a job (scheduled, caught up or manual). */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: id(),
    job: text("job").notNull(),
    slot: text("slot").notNull().default(""),
    date: text("date").notNull(),
    trigger: text("trigger", { enum: ["cron", "catch_up", "manual"] }).notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    counts: text("counts", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
    error: text("error"),
    /** A claim: the process running it; another process leaves it alone until the lease ends. */
    leaseUntil: text("lease_until"),
  },
  (t) => [index("job_runs_job_date_idx").on(t.job, t.slot, t.date)],
);

/** Idempotency per (job, slot, date, recipient): a recipient done once is never done again. */
export const jobMarks = sqliteTable(
  "job_marks",
  {
    job: text("job").notNull(),
    slot: text("slot").notNull().default(""),
    date: text("date").notNull(),
    recipientId: text("recipient_id").notNull(),
    runId: text("run_id").notNull(),
    count: integer("count").notNull().default(0),
    at: text("at").notNull(),
  },
  (t) => [uniqueIndex("job_marks_uq").on(t.job, t.slot, t.date, t.recipientId)],
);
