/**
 * The import floor in its own process: the same rows as raw multi-row INSERTs (500 rows a
 * statement, 20 statements a batch) into the working copy. Answer: one JSON line.
 */
import { type Database, openDatabase } from "../src/db/client";
import { IMPORT_COLS, importRows, toInsertRows } from "./import-rows";

const main = async () => {
  const input = JSON.parse(process.argv[2]) as {
    file: string;
    rows: number;
    reps: number;
    tag: string;
    runs: number;
  };
  const database = await openDatabase(`file:${input.file}`);
  const out: { ms: number; rows: number }[] = [];
  for (let k = 0; k < input.runs; k++) out.push(await insertAll(database, input, `${input.tag}-${k}`));
  database.close();
  process.stdout.write(`${JSON.stringify({ runs: out })}\n`);
};

const insertAll = async (database: Database, input: { rows: number; reps: number }, tag: string) => {
  const rows = toInsertRows(importRows(input.rows, input.reps, tag), new Date().toISOString());
  const t0 = performance.now();
  const one = `(${IMPORT_COLS.map(() => "?").join(",")})`;
  for (let i = 0; i < rows.length; i += 10_000) {
    const statements = [];
    for (let j = i; j < Math.min(rows.length, i + 10_000); j += 500) {
      const part = rows.slice(j, j + 500);
      statements.push({
        sql: `insert into purchases (${IMPORT_COLS.join(",")}) values ${Array(part.length).fill(one).join(",")}`,
        args: part.flat(),
      });
    }
    await database.client.batch(statements, "write");
  }
  return { ms: performance.now() - t0, rows: rows.length };
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
