import { and, eq } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { redeemBindCode } from "../db/repos/bind-codes";
import { chatIdentities, users } from "../db/schema";
import type { ServiceContext } from "./context";

export type ChatPlatformName = "slack" | "wecom";

export interface ChatIdentity {
  userId: string;
  name: string;
  locale: "zh-CN" | "en";
  address: string | null;
}

/**
 * Who a platform user is: by the id stored on the user (`slackUserId`/`wecomUserId`), by a
 * remembered identity, once by email (Slack), or by a one-time bind code (`绑定 <code>`).
 */
export const createIdentityService = (ctx: ServiceContext) => {
  const { db } = ctx.database;
  const column = (p: ChatPlatformName) => (p === "slack" ? users.slackUserId : users.wecomUserId);

  const resolve = async (platform: ChatPlatformName, externalId: string): Promise<ChatIdentity | null> => {
    // Every chat turn starts here: only the columns the answer needs.
    const who = { id: users.id, name: users.name, locale: users.locale };
    const direct = await db
      .select(who)
      .from(users)
      .where(and(eq(column(platform), externalId), eq(users.active, true)))
      .get();
    const known = await db
      .select({ userId: chatIdentities.userId, address: chatIdentities.address })
      .from(chatIdentities)
      .where(and(eq(chatIdentities.platform, platform), eq(chatIdentities.externalId, externalId)))
      .get();
    const user =
      direct ??
      (known
        ? await db
            .select(who)
            .from(users)
            .where(and(eq(users.id, known.userId), eq(users.active, true)))
            .get()
        : undefined);
    return user
      ? { userId: user.id, name: user.name, locale: user.locale, address: known?.address ?? null }
      : null;
  };

  /** Links a platform id to a user (first match by email, or a bind code); remembered for next time. */
  const link = async (
    platform: ChatPlatformName,
    externalId: string,
    userId: string,
    how: string,
    address: string | null = null,
  ) => {
    const at = nowIso();
    await ctx.database.write((db) =>
      runBatch(db, [
        db
          .insert(chatIdentities)
          .values({ id: newId(), userId, platform, externalId, address, createdAt: at })
          .onConflictDoUpdate({
            target: [chatIdentities.platform, chatIdentities.externalId],
            set: { userId, address },
          }),
        db
          .update(users)
          .set(
            platform === "slack"
              ? { slackUserId: externalId, updatedAt: at }
              : { wecomUserId: externalId, updatedAt: at },
          )
          .where(eq(users.id, userId)),
        auditInsert(db, {
          actorId: userId,
          via: platform,
          action: `link_${how}`,
          entityType: "user",
          entityId: userId,
          after: { platform },
        }),
      ]),
    );
    return resolve(platform, externalId);
  };

  const byEmail = async (platform: ChatPlatformName, externalId: string, email: string) => {
    const user = await db
      .select()
      .from(users)
      .where(and(eq(users.email, email.trim().toLowerCase()), eq(users.active, true)))
      .get();
    if (!user || (platform === "slack" ? user.slackUserId : user.wecomUserId)) return null;
    return link(platform, externalId, user.id, "email");
  };

  const bind = async (platform: ChatPlatformName, externalId: string, code: string) => {
    const userId = await redeemBindCode(ctx.database, code);
    return userId ? link(platform, externalId, userId, "bind_code") : null;
  };

  /** Remembers where to reach a user (the Slack DM channel id). */
  const setAddress = async (platform: ChatPlatformName, externalId: string, address: string) => {
    await ctx.database.write((db) =>
      db
        .update(chatIdentities)
        .set({ address })
        .where(and(eq(chatIdentities.platform, platform), eq(chatIdentities.externalId, externalId))),
    );
  };

  return { resolve, byEmail, bind, setAddress, link };
};

export type IdentityService = ReturnType<typeof createIdentityService>;
