import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkInsert } from "../../src/db/bulk-insert";
import { outbox } from "../../src/db/schema";
import { tempDatabase } from "../helpers/app";

let env: Awaited<ReturnType<typeof tempDatabase>>;
beforeAll(async () => {
  env = await tempDatabase();
});
afterAll(() => env.cleanup());

const row = (id: string, dedupeKey: string) => ({
  id,
  channel: "email" as const,
  recipientType: "customer" as const,
  recipientId: `c-${id}`,
  template: "care_greeting",
  locale: "zh-CN",
  data: { name: '王 "主任"', n: 1 },
  dedupeKey,
  notBefore: "2026-08-19T00:00:00.000Z",
  createdAt: "2026-08-19T00:00:00.000Z",
});

describe("bulk inserts", () => {
  it("writes what drizzle would, defaults included, and skips rows whose unique key is taken", async () => {
    const { db, client } = env.database;
    await db.insert(outbox).values(row("a", "k1"));
    // 2,500 rows × 19 columns needs several statements under the parameter cap.
    const rows = [row("b", "k1"), ...Array.from({ length: 2500 }, (_, i) => row(`r${i}`, `k-${i}`))];
    const statements = bulkInsert(outbox, rows, { ignoreConflicts: outbox.dedupeKey });
    expect(statements.length).toBeGreaterThan(1);
    const results = await client.batch(statements, "write");
    expect(results.reduce((n, r) => n + r.rowsAffected, 0)).toBe(2500);
    const [viaDrizzle, viaBulk] = await db.select().from(outbox).orderBy(asc(outbox.id)).limit(2);
    expect(viaBulk).toEqual({
      ...viaDrizzle,
      id: viaBulk.id,
      recipientId: viaBulk.recipientId,
      dedupeKey: viaBulk.dedupeKey,
    });
    expect(viaBulk).toMatchObject({
      status: "pending",
      attempts: 0,
      data: { name: '王 "主任"', n: 1 },
      address: null,
    });
  });
});
