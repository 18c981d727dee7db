import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "../../src/db/checkpointer";
import { type Database, openDatabase } from "../../src/db/client";

const open: Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "repmate-ckpt-"));
  dirs.push(dir);
  return join(dir, "app.db");
};

const waitFor = async (what: string, ok: () => boolean, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** `batches` transactions of 100 rows of ~4 KB: about 0.4 MB of WAL each. */
const writeRows = async (database: Database, batches: number) => {
  await database.client.execute("create table if not exists blobs (id integer primary key, v text)");
  for (let b = 0; b < batches; b++)
    await database.client.batch(
      Array.from({ length: 100 }, (_, i) => ({
        sql: "insert into blobs (v) values (?)",
        args: [`${b}-${i}-${"x".repeat(4000)}`],
      })),
      "write",
    );
};

const MB = 1024 * 1024;
const driver = createRequire(createRequire(import.meta.url).resolve("@libsql/client")).resolve("libsql");

describe("WAL checkpointer", () => {
  it("copies a grown WAL into the database file from its own thread, under the connections' own limit", async () => {
    const file = tempFile();
    const database = await openDatabase(`file:${file}`);
    open.push(database);
    expect(statSync(file).size).toBeLessThan(MB);
    await writeRows(database, 20);
    // About 8 MB of WAL, far below where a connection checkpoints itself (40 MB): only the
    // checkpointer's thread copies those pages into the database file.
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(7 * MB);
    await waitFor("the WAL's pages in the database file", () => statSync(file).size > 7 * MB);
    const n = await database.client.execute("select count(*) as n from blobs");
    expect(Number(n.rows[0].n)).toBe(2000);
  });

  it("starts no thread for a small WAL, one once it grows, and stops it", async () => {
    const file = tempFile();
    const database = await openDatabase(`file:${file}`);
    open.push(database);
    const checkpointer = startCheckpointer(file, driver);
    await writeRows(database, 2);
    await new Promise((r) => setTimeout(r, 600));
    expect(checkpointer.running()).toBe(false);
    await writeRows(database, 10);
    await waitFor("the thread to start", () => checkpointer.running());
    // Resolves only once the thread has closed its connection and exited.
    await checkpointer.stop();
    expect(checkpointer.running()).toBe(false);
  });

  it("lets the process exit while its thread checkpoints, with or without closing first", async () => {
    // Exiting used to abort the process (SIGABRT in the libSQL binding) in about half of runs.
    const fixture = join(import.meta.dirname, "fixtures/exit-while-checkpointing.ts");
    const exits = await Promise.all(
      Array.from(
        { length: 8 },
        (_, k) =>
          new Promise<string>((done) => {
            const child = spawn(
              process.execPath,
              ["--import", "tsx", fixture, tempFile(), k % 2 ? "close" : ""],
              {
                stdio: ["ignore", "ignore", "pipe"],
              },
            );
            let err = "";
            child.stderr.on("data", (d) => {
              err += d;
            });
            child.on("exit", (code, signal) =>
              done(`${code ?? signal}${err ? ` ${err.slice(0, 200)}` : ""}`),
            );
          }),
      ),
    );
    expect(exits).toEqual(Array(8).fill("0"));
  });
});
