import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import { localDate } from "../domain/dates";
import type { Slot } from "./job";
import type { JobRunner } from "./runner";

/**
 * Cron only wakes jobs (ARCHITECTURE.md rule 5): every job fires daily in the company zone
 * and decides from the holiday calendar itself; `job_runs` decides what is still to do.
 * node-cron skips a tick that fires late, so start-up catches today's missed runs up.
 */
export const startCron = (
  runner: JobRunner,
  timeZone: string,
  log: Logger,
  now: () => Date = () => new Date(),
) => {
  const logger = {
    info: (m: string) => log.debug({ cron: true }, m),
    warn: (m: string) => log.warn({ cron: true }, m),
    error: (m: string | Error, err?: Error) => log.error({ cron: true, err: err ?? m }, "cron error"),
    debug: (m: string | Error) => log.debug({ cron: true }, String(m)),
  };
  const tasks: ScheduledTask[] = [];
  for (const job of runner.jobs.values())
    for (const [slot, at] of Object.entries(job.at) as [Slot, string][]) {
      const [h, m] = at.split(":").map(Number);
      tasks.push(
        cron.schedule(
          `${m} ${h} * * *`,
          async () => {
            const r = await runner.run(job.name, localDate(now(), timeZone), slot, "cron");
            log.info({ job: job.name, slot, date: r.date, queued: r.queued, skipped: r.skipped }, "job ran");
          },
          { timezone: timeZone, name: `${job.name}${slot ? `:${slot}` : ""}`, noOverlap: true, logger },
        ),
      );
    }
  const caughtUp = runner.catchUp(timeZone).catch((err) => log.error({ err }, "catch-up failed"));
  return {
    caughtUp,
    stop: async () => {
      for (const t of tasks) await t.destroy();
    },
  };
};
