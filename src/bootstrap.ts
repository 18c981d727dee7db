import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import type { Config } from "./config";
import { auditInsert } from "./db/audit";
import { type Database, runBatch, type Statement } from "./db/client";
import { newId, nowIso } from "./db/ids";
import { apiTokens, users } from "./db/schema";
import { generateToken, hashToken } from "./lib/secrets";

/**
 * APP_SECRET: from the environment, or (development only) generated once and kept in data/.
 * Production never generates secrets (config.ts refuses to start without one).
 */
export const resolveAppSecret = (config: Config): string => {
  if (config.appSecret) return config.appSecret;
  const file = join(config.dataDir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
};

/**
 * Makes sure an admin can log in. ADMIN_TOKEN, when set, is registered (hashed) for the
 * bootstrap admin. Otherwise, the first start in development creates one and returns it so
 * main.ts can show it once on the terminal; it is never logged or stored in clear.
 */
export const ensureAdminToken = async (database: Database, config: Config): Promise<string | null> => {
  const { db } = database;
  const at = nowIso();
  let admin = await db.select().from(users).where(eq(users.role, "admin")).orderBy(users.id).limit(1).get();
  const statements: Statement[] = [];
  if (!admin) {
    admin = {
      id: newId(),
      name: "Admin",
      role: "admin",
      managerId: null,
      email: null,
      phone: null,
      locale: "zh-CN",
      timezone: null,
      territory: null,
      slackUserId: null,
      wecomUserId: null,
      active: true,
      createdAt: at,
      updatedAt: at,
    };
    statements.push(db.insert(users).values(admin));
  }
  if (config.adminToken) {
    const hash = hashToken(config.adminToken);
    const known = await db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(eq(apiTokens.tokenHash, hash))
      .get();
    if (!known)
      statements.push(
        db
          .insert(apiTokens)
          .values({ id: newId(), userId: admin.id, tokenHash: hash, name: "ADMIN_TOKEN", createdAt: at }),
      );
    await database.write((db) => runBatch(db, statements));
    return null;
  }
  const existing = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, admin.id), isNull(apiTokens.revokedAt)))
    .get();
  if (existing) {
    await database.write((db) => runBatch(db, statements));
    return null;
  }
  const token = generateToken();
  const tokenId = newId();
  statements.push(
    db.insert(apiTokens).values({
      id: tokenId,
      userId: admin.id,
      tokenHash: hashToken(token),
      name: "generated at first start",
      createdAt: at,
    }),
    auditInsert(db, {
      actorId: null,
      via: "system",
      action: "create",
      entityType: "api_token",
      entityId: tokenId,
      after: { userId: admin.id },
    }),
  );
  await database.write((db) => runBatch(db, statements));
  return token;
};
