import { and, asc, eq, isNull, sql } from "drizzle-orm";
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
export const takeConsoleMessages = async (
  database: Database,
  userId: string,
  /** False to show them without marking them read (an admin looking at someone's chat). */
  markRead = true,
): Promise<Pick<OutboxRow, "id" | "template" | "locale" | "data" | "createdAt">[]> => {
  return database.write(async (db) => {
    const rows = await db
      .select({
        id: outbox.id,
        template: outbox.template,
        locale: outbox.locale,
        data: outbox.data,
        createdAt: outbox.createdAt,
      })
      .from(outbox)
      .where(
        // Literals, as the partial index `outbox_console_unread_idx` is written: with
        // parameters SQLite cannot use it and walks every sent row.
        and(
          sql`${outbox.channel} = 'console'`,
          eq(outbox.recipientId, userId),
          sql`${outbox.status} = 'sent'`,
          isNull(outbox.readAt),
        ),
      )
      .orderBy(asc(outbox.sentAt), asc(outbox.id));
    if (rows.length === 0 || !markRead) return rows;
    const at = nowIso();
    await db.batch(
      rows.map((r) => db.update(outbox).set({ readAt: at }).where(eq(outbox.id, r.id))) as [never],
    );
    return rows;
  });
};
