import { and, eq } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { redeemBindCode } from "../db/repos/bind-codes";
import { chatIdentities, users } from "../db/schema";
import type { ServiceContext } from "./context";

export type ChatPlatformName = "slack" | "wecom";

/**
 * Who a platform id is (see `resolve`), by platform: the user whose own column holds the id
 * (`d`), and the remembered identity (`ci`) with its user (`k`). Both unique; `(select 1)`
 * keeps the row when neither is found.
 */
const resolveSql = (column: string) => `select
  d."id" as "d_id", d."name" as "d_name", d."locale" as "d_locale",
  k."id" as "k_id", k."name" as "k_name", k."locale" as "k_locale",
  ci."address" as "ci_address"
from (select 1) as "one"
left join "users" d on d."${column}" = ? and d."active" = 1
left join "chat_identities" ci on ci."platform" = ? and ci."external_id" = ?
left join "users" k on k."id" = ci."user_id" and k."active" = 1`;
const RESOLVE_SQL: Record<ChatPlatformName, string> = {
  slack: resolveSql(users.slackUserId.name),
  wecom: resolveSql(users.wecomUserId.name),
};

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
  const resolve = async (platform: ChatPlatformName, externalId: string): Promise<ChatIdentity | null> => {
    // Every chat turn starts here: the user by the platform id stored on them, else by a
    // remembered identity, and where to reach them — one read.
    const { rows } = await ctx.database.client.execute({
      sql: RESOLVE_SQL[platform],
      args: [externalId, platform, externalId],
    });
    const r = rows[0];
    const [id, name, locale] =
      r.d_id !== null ? [r.d_id, r.d_name, r.d_locale] : [r.k_id, r.k_name, r.k_locale];
    return id === null
      ? null
      : {
          userId: id as string,
          name: name as string,
          locale: locale as ChatIdentity["locale"],
          address: (r.ci_address as string | null) ?? null,
        };
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
