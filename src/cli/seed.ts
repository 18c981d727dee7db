/**
 * `npm run seed [-- --date YYYY-MM-DD]`: creates/migrates the database if needed and loads
 * the demo world. Idempotent: a second run with the same date inserts nothing.
 */
import { loadConfigFromEnv } from "../config";
import { openDatabase } from "../db/client";
import { countRows, defaultSeed, type SeedCounts, seedDemo } from "../db/seed";
import { isIsoDate, localDate } from "../domain/dates";

const refDateFrom = (argv: string[], timeZone: string): string => {
  const i = argv.indexOf("--date");
  if (i === -1) return localDate(new Date(), timeZone);
  const date = argv[i + 1] ?? "";
  if (!isIsoDate(date)) throw new Error(`--date must be YYYY-MM-DD (got "${date}")`);
  return date;
};

const summary = (before: SeedCounts, after: SeedCounts): string => {
  const rows = Object.keys(after).map((name) => {
    const table = name as keyof SeedCounts;
    return [table, String(after[table]), String(after[table] - before[table])];
  });
  const widths = [0, 1, 2].map((c) =>
    Math.max(...[["table", "rows", "new"], ...rows].map((r) => r[c].length)),
  );
  const line = (r: string[]) =>
    `${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}`;
  return [line(["table", "rows", "new"]), ...rows.map(line)].join("\n");
};

const main = async () => {
  const config = loadConfigFromEnv();
  const refDate = refDateFrom(process.argv.slice(2), config.timeZone);
  const database = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  try {
    const started = performance.now();
    const before = await countRows(database);
    const after = await seedDemo(database, { refDate, seed: defaultSeed, timeZone: config.timeZone });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Demo world as of ${refDate} (seed ${defaultSeed}) in ${config.databaseUrl}, ${seconds} s\n`);
    console.log(summary(before, after));
    console.log(
      "\nNo tokens were created. To act as a seeded user, list them with GET /api/users and create a token" +
        "\nwith the admin token: curl -X POST -H 'Authorization: Bearer <ADMIN_TOKEN>' http://localhost:" +
        `${config.port}/api/users/<id>/tokens`,
    );
  } finally {
    database.close();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
