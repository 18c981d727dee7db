/**
 * Jobs at scale: each job for one date through the real runner, one child process per
 * run (peaks never mix), against the raw SQL scan of the tables it reads.
 */
import type { JobChildInput, JobRun } from "./job-child";
import { runChild } from "./proc";
import { atMost, type BenchRow, row } from "./report";

export const JOBS = ["daily-plan", "churn-alerts", "care-greetings"] as const;

type Runs = { runs: JobRun[] };
/** A job run slower than this is not repeated (the bench must end within 10 minutes). */
const REPEAT_BUDGET_S = 40;
const CHILD_TIMEOUT_MS = 300_000;

/** Full bench: one process per run; a run over the budget is reported once, with a note. */
const measureApart = async (input: Omit<JobChildInput, "runs" | "mode">, runs: number) => {
  const scan: JobRun[] = [];
  const job: JobRun[] = [];
  for (let k = 0; k < runs; k++) {
    scan.push(
      ...(await runChild<Runs>("job-child.ts", { ...input, mode: "scan", runs: 1 }, CHILD_TIMEOUT_MS)).runs,
    );
    if (job.some((r) => r.ms / 1000 > REPEAT_BUDGET_S)) continue;
    job.push(
      ...(await runChild<Runs>("job-child.ts", { ...input, mode: "job", runs: 1 }, CHILD_TIMEOUT_MS)).runs,
    );
  }
  return { scan, job };
};

/** --quick: scan and job alternate in one process per job (seconds, not minutes). */
const measureTogether = async (input: Omit<JobChildInput, "runs" | "mode">, runs: number) => {
  const all = (await runChild<Runs>("job-child.ts", { ...input, mode: "both", runs }, CHILD_TIMEOUT_MS)).runs;
  return { scan: all.filter((r) => r.mode === "scan"), job: all.filter((r) => r.mode === "job") };
};

export const jobRows = async (
  file: string,
  date: string,
  opts: { runs: number; perProcess: boolean; log: (s: string) => void },
): Promise<BenchRow[]> => {
  const rows: BenchRow[] = [];
  for (const job of JOBS) {
    const m = await (opts.perProcess ? measureApart : measureTogether)({ file, job, date }, opts.runs);
    const { scan } = m;
    const runs = m.job;
    const detail = {
      ...runs[0].detail,
      ...(runs.length < opts.runs
        ? { note: `${runs.length} run(s): one took over ${REPEAT_BUDGET_S} s` }
        : {}),
    };
    opts.log(
      `  ${job}: ${runs.map((r) => `${(r.ms / 1000).toFixed(2)} s/${r.peakRssMb} MB`).join(", ")} ${JSON.stringify(detail)}`,
    );
    rows.push(
      row({
        group: "jobs",
        name: `job ${job} ${date}: wall time`,
        unit: "s",
        runs: runs.map((r) => r.ms / 1000),
        floorRuns: scan.map((r) => r.ms / 1000),
        floorName: "raw SQL scan",
        target: atMost(10, "s", 3),
        detail,
      }),
      row({
        group: "jobs",
        name: `job ${job} ${date}: peak RSS`,
        unit: "MB",
        runs: runs.map((r) => r.peakRssMb),
        floorRuns: scan.map((r) => r.peakRssMb),
        floorName: "scan process",
        target: atMost(512, "MB"),
        detail: { baseRssMb: runs.map((r) => r.baseRssMb) },
      }),
    );
  }
  return rows;
};
