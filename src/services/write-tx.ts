import type { Database, Db, Statement } from "../db/client";

/**
 * One interactive transaction under the write mutex (STACK.md): for a decision whose first
 * statement is conditional (`… WHERE status = 'pending' RETURNING id`) and whose other
 * writes must happen only when it won — the loser writes nothing, a crash leaves nothing half done.
 * A transaction offers the database's query builders; the statement helpers (auditInsert,
 * enqueueStatement) only build queries on it, which is why the cast is safe.
 */
export const writeTransaction = <T>(database: Database, fn: (tx: Db) => Promise<T>): Promise<T> =>
  database.write((db) => db.transaction((tx) => fn(tx as unknown as Db)));

/**
 * Runs statements one after another (a transaction has no batch). Every drizzle query builder
 * is a QueryPromise that executes when awaited; `Statement` just does not declare it.
 */
export const runInOrder = async (statements: readonly Statement[]) => {
  for (const s of statements) await (s as unknown as PromiseLike<unknown>);
};
