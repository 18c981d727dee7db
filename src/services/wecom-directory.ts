import { and, eq } from "drizzle-orm";
import { users } from "../db/schema";
import type { ServiceContext } from "./context";

/**
 * Where to reach one of our users on WeCom: the contact id the puppet reports, stored on the
 * user (`wecomUserId`, also set by `绑定 <code>`). Notifications queued by other areas carry
 * no address, so the WeCom channel asks here at send time.
 */
export const createWecomDirectory = (ctx: Pick<ServiceContext, "database">) => {
  const addressOf = async (userId: string): Promise<string | null> => {
    const row = await ctx.database.db
      .select({ wecomUserId: users.wecomUserId })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.active, true)))
      .get();
    return row?.wecomUserId ?? null;
  };
  return { addressOf };
};

export type WecomDirectory = ReturnType<typeof createWecomDirectory>;
