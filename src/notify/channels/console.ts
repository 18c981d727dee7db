import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { nowIso } from "../../db/ids";
import { outbox } from "../../db/schema";
import type { Channel, OutboxRow } from "../types";

/**
 * The `console` channel: messages for users without a chat platform. Sending only marks the
 * row delivered; the terminal chat and `POST /api/chat` collect them as `pending`.
 */
export const createConsoleChannel = (): Channel => ({
  name: "console",
  send: async () => ({ ok: true }),
});

/** Sent console messages the user has not seen yet, oldest first; marks them read. */
export const takeConsoleMessages = async (database: Database, userId: string): Promise<OutboxRow[]> => {
  return database.write(async (db) => {
    const rows = await db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.channel, "console"),
          eq(outbox.recipientId, userId),
          eq(outbox.status, "sent"),
          isNull(outbox.readAt),
        ),
      )
      .orderBy(asc(outbox.sentAt), asc(outbox.id));
    if (rows.length === 0) return rows;
    const at = nowIso();
    await db.batch(
      rows.map((r) => db.update(outbox).set({ readAt: at }).where(eq(outbox.id, r.id))) as [never],
    );
    return rows;
  });
};
