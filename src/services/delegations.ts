import { and, eq, isNull } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch } from "../db/client";
import { newId } from "../db/ids";
import { delegations, users } from "../db/schema";
import type { IsoDate } from "../domain/dates";
import { fail, ok, type Result } from "../domain/result";
import { type Actor, type ServiceContext, today } from "./context";

export type DelegationRow = typeof delegations.$inferSelect;

/**
 * An approver who is away names a delegate until a date (DOMAIN.md §5). One delegation
 * holds per approver: naming a new one revokes the previous one in the same batch.
 */
export const createDelegationService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  const check = async (fromUserId: string, toUserId: string, until: IsoDate, actor: Actor) => {
    if (actor.id !== fromUserId && actor.role !== "admin") return fail("forbidden", "delegation.not_yours");
    // An admin may name a delegate for someone away, never themself: no deciding "as" another (DOMAIN.md §9).
    if (actor.id !== fromUserId && toUserId === actor.id)
      return fail("forbidden", "delegation.not_self_for_other");
    if (until < today(ctx)) return fail("validation", "delegation.until_past", { until }, "until");
    if (toUserId === fromUserId) return fail("validation", "delegation.to_self", undefined, "toUserId");
    const from = await db.select({ id: users.id }).from(users).where(eq(users.id, fromUserId)).get();
    if (!from) return fail("not_found", "delegation.user_not_found");
    const to = await db
      .select({ id: users.id, active: users.active })
      .from(users)
      .where(eq(users.id, toUserId))
      .get();
    if (!to) return fail("not_found", "delegation.delegate_not_found", undefined, "toUserId");
    if (!to.active) return fail("validation", "delegation.delegate_inactive", undefined, "toUserId");
    return ok(null);
  };

  const setDelegation = async (
    fromUserId: string,
    toUserId: string,
    until: IsoDate,
    actor: Actor,
  ): Promise<Result<DelegationRow>> => {
    const allowed = await check(fromUserId, toUserId, until, actor);
    if (!allowed.ok) return allowed;
    const at = ctx.now().toISOString();
    const row: DelegationRow = { id: newId(), fromUserId, toUserId, until, revokedAt: null, createdAt: at };
    await ctx.database.write((db) =>
      runBatch(db, [
        db
          .update(delegations)
          .set({ revokedAt: at })
          .where(and(eq(delegations.fromUserId, fromUserId), isNull(delegations.revokedAt))),
        db.insert(delegations).values(row),
        auditInsert(db, {
          actorId: actor.id,
          via: actor.via,
          action: "delegate",
          entityType: "delegation",
          entityId: row.id,
          after: row,
        }),
      ]),
    );
    return ok(row);
  };

  return { setDelegation };
};
