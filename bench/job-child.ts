/**
 * One measurement in its own process, so peaks never mix: a job through the real runner
 * (`compose(...).jobs.run(name, date, "", "manual")`) or the raw SQL scan that is its floor.
 * Argument: JSON `{ file, job, date, mode }`; answer: one JSON line on stdout.
 */
import { join } from "node:path";
import { compose } from "../src/compose";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { createLogger } from "../src/lib/log";
import type { JobName } from "../src/scheduler/job";
import { SCRATCH } from "./dataset";

export interface JobChildInput {
  file: string;
  job: JobName;
  date: string;
  mode: "job" | "scan" | "both";
  /** Runs in this process (1 in the full bench, so peaks never mix; more in --quick). */
  runs: number;
}

export interface JobRun {
  mode: "job" | "scan";
  ms: number;
  peakRssMb: number;
  baseRssMb: number;
  detail: Record<string, unknown>;
}

/** The storage floor of each job: one pass over the tables it reads, summed in SQL. */
export const SCANS: Record<string, string[]> = {
  "daily-plan": [
    "select count(*), sum(length(name)), max(parent_id) from customers where kind <> 'department'",
    "select count(*), max(date), sum(rating), sum(follow_up_on is not null) from visits",
    "select count(*), sum(usage + potential) from segments",
  ],
  "churn-alerts": [
    "select count(*), sum(length(name)) from customers where kind in ('hospital','pharmacy','distributor')",
    "select count(*), sum(quantity), sum(amount_cny), max(date), count(distinct seller_id) from purchases",
  ],
  "care-greetings": [
    "select count(*), sum(length(birthday)), sum(email_consent = 'granted'), max(title) from customers",
  ],
};

const RESET = [
  "delete from outbox",
  "delete from job_marks",
  "delete from job_runs",
  "delete from audit_log where entity_type = 'alert'",
  "delete from alerts",
];

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

const main = async () => {
  const input = JSON.parse(process.argv[2]) as JobChildInput;
  const database = await openDatabase(`file:${input.file}`);
  const config = loadConfig(
    { NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: `file:${input.file}`, SCHEDULER: "off" },
    join(SCRATCH, "data"),
  );
  const app = compose(config, database, createLogger("silent"), {
    appSecret: "bench-app-secret-0123456789",
    now: () => new Date(`${input.date}T01:00:00Z`),
    channels: [],
  });
  const runs: JobRun[] = [];
  const modes: ("job" | "scan")[] = input.mode === "both" ? ["scan", "job"] : [input.mode];
  for (let k = 0; k < input.runs; k++)
    for (const mode of modes) {
      // Each run starts from the same state: nothing queued, marked or alerted yet.
      await database.client.batch(RESET, "write");
      global.gc?.();
      const baseRss = process.memoryUsage.rss();
      let peak = baseRss;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 50);
      const t0 = performance.now();
      let detail: Record<string, unknown>;
      if (mode === "job") {
        const r = await app.jobs.run(input.job, input.date, "", "manual");
        if (r.error) throw new Error(`${input.job} failed: ${r.error}`);
        detail = { recipients: r.recipients, done: r.done, queued: r.queued, ...r.counts };
      } else {
        for (const sql of SCANS[input.job]) await database.client.execute(sql);
        detail = { statements: SCANS[input.job].length };
      }
      const ms = performance.now() - t0;
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      runs.push({ mode, ms, peakRssMb: mb(peak), baseRssMb: mb(baseRss), detail });
    }
  app.close();
  database.close();
  process.stdout.write(`${JSON.stringify({ runs })}\n`);
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
