import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAFETY_NET_PAGES } from "../../src/db/checkpointer";
import { tempDatabase } from "../helpers/app";

let env: Awaited<ReturnType<typeof tempDatabase>>;
beforeAll(async () => {
  env = await tempDatabase();
});
afterAll(() => env.cleanup());

describe("pooled connections", () => {
  it("gives a connection opened while a transaction holds the first the same settings", async () => {
    const { client } = env.database;
    const tx = await client.transaction("write");
    try {
      // The transaction holds the first connection: these run on another the pool opens.
      const [sync, fk, checkpoint] = await Promise.all([
        client.execute("PRAGMA synchronous"),
        client.execute("PRAGMA foreign_keys"),
        client.execute("PRAGMA wal_autocheckpoint"),
      ]);
      const held = await tx.execute("PRAGMA synchronous");
      const heldCheckpoint = await tx.execute("PRAGMA wal_autocheckpoint");
      // 1 = NORMAL: in WAL mode a commit appends without an fsync (FULL, 2, fsyncs every one).
      expect(Number(sync.rows[0].synchronous)).toBe(1);
      expect(Number(held.rows[0].synchronous)).toBe(1);
      expect(Number(fk.rows[0].foreign_keys)).toBe(1);
      // Checkpoints are the checkpointer thread's; a connection runs one only past the safety net.
      expect(Number(checkpoint.rows[0].wal_autocheckpoint)).toBe(SAFETY_NET_PAGES);
      expect(Number(heldCheckpoint.rows[0].wal_autocheckpoint)).toBe(SAFETY_NET_PAGES);
    } finally {
      tx.close();
    }
  });
});
