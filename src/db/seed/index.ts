import { eq } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { type Database, type Db, runBatch, type Statement } from "../client";
import * as schema from "../schema";
import { seedId } from "./random";
import type { World } from "./types";
import { buildWorld } from "./world";

export const defaultSeed = 20_261_122;

export interface SeedOptions {
  /** The demo world's "today" (YYYY-MM-DD in the company zone). */
  refDate: string;
  seed?: number;
  timeZone?: string;
}

// Insert order follows the foreign keys; each entry is one table of the world.
const tables = {
  users: schema.users,
  territories: schema.territories,
  products: schema.products,
  customers: schema.customers,
  consentEvents: schema.consentEvents,
  segments: schema.segments,
  coverage: schema.coverage,
  importBatches: schema.importBatches,
  purchases: schema.purchases,
  visitPlans: schema.visitPlans,
  visits: schema.visits,
  visitProducts: schema.visitProducts,
  budgets: schema.budgets,
  holidays: schema.holidays,
} as const satisfies Record<keyof World, SQLiteTable>;

export type SeedTable = keyof typeof tables;
export type SeedCounts = Record<SeedTable, number>;

const chunkSize = 500;

/**
 * Multi-row inserts of ~500 rows (≈64k rows/s, STACK.md). `onConflictDoNothing` makes a re-run
 * a no-op, and never overwrites what a demo user changed since (a withdrawn consent stays withdrawn).
 */
const insertStatements = (db: Db, table: SQLiteTable, rows: readonly object[]): Statement[] => {
  const out: Statement[] = [];
  for (let i = 0; i < rows.length; i += chunkSize)
    out.push(
      db
        .insert(table)
        .values(rows.slice(i, i + chunkSize) as never[])
        .onConflictDoNothing(),
    );
  return out;
};

/** Rows per seeded table, as they are in the database now. */
export const countRows = async (database: Database): Promise<SeedCounts> => {
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => [name, await database.db.$count(table)] as const),
  );
  return Object.fromEntries(entries) as SeedCounts;
};

/**
 * Loads the demo world (DOMAIN.md's) into a migrated database. Idempotent: ids are derived
 * from each row's identity, so running it again with the same refDate inserts nothing.
 */
export const seedDemo = async (database: Database, options: SeedOptions): Promise<SeedCounts> => {
  const existingAdmin = await database.db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(eq(schema.users.role, "admin"))
    .orderBy(schema.users.id)
    .limit(1)
    .get();
  const world = buildWorld({
    seed: options.seed ?? defaultSeed,
    refDate: options.refDate,
    timeZone: options.timeZone ?? "Asia/Shanghai",
    adminId: existingAdmin?.id ?? seedId("user:admin"),
    withAdmin: !existingAdmin,
  });
  // One short batch per table: atomic per table, and other processes wait at most that long.
  for (const [name, table] of Object.entries(tables) as [SeedTable, SQLiteTable][])
    await database.write((db) => runBatch(db, insertStatements(db, table, world[name])));
  return countRows(database);
};
