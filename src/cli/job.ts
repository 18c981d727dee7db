/**
 * `npm run job -- <job> [--date YYYY-MM-DD] [--slot am|pm]`: runs one job once for that date
 * (company time zone; a manual run skips the working-day check) and prints what it queued.
 */
import { gte } from "drizzle-orm";
import { compose } from "../compose";
import { loadConfigFromEnv } from "../config";
import { openDatabase } from "../db/client";
import { outbox } from "../db/schema";
import { isIsoDate, localDate } from "../domain/dates";
import { createLogger } from "../lib/log";
import { type JobName, jobNames } from "../scheduler/job";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};

const fail = (message: string): never => {
  process.stderr.write(
    `${message}\nusage: npm run job -- <${jobNames.join("|")}> [--date YYYY-MM-DD] [--slot am|pm]\n`,
  );
  process.exit(2);
};

const main = async () => {
  const config = loadConfigFromEnv();
  const name = process.argv.slice(2).find((a) => !a.startsWith("--") && !/^\d{4}-|^(am|pm)$/.test(a));
  if (!name || !(jobNames as readonly string[]).includes(name)) fail(`unknown job "${name ?? ""}"`);
  const date = arg("--date") ?? localDate(new Date(), config.timeZone);
  if (!isIsoDate(date)) fail(`--date must be YYYY-MM-DD (got "${date}")`);
  const database = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  const { jobs } = compose(config, database, createLogger("warn"));
  const job = jobs.jobs.get(name as JobName)!;
  const slots = Object.keys(job.at);
  const slot = arg("--slot") ?? (slots.includes("") ? "" : "am");
  if (!slots.includes(slot)) fail(`--slot must be one of ${slots.join(", ")}`);
  const startedAt = new Date().toISOString();
  const result = await jobs.run(job.name, date, slot as "" | "am" | "pm", "manual");
  const queued = await database.db
    .select({
      channel: outbox.channel,
      recipientId: outbox.recipientId,
      template: outbox.template,
      dedupeKey: outbox.dedupeKey,
    })
    .from(outbox)
    .where(gte(outbox.createdAt, startedAt));
  process.stdout.write(
    `${job.name}${slot ? ` (${slot})` : ""} for ${date}: ${result.recipients} recipients, ${result.done} done now, ${result.alreadyDone} already done, ${result.queued} messages queued${result.error ? `, error: ${result.error}` : ""}\n`,
  );
  for (const q of queued)
    process.stdout.write(`  ${q.channel.padEnd(7)} ${q.template.padEnd(20)} ${q.dedupeKey}\n`);
  database.close();
  if (result.error) process.exit(1);
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
