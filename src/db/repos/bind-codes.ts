import { randomInt } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { hashToken } from "../../lib/secrets";
import { auditInsert } from "../audit";
import type { Database } from "../client";
import { nowIso } from "../ids";
import { bindCodes } from "../schema";

const TTL_MS = 24 * 3600_000;
// No 0/O/1/I: the code is read off one screen and typed on a phone.
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** A one-time code (8 characters, 24 h) a chat contact sends as `绑定 <code>` to link itself. */
export const generateBindCode = async (database: Database, userId: string, actorId: string) => {
  const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const createdAt = nowIso();
  const expiresAt = new Date(Date.now() + TTL_MS).toISOString();
  await database.write(async (db) => {
    await db.batch([
      db.insert(bindCodes).values({ codeHash: hashToken(code), userId, expiresAt, createdAt }),
      auditInsert(db, {
        actorId,
        action: "create",
        entityType: "bind_code",
        entityId: userId,
        after: { expiresAt },
      }),
    ]);
  });
  return { code, expiresAt };
};

/** Redeems a code once: the conditional update makes a second use find nothing. */
export const redeemBindCode = async (database: Database, code: string): Promise<string | null> => {
  const normalized = code.trim().toUpperCase();
  return database.write(async (db) => {
    const rows = await db
      .update(bindCodes)
      .set({ usedAt: nowIso() })
      .where(
        and(
          eq(bindCodes.codeHash, hashToken(normalized)),
          isNull(bindCodes.usedAt),
          gt(bindCodes.expiresAt, nowIso()),
        ),
      )
      .returning({ userId: bindCodes.userId });
    return rows[0]?.userId ?? null;
  });
};
