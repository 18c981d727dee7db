import { and, eq, isNull, lt } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch, type Statement } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { customers, ownershipChanges, users } from "../db/schema";
import { planHandover } from "../domain/customers/ownership";
import type { IsoDate } from "../domain/dates";
import { fail, ok, type Result } from "../domain/result";
import { type Actor, type ServiceContext, today } from "./context";

/**
 * Handover (DOMAIN.md §2): `customers.ownerId` is who works the customer now; a proxy's
 * `ownership_changes` row remembers the permanent owner and when it ends. `expireProxies`
 * gives customers back the day after `until` — unless the owner has left meanwhile, in
 * which case the proxy holder keeps them (a customer is never left with an inactive owner).
 */
export const createOwnershipService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  const handover = async (
    customerId: string,
    input: { toUserId: string; mode: "proxy" | "transfer"; until?: IsoDate },
    actor: Actor,
  ): Promise<Result<{ customerId: string; ownerId: string; mode: string; until: IsoDate | null }>> => {
    await expireProxies();
    const customer = await db.select().from(customers).where(eq(customers.id, customerId)).get();
    if (!customer) return fail("not_found", "customer.not_found");
    const target = await db
      .select({ active: users.active, role: users.role })
      .from(users)
      .where(eq(users.id, input.toUserId))
      .get();
    const openProxy = await db
      .select()
      .from(ownershipChanges)
      .where(
        and(
          eq(ownershipChanges.customerId, customerId),
          eq(ownershipChanges.mode, "proxy"),
          isNull(ownershipChanges.endedAt),
        ),
      )
      .get();
    const permanentOwner = openProxy?.fromUserId ?? customer.ownerId;
    const planned = planHandover({
      mode: input.mode,
      fromUserId: permanentOwner,
      toUserId: input.toUserId,
      toUserActive: Boolean(target?.active) && target?.role !== "finance",
      until: input.until ?? null,
      today: today(ctx),
      records: [{ customerId, ownerId: permanentOwner }],
    });
    if (!planned.ok) return planned;
    const at = nowIso();
    const statements: Statement[] = [];
    // A new handover replaces any proxy still running.
    if (openProxy)
      statements.push(
        db.update(ownershipChanges).set({ endedAt: at }).where(eq(ownershipChanges.id, openProxy.id)),
      );
    const change = {
      id: newId(),
      customerId,
      fromUserId: permanentOwner,
      toUserId: input.toUserId,
      mode: input.mode,
      startOn: today(ctx),
      until: input.mode === "proxy" ? (input.until ?? null) : null,
      endedAt: input.mode === "transfer" ? at : null,
      by: actor.id,
      createdAt: at,
    };
    statements.push(
      db.insert(ownershipChanges).values(change),
      db
        .update(customers)
        .set({ ownerId: input.toUserId, updatedAt: at })
        .where(eq(customers.id, customerId)),
      auditInsert(db, {
        actorId: actor.id,
        via: actor.via,
        action: `handover_${input.mode}`,
        entityType: "customer",
        entityId: customerId,
        before: { ownerId: customer.ownerId },
        after: {
          ownerId: input.toUserId,
          permanentOwnerId: input.mode === "proxy" ? permanentOwner : input.toUserId,
          until: change.until,
        },
      }),
    );
    await ctx.database.write((db) => runBatch(db, statements));
    return ok({ customerId, ownerId: input.toUserId, mode: input.mode, until: change.until });
  };

  /** Ends proxies whose last day has passed; returns how many customers went back. */
  const expireProxies = async (): Promise<number> => {
    const date = today(ctx);
    const due = await db
      .select({ change: ownershipChanges, ownerActive: users.active })
      .from(ownershipChanges)
      .innerJoin(users, eq(users.id, ownershipChanges.fromUserId))
      .where(
        and(
          eq(ownershipChanges.mode, "proxy"),
          isNull(ownershipChanges.endedAt),
          lt(ownershipChanges.until, date),
        ),
      );
    if (due.length === 0) return 0;
    const at = nowIso();
    const statements: Statement[] = [];
    for (const { change, ownerActive } of due) {
      statements.push(
        db.update(ownershipChanges).set({ endedAt: at }).where(eq(ownershipChanges.id, change.id)),
      );
      const backTo = ownerActive ? change.fromUserId : change.toUserId;
      statements.push(
        db
          .update(customers)
          .set({ ownerId: backTo, updatedAt: at })
          .where(and(eq(customers.id, change.customerId), eq(customers.ownerId, change.toUserId))),
        auditInsert(db, {
          actorId: null,
          via: "system",
          action: ownerActive ? "proxy_ended" : "proxy_kept_owner_inactive",
          entityType: "customer",
          entityId: change.customerId,
          before: { ownerId: change.toUserId },
          after: { ownerId: backTo },
        }),
      );
    }
    await ctx.database.write((db) => runBatch(db, statements));
    return due.length;
  };

  /** Customers a user owns now, plus those only lent out by proxy (they would come back). */
  const ownedCount = async (userId: string) => {
    const now = await db.$count(customers, eq(customers.ownerId, userId));
    const lent = await db.$count(
      ownershipChanges,
      and(
        eq(ownershipChanges.fromUserId, userId),
        eq(ownershipChanges.mode, "proxy"),
        isNull(ownershipChanges.endedAt),
      ),
    );
    return now + lent;
  };

  return { handover, expireProxies, ownedCount };
};

export type OwnershipService = ReturnType<typeof createOwnershipService>;
