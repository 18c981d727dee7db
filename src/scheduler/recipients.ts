import { and, eq, inArray } from "drizzle-orm";
import { users } from "../db/schema";
import { userChannel } from "../notify/route-user";
import type { OutboxMessage } from "../notify/types";
import type { Services } from "../services";

export interface UserRecipient {
  id: string;
  name: string;
  role: string;
  managerId: string | null;
  locale: "zh-CN" | "en";
  channel: OutboxMessage["channel"];
}

/** Active users of some roles with where their chat messages go. */
export const activeUsers = async (
  services: Services,
  roles: ("rep" | "manager" | "finance" | "admin")[],
): Promise<UserRecipient[]> => {
  const rows = await services.database.db
    .select()
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, roles)))
    .orderBy(users.id);
  return rows.map((u) => ({
    id: u.id,
    name: u.name,
    role: u.role,
    managerId: u.managerId,
    locale: u.locale,
    channel: userChannel(u, services.chatPlatforms),
  }));
};

export const userRecipient = async (services: Services, id: string) => {
  const u = await services.database.db.select().from(users).where(eq(users.id, id)).get();
  return u
    ? {
        id: u.id,
        name: u.name,
        role: u.role,
        managerId: u.managerId,
        locale: u.locale,
        channel: userChannel(u, services.chatPlatforms),
      }
    : null;
};

/** A chat message to a user, keyed `<purpose>:<subject>:<date>[:<slot>]:<channel>:<userId>`. */
export const chatMessage = (
  to: Pick<UserRecipient, "id" | "locale" | "channel">,
  template: string,
  data: Record<string, unknown>,
  key: { purpose: string; subject: string; date: string; slot?: string },
): OutboxMessage => ({
  channel: to.channel,
  recipientType: "user",
  recipientId: to.id,
  template,
  locale: to.locale,
  data,
  dedupeKey: [key.purpose, key.subject, key.date, ...(key.slot ? [key.slot] : []), to.channel, to.id].join(
    ":",
  ),
});
