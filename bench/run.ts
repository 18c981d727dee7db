/**
 * `npm run bench` (`-- --quick` for the seconds-long smoke form): every figure is a median
 * of several runs with the floor measured in the same run. Writes bench/results.json
 * (full) or bench/scratch/results-quick.json (quick) and prints the table.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDataset, FULL, QUICK, SCRATCH, workingCopy } from "./dataset";
import { apiRows, chatRows, type HttpOptions } from "./http";
import { jobRows } from "./jobs";
import { startServer } from "./proc";
import { type BenchRow, machine, table } from "./report";
import { slackRows } from "./slack";
import { importRowsBench, outboxRows } from "./throughput";

const HERE = dirname(fileURLToPath(import.meta.url));

const main = async () => {
  const quick = process.argv.includes("--quick");
  const scale = quick ? QUICK : FULL;
  const runs = 3;
  const log = (s: string) => process.stdout.write(`${s}\n`);
  const started = new Date();
  const t0 = performance.now();
  const machineAtStart = machine();
  const dataset = await ensureDataset(scale, log);
  log(
    `data set: ${JSON.stringify(dataset.counts)} (${dataset.reused ? "reused" : `generated in ${dataset.seconds.toFixed(0)} s`})`,
  );
  const file = workingCopy(dataset, `work-${scale.name}`);
  const rows: BenchRow[] = [];
  const section = async (name: string, fn: () => Promise<BenchRow[]>) => {
    const s0 = performance.now();
    log(`${name} …`);
    rows.push(...(await fn()));
    log(`${name}: ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  };

  await section("jobs", () => jobRows(file, scale.date, { runs, perProcess: !quick, log }));

  const app = await startServer("server-child.ts", { mode: "app", file, now: `${scale.date}T01:00:00Z` });
  const floor = await startServer("server-child.ts", { mode: "floor" });
  try {
    const http: HttpOptions = {
      appUrl: app.url,
      floorUrl: floor.url,
      reps: Math.min(200, scale.reps),
      month: scale.date.slice(0, 7),
      runs,
      apiSeconds: quick ? 0.3 : 3,
      chatSeconds: quick ? 0.3 : 4,
      stepSeconds: quick ? 0.2 : 2,
      rates: [100, 200],
      searchCap: quick ? 200 : 6400,
      log,
    };
    await section("admin API", () => apiRows(http));
    await section("chat", () => chatRows(http));
    await section("import", () =>
      importRowsBench({ appUrl: app.url, file, rows: quick ? 1000 : 100_000, reps: scale.reps, runs, log }),
    );
  } finally {
    await app.stop();
    await floor.stop();
  }
  await section("slack", () => slackRows({ quick, runs, file, now: `${scale.date}T01:00:00Z`, log }));
  await section("outbox", () => outboxRows(quick ? 50 : 500, runs, log));

  const seconds = (performance.now() - t0) / 1000;
  const results = {
    date: started.toISOString(),
    mode: scale.name,
    machine: { ...machineAtStart, loadAverageAtEnd: machine().loadAverage },
    dataset: {
      ...dataset.counts,
      date: scale.date,
      generatedSeconds: Math.round(dataset.seconds),
      reused: dataset.reused,
    },
    seconds: Math.round(seconds),
    rows,
  };
  const out = quick ? join(SCRATCH, "results-quick.json") : join(HERE, "results.json");
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log("");
  log(
    `repmate bench (${scale.name}) ${results.date} — ${machineAtStart.cpu}, ${machineAtStart.cores} cores, ${machineAtStart.memoryGb} GB, node ${machineAtStart.node}; load average at start ${machineAtStart.loadAverage.join(" ")}`,
  );
  log(table(rows));
  log(
    `\n${rows.filter((r) => r.result === "miss").length} missed, ${rows.filter((r) => r.result === "pass").length} passed; ${Math.round(seconds)} s; written to ${out}`,
  );
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
