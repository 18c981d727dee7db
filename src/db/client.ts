import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient, type InStatement, type InValue } from "@libsql/client";
import { Mutex } from "async-mutex";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { SAFETY_NET_PAGES, startCheckpointer } from "./checkpointer";
import * as schema from "./schema";

export type Db = LibSQLDatabase<typeof schema>;

export interface Database {
  db: Db;
  client: Client;
  /**
   * The one in-process write mutex (STACK.md): local libSQL blocks the event loop while a
   * second interactive transaction waits for the lock, so every interactive write
   * transaction runs under it and awaits nothing but the database inside.
   */
  write<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): void;
}

/**
 * Prepared statements reused per connection. The local client prepares every statement
 * afresh (~0.1 ms in the libSQL binding, more than a point read), and on every run asks
 * for its columns twice and calls `raw(true)`, which throws (an error with a stack) for a
 * statement returning no data. Each pooled connection keeps its recent statements instead,
 * with those answers (columns only when the SQL has no `*` that could stand for columns,
 * which follow the schema). Safe to share: a connection runs one statement at a time to its
 * end, a statement is reset and rebound on reuse, and SQLite re-prepares it after a schema
 * change. Long SQL (bulk inserts) is prepared each time, as before.
 */
const STATEMENTS_PER_CONNECTION = 200;
const CACHEABLE_SQL_CHARS = 4000;
/** A `*` that may stand for columns (`select *`, `t.*`; `a * b` too, to be safe), not `count(*)`. */
const STAR_SELECT = /(?:^|[\s.,])\*/;
interface NativeStatement {
  columns(): unknown;
  raw(on?: boolean): NativeStatement;
  safeIntegers(on?: boolean): NativeStatement;
}
interface NativeDatabase {
  prepare(sql: string): NativeStatement;
}

/** A statement kept for reuse: what the client asks of it on every run, answered once. */
const keep = (stmt: NativeStatement, sql: string) => {
  const { columns, raw, safeIntegers } = stmt;
  if (!STAR_SELECT.test(sql)) {
    let known: unknown;
    stmt.columns = function (this: NativeStatement) {
      known ??= columns.call(this);
      return known;
    };
  }
  let rawOn: boolean | undefined;
  let noData: unknown;
  stmt.raw = function (this: NativeStatement, on = true) {
    if (on && noData !== undefined) throw noData;
    if (rawOn === on) return this;
    try {
      raw.call(this, on);
    } catch (e) {
      if (on) noData = e;
      throw e;
    }
    rawOn = on;
    return this;
  };
  let safeOn: boolean | undefined;
  stmt.safeIntegers = function (this: NativeStatement, on = true) {
    if (safeOn !== on) safeIntegers.call(this, on);
    safeOn = on;
    return this;
  };
};

/**
 * Settings every connection needs, not just the first: without them a second connection
 * commits with synchronous=FULL (an fsync of the WAL per commit, ~0.5 ms here). Checkpoints
 * run on the checkpointer's thread; a connection runs one itself only past the safety net.
 */
const CONNECTION_PRAGMAS = [
  "PRAGMA synchronous=NORMAL",
  "PRAGMA foreign_keys=ON",
  `PRAGMA wal_autocheckpoint=${SAFETY_NET_PAGES}`,
];

/** The libSQL binding @libsql/client itself loads (not a direct dependency of this package). */
const DRIVER = createRequire(createRequire(import.meta.url).resolve("@libsql/client")).resolve("libsql");

let statementCacheInstalled = false;
const installStatementCache = () => {
  if (statementCacheInstalled) return;
  statementCacheInstalled = true;
  const proto = (createRequire(import.meta.url)(DRIVER) as { prototype: NativeDatabase }).prototype;
  const prepare = proto.prepare;
  const caches = new WeakMap<NativeDatabase, Map<string, NativeStatement>>();
  proto.prepare = function (this: NativeDatabase, sql: string) {
    if (sql.length > CACHEABLE_SQL_CHARS) return prepare.call(this, sql);
    let cache = caches.get(this);
    if (!cache) {
      cache = new Map();
      caches.set(this, cache);
      // A new pooled connection: a PRAGMA run through the client reaches only the one it
      // borrowed, and the pool opens another whenever a transaction holds the first.
      for (const pragma of CONNECTION_PRAGMAS)
        (prepare.call(this, pragma) as unknown as { run(): void }).run();
    }
    let stmt = cache.get(sql);
    if (stmt) cache.delete(sql);
    else {
      stmt = prepare.call(this, sql);
      keep(stmt, sql);
      if (cache.size >= STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, stmt);
    return stmt;
  };
};

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

export const openDatabase = async (url: string, authToken?: string): Promise<Database> => {
  const isFile = url.startsWith("file:");
  if (isFile) installStatementCache();
  if (isFile) mkdirSync(dirname(resolve(url.slice(5))), { recursive: true });
  // `timeout` is the busy timeout on every pooled connection; PRAGMA busy_timeout reaches only one.
  const client = createClient({ url, authToken, timeout: 5000 });
  if (isFile) {
    await client.execute("PRAGMA journal_mode=WAL");
    await client.execute("PRAGMA synchronous=NORMAL");
  }
  await client.execute("PRAGMA foreign_keys=ON");
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  const checkpointer = isFile ? startCheckpointer(resolve(url.slice(5)), DRIVER) : undefined;
  const mutex = new Mutex();
  return {
    db,
    client,
    write: (fn) => mutex.runExclusive(() => fn(db)),
    close: () => {
      // The thread closes its own connection; nothing here waits for it.
      void checkpointer?.stop();
      client.close();
    },
  };
};

export type Statement = BatchItem<"sqlite">;

/** A drizzle query as plain SQL and arguments, to run in the client's batch with other plain SQL. */
export const statementOf = (q: { toSQL(): { sql: string; params: unknown[] } }): InStatement => {
  const { sql, params } = q.toSQL();
  return { sql, args: params as InValue[] };
};

/** Runs statements atomically in one batch (a no-op for none): the safe multi-row write. */
export const runBatch = async (db: Db, statements: Statement[]) => {
  if (statements.length === 0) return;
  await db.batch(statements as [Statement, ...Statement[]]);
};
