import { and, eq, isNull, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/client";
import { apiTokens, customers, users } from "../db/schema";
import { teamMemberIds } from "../db/team";
import { hashToken } from "../lib/secrets";
import { ApiError, forbidden } from "./errors";

export type Role = "admin" | "manager" | "finance" | "rep";

export interface Actor {
  id: string;
  name: string;
  role: Role;
  managerId: string | null;
  locale: "zh-CN" | "en";
  timezone: string | null;
}

export type AppEnv = { Variables: { actor: Actor } };

/**
 * The token check, built once per database: drizzle's builder cost more per request than the
 * query (an indexed lookup by `api_tokens_hash_uq`).
 */
const prepareTokenUser = (db: Db) =>
  db
    .select({
      id: users.id,
      name: users.name,
      role: users.role,
      managerId: users.managerId,
      locale: users.locale,
      timezone: users.timezone,
      active: users.active,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder("hash")), isNull(apiTokens.revokedAt)))
    .limit(1)
    .prepare();

/** Bearer auth: the token's hash must be a live token of an active user. */
export const bearerAuth = (db: Db): MiddlewareHandler<AppEnv> => {
  const tokenUser = prepareTokenUser(db);
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError(401, "unauthorized", "missing bearer token");
    const rows = await tokenUser.all({ hash: hashToken(m[1]) });
    const u = rows[0];
    if (!u?.active) throw new ApiError(401, "unauthorized", "invalid or revoked token");
    c.set("actor", u);
    await next();
  };
};

export const requireRole =
  (...roles: Role[]): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!roles.includes(c.get("actor").role)) throw forbidden(`requires role ${roles.join(" or ")}`);
    await next();
  };

/**
 * Whose records the actor may see: `null` = everyone (admin, finance reading), otherwise the
 * list of user ids (a manager's whole team down the hierarchy plus themself; a rep alone).
 * Used inside queries (`inArray(ownerId, scope)`), never to filter results afterwards.
 */
export const visibleUserIds = async (db: Db, actor: Actor): Promise<string[] | null> => {
  if (actor.role === "admin" || actor.role === "finance") return null;
  if (actor.role === "manager") return [actor.id, ...(await teamMemberIds(db, actor.id))];
  return [actor.id];
};

/** Whose records the actor may change: finance is read-only outside expenses and approvals. */
export const writableUserIds = async (db: Db, actor: Actor): Promise<string[] | null> => {
  if (actor.role === "finance") return [];
  return visibleUserIds(db, actor);
};

export const canSee = (scope: string[] | null, userId: string | null | undefined) =>
  scope === null || (userId != null && scope.includes(userId));

/**
 * The rep a record is written for: a rep writes for themself; a manager for their team;
 * an admin for anyone; finance for nobody (read-only outside expenses).
 */
export const resolveRepId = async (db: Db, actor: Actor, requested: string | undefined) => {
  const repId = requested ?? actor.id;
  if (!canSee(await writableUserIds(db, actor), repId)) throw forbidden("you may not record for this user");
  return repId;
};

/**
 * Refuses a record at a customer outside the book of the rep it is for (a rep: their own
 * customers; a manager recording as themself: their team's). Checked against that rep, not
 * the caller: a manager recording for rep A must not log A's visit at rep B's doctor (and
 * settle B's follow-ups). An unknown customer passes, for the service's 404.
 */
export const assertCustomerOfRep = async (db: Db, repId: string, customerId: string) => {
  const [customer, rep] = await Promise.all([
    db.select({ ownerId: customers.ownerId }).from(customers).where(eq(customers.id, customerId)).get(),
    db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, repId)).get(),
  ]);
  if (!customer) return;
  // Writable, not visible: finance sees every book but records no field work of its own.
  const scope = rep ? await writableUserIds(db, { ...rep, role: rep.role as Role } as Actor) : [repId];
  if (scope?.length === 0) throw forbidden("repId: this user records no field work (finance)");
  if (!canSee(scope, customer.ownerId))
    throw forbidden("customerId: not a customer of this rep or their team");
};

/** The service-layer actor for an API request. */
export const apiActor = (actor: Actor) => ({ id: actor.id, role: actor.role, via: "api" as const });
