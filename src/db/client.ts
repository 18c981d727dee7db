import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { Mutex } from "async-mutex";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
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

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

export const openDatabase = async (url: string, authToken?: string): Promise<Database> => {
  const isFile = url.startsWith("file:");
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
  const mutex = new Mutex();
  return {
    db,
    client,
    write: (fn) => mutex.runExclusive(() => fn(db)),
    close: () => client.close(),
  };
};

export type Statement = BatchItem<"sqlite">;

/** Runs statements atomically in one batch (a no-op for none): the safe multi-row write. */
export const runBatch = async (db: Db, statements: Statement[]) => {
  if (statements.length === 0) return;
  await db.batch(statements as [Statement, ...Statement[]]);
};
