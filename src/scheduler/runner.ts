import { and, desc, eq, isNull } from "drizzle-orm";
import type { Logger } from "pino";
import { bulkInsert } from "../db/bulk-insert";
import { newId } from "../db/ids";
import { inJson } from "../db/in-json";
import { jobMarks, jobRuns } from "../db/schema";
import { isoWeekday, localDate, localTime } from "../domain/dates";
import { yieldToEventLoop } from "../lib/yield";
import { enqueueManyStatements } from "../notify/enqueue";
import type { Services } from "../services";
import { loadWorkingDayCalendar } from "../services/calendar";
import type { JobDefinition, JobItem, JobName, Slot } from "./job";

export interface RunResult {
  runId: string | null;
  job: JobName;
  date: string;
  slot: Slot;
  skipped?: "day_off" | "not_this_weekday" | "running_elsewhere";
  recipients: number;
  done: number;
  alreadyDone: number;
  queued: number;
  counts: Record<string, number>;
  error?: string;
}

/** How long a run's claim holds without renewal: a run killed midway frees its claim this soon. */
const LEASE_MS = 60_000;

/** Recipients done per write: one transaction per page instead of per recipient. */
const PAGE = 50;

export interface JobRunnerOptions {
  /** The claim's lease; a live run renews it between recipients (tests shorten it). */
  leaseMs?: number;
}

/**
 * Runs jobs idempotently per (job, slot, date, recipient): a recipient's mark and its
 * outbox rows go in one batch, so a crash between recipients resumes without duplicates,
 * and a second run (or a second process) skips what is marked. Runs are recorded in
 * `job_runs`; an unfinished run with a live lease keeps other processes off. The lease is
 * short and renewed while the run goes on, so a run whose process died (kill -9) stops
 * blocking a restart within a minute instead of for the rest of the slot.
 */
export const createJobRunner = (
  services: Services,
  jobs: JobDefinition[],
  log: Logger,
  opts: JobRunnerOptions = {},
) => {
  const { database } = services;
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const byName = new Map(jobs.map((j) => [j.name, j]));

  /**
   * Claims (job, slot, date) unless a live run holds it, in ONE statement: a select then an
   * insert let two processes both see no live run and both run (the reliability suite's two
   * processes caught it); SQLite runs the check and the insert under one write lock.
   */
  const claim = async (job: JobName, slot: Slot, date: string, trigger: "cron" | "catch_up" | "manual") => {
    const now = services.now();
    const id = newId();
    const result = await database.write(() =>
      database.client.execute({
        sql: `insert into job_runs (id, job, slot, date, trigger, started_at, lease_until)
              select ?, ?, ?, ?, ?, ?, ?
              where not exists (select 1 from job_runs where job = ? and slot = ? and date = ?
                                and finished_at is null and lease_until > ?)`,
        args: [
          id,
          job,
          slot,
          date,
          trigger,
          now.toISOString(),
          new Date(now.getTime() + leaseMs).toISOString(),
          job,
          slot,
          date,
          now.toISOString(),
        ],
      }),
    );
    return result.rowsAffected === 1 ? id : null;
  };

  /** Pushes a live run's lease forward from `at`. */
  const renew = (runId: string, at: number) =>
    database.write((db) =>
      db
        .update(jobRuns)
        .set({ leaseUntil: new Date(at + leaseMs).toISOString() })
        .where(and(eq(jobRuns.id, runId), isNull(jobRuns.finishedAt))),
    );

  const finish = (runId: string, counts: Record<string, number>, error?: string) =>
    database.write((db) =>
      db
        .update(jobRuns)
        .set({ finishedAt: services.now().toISOString(), counts, error: error ?? null, leaseUntil: null })
        .where(eq(jobRuns.id, runId)),
    );

  /** Which of a page of recipients this (job, slot, date) already did: one query per page. */
  const markedAmong = async (job: JobName, slot: Slot, date: string, ids: string[]) =>
    new Set(
      (
        await database.db
          .select({ r: jobMarks.recipientId })
          .from(jobMarks)
          .where(
            and(
              eq(jobMarks.job, job),
              eq(jobMarks.slot, slot),
              eq(jobMarks.date, date),
              inJson(jobMarks.recipientId, ids),
            ),
          )
      ).map((m) => m.r),
    );

  const run = async (
    name: JobName,
    date: string,
    slot: Slot = "",
    trigger: "cron" | "catch_up" | "manual" = "manual",
  ): Promise<RunResult> => {
    const job = byName.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    const result: RunResult = {
      runId: null,
      job: name,
      date,
      slot,
      recipients: 0,
      done: 0,
      alreadyDone: 0,
      queued: 0,
      counts: {},
    };
    // A manual run skips the calendar check (CONTRACT.md); scheduled runs respect it.
    if (trigger !== "manual") {
      if (job.weekday && isoWeekday(date) !== job.weekday) return { ...result, skipped: "not_this_weekday" };
      if (job.workingDaysOnly && !(await loadWorkingDayCalendar(services)).isWorkingDay(date))
        return { ...result, skipped: "day_off" };
    }
    const runId = await claim(name, slot, date, trigger);
    if (!runId) return { ...result, skipped: "running_elsewhere" };
    result.runId = runId;
    try {
      const ctx = { services, date, slot, now: services.now() };
      if (job.prepare) result.counts = await job.prepare(ctx);
      const recipients = await job.recipients(ctx);
      result.recipients = recipients.length;
      let renewedAt = services.now().getTime();
      for (let i = 0; i < recipients.length; i += PAGE) {
        // Renewed every third of the lease, so a live run never looks dead to another process.
        const at = services.now().getTime();
        if (at - renewedAt >= leaseMs / 3) {
          renewedAt = at;
          await renew(runId, at);
        }
        await runPage(job, ctx, recipients.slice(i, i + PAGE), runId, result);
        await yieldToEventLoop();
      }
      await finish(runId, {
        ...result.counts,
        recipients: result.recipients,
        done: result.done,
        alreadyDone: result.alreadyDone,
        queued: result.queued,
      });
    } catch (e) {
      result.error = e instanceof Error ? e.message : String(e);
      log.error({ err: e, job: name, date, slot }, "job failed");
      await finish(runId, { done: result.done, queued: result.queued }, result.error);
    }
    return result;
  };

  /**
   * A page of recipients: the marks read in one query, the items computed one by one, then
   * every mark and message written in one batch — also when an item fails midway, so what was
   * done is kept and a rerun skips it.
   */
  const runPage = async (
    job: JobDefinition,
    ctx: { services: Services; date: string; slot: Slot; now: Date },
    page: string[],
    runId: string,
    result: RunResult,
  ) => {
    const marked = await markedAmong(job.name, ctx.slot, ctx.date, page);
    const todo = page.filter((id) => !marked.has(id));
    result.alreadyDone += page.length - todo.length;
    const items: JobItem[] = [];
    try {
      if (todo.length && job.preparePage) await job.preparePage(ctx, todo);
      for (const recipientId of todo) {
        const item = await job.itemFor(ctx, recipientId);
        items.push({ recipientId, messages: item?.messages ?? [] });
      }
    } finally {
      if (items.length) await writeItems(job, ctx, items, runId, result);
    }
  };

  const writeItems = async (
    job: JobDefinition,
    ctx: { date: string; slot: Slot },
    items: JobItem[],
    runId: string,
    result: RunResult,
  ) => {
    const at = services.now();
    const marks = bulkInsert(
      jobMarks,
      items.map(({ recipientId, messages }) => ({
        job: job.name,
        slot: ctx.slot,
        date: ctx.date,
        recipientId,
        runId,
        count: messages.length,
        at: at.toISOString(),
      })),
      { ignoreConflicts: true },
    );
    const sends = enqueueManyStatements(
      items.flatMap((i) => i.messages),
      at,
    );
    // A message already queued (same dedupe key, e.g. an episode told on an earlier day) inserts
    // nothing; count what the batch really added so `queued` says what this run queued.
    const results = await database.write(() => database.client.batch([...marks, ...sends], "write"));
    result.done += items.length;
    result.queued += results.slice(marks.length).reduce((n, r) => n + r.rowsAffected, 0);
  };

  /** Today's runs whose time has passed but that never finished (late ticks are skipped by cron). */
  const catchUp = async (timeZone: string) => {
    const now = services.now();
    const today = localDate(now, timeZone);
    const { hour, minute } = localTime(now, timeZone);
    const hhmm = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
    const out: RunResult[] = [];
    for (const job of jobs)
      for (const [slot, at] of Object.entries(job.at) as [Slot, string][]) {
        if (at > hhmm) continue;
        const last = await database.db
          .select({ finishedAt: jobRuns.finishedAt, error: jobRuns.error })
          .from(jobRuns)
          .where(and(eq(jobRuns.job, job.name), eq(jobRuns.slot, slot), eq(jobRuns.date, today)))
          .orderBy(desc(jobRuns.startedAt))
          .get();
        if (last?.finishedAt && !last.error) continue;
        out.push(await run(job.name, today, slot, "catch_up"));
      }
    return out;
  };

  return { run, catchUp, jobs: byName };
};

export type JobRunner = ReturnType<typeof createJobRunner>;
