/**
 * The bench data set: reps (+ managers), customers, purchases and visits in a libSQL file
 * under bench/scratch/, made with the real migrations and multi-row inserts (500 rows a
 * statement, 20 statements a batch). Deterministic; reused while its marker matches.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { InStatement } from "@libsql/client";
import { openDatabase } from "../src/db/client";
import { hashToken } from "../src/lib/secrets";
import {
  ADMIN_ID,
  CUSTOMER_COLS,
  managerId,
  PER_REP,
  PRODUCTS,
  PURCHASE_COLS,
  pad,
  productCode,
  productId,
  type Row,
  regionalId,
  repBook,
  repId,
  SEGMENT_COLS,
  tokenOf,
  VISIT_COLS,
} from "./dataset-rows";

export const SCRATCH = resolve(dirname(fileURLToPath(import.meta.url)), "scratch");
const VERSION = 3;

export interface Scale {
  name: "full" | "quick";
  reps: number;
  purchasesPerRep: number;
  visitsPerRep: number;
  /** The job date; history runs over the year before it (Doctors' Day, a working Wednesday). */
  date: string;
}

export const FULL: Scale = {
  name: "full",
  reps: 2000,
  purchasesPerRep: 1000,
  visitsPerRep: 500,
  date: "2026-08-19",
};
export const QUICK: Scale = {
  name: "quick",
  reps: 20,
  purchasesPerRep: 1000,
  visitsPerRep: 500,
  date: "2026-08-19",
};

export interface DatasetInfo {
  file: string;
  scale: Scale;
  counts: Record<string, number>;
  seconds: number;
  reused: boolean;
}

const ROWS_PER_STATEMENT = 500;
const STATEMENTS_PER_BATCH = 20;

/** Buffers rows per table and writes them as multi-row inserts in batches. */
const bulkWriter = (exec: (s: InStatement[]) => Promise<unknown>) => {
  const pending: InStatement[] = [];
  const buffers = new Map<string, { cols: readonly string[]; rows: Row[] }>();
  const counts: Record<string, number> = {};
  const sqlFor = new Map<string, string>();
  const statement = (table: string, cols: readonly string[], rows: Row[]): InStatement => {
    const key = `${table}:${rows.length}`;
    let sql = sqlFor.get(key);
    if (!sql) {
      const one = `(${cols.map(() => "?").join(",")})`;
      sql = `insert into ${table} (${cols.join(",")}) values ${Array(rows.length).fill(one).join(",")}`;
      sqlFor.set(key, sql);
    }
    return { sql, args: rows.flat() };
  };
  const flushTable = (table: string) => {
    const b = buffers.get(table);
    if (!b || b.rows.length === 0) return;
    pending.push(statement(table, b.cols, b.rows));
    b.rows = [];
  };
  const drain = async () => {
    if (pending.length) await exec(pending.splice(0));
  };
  return {
    counts,
    async add(table: string, cols: readonly string[], rows: Row[]) {
      const b = buffers.get(table) ?? { cols, rows: [] };
      buffers.set(table, b);
      counts[table] = (counts[table] ?? 0) + rows.length;
      for (const row of rows) {
        b.rows.push(row);
        if (b.rows.length >= ROWS_PER_STATEMENT) flushTable(table);
        if (pending.length >= STATEMENTS_PER_BATCH) await drain();
      }
    },
    /** Writes everything buffered, tables in the order given (foreign keys). */
    async flush(order: string[]) {
      for (const t of order) flushTable(t);
      await drain();
    },
  };
};

const generate = async (file: string, scale: Scale) => {
  const database = await openDatabase(`file:${file}`);
  const { client } = database;
  const w = bulkWriter((s) => client.batch(s, "write"));
  const at = "2026-01-01T00:00:00.000Z";
  const managers = Math.max(1, Math.ceil(scale.reps / 10));
  const regionals = Math.max(1, Math.ceil(managers / 10));
  const user = (id: string, name: string, role: string, manager: string | null): Row => [
    id,
    name,
    role,
    manager,
    `${id}@example.com`,
    "zh-CN",
    at,
    at,
  ];
  const userCols = ["id", "name", "role", "manager_id", "email", "locale", "created_at", "updated_at"];
  const users: Row[] = [user(ADMIN_ID, "Admin", "admin", null)];
  for (let g = 0; g < regionals; g++) users.push(user(regionalId(g), `大区经理${g}`, "manager", null));
  for (let m = 0; m < managers; m++)
    users.push(user(managerId(m), `经理${m}`, "manager", regionalId(m % regionals)));
  for (let r = 0; r < scale.reps; r++)
    users.push(user(repId(r), `代表${r}`, "rep", managerId(Math.floor(r / 10))));
  await w.add("users", userCols, users);
  const tokens = users.map((u) => [`t-${u[0]}`, u[0], hashToken(tokenOf(String(u[0]))), at]);
  await w.add("api_tokens", ["id", "user_id", "token_hash", "created_at"], tokens);
  const products: Row[] = [];
  for (let p = 1; p <= PRODUCTS; p++)
    products.push([productId(p), productCode(p), `产品${pad(p, 2)}`, `Product ${p}`, "[]", at, at]);
  await w.add("products", ["id", "code", "name", "name_en", "aliases", "created_at", "updated_at"], products);
  await w.flush(["users", "api_tokens", "products"]);
  const order = ["customers", "segments", "purchases", "visits"];
  for (let r = 0; r < scale.reps; r++) {
    const book = repBook(r, {
      endDate: scale.date,
      purchasesPerRep: scale.purchasesPerRep,
      visitsPerRep: scale.visitsPerRep,
      at,
    });
    // Customers first: purchases and visits reference them (foreign keys are on).
    await w.add("customers", CUSTOMER_COLS, book.customers);
    await w.flush(["customers"]);
    await w.add("segments", SEGMENT_COLS, book.segments);
    await w.add("purchases", PURCHASE_COLS, book.purchases);
    await w.add("visits", VISIT_COLS, book.visits);
  }
  await w.flush(order);
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  database.close();
  return w.counts;
};

/** The data set for a scale: generated when absent or of another version, else reused. */
export const ensureDataset = async (scale: Scale, log: (s: string) => void): Promise<DatasetInfo> => {
  mkdirSync(SCRATCH, { recursive: true });
  const file = join(SCRATCH, `dataset-${scale.name}.db`);
  const marker = `${file}.json`;
  const want = JSON.stringify({ version: VERSION, scale, perRep: PER_REP });
  if (existsSync(marker) && existsSync(file)) {
    const m = JSON.parse(readFileSync(marker, "utf8")) as {
      key: string;
      counts: Record<string, number>;
      seconds: number;
    };
    if (m.key === want) return { file, scale, counts: m.counts, seconds: m.seconds, reused: true };
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`, marker]) rmSync(f, { force: true });
  log(`generating the ${scale.name} data set (${scale.reps} reps) into ${file} …`);
  const t0 = performance.now();
  const counts = await generate(file, scale);
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(marker, JSON.stringify({ key: want, counts, seconds }));
  log(`generated in ${seconds.toFixed(1)} s: ${JSON.stringify(counts)}`);
  return { file, scale, counts, seconds, reused: false };
};

/** A fresh working copy of the data set (benches write: jobs, chat, imports). */
export const workingCopy = (info: DatasetInfo, name: string) => {
  const target = join(SCRATCH, `${name}.db`);
  for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
  copyFileSync(info.file, target);
  return target;
};
