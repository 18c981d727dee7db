import { and, asc, eq } from "drizzle-orm";
import { newId } from "../db/ids";
import { approvals, chatCards, chatIdentities, expenses, users } from "../db/schema";
import type { ServiceContext } from "./context";

export type CardRow = typeof chatCards.$inferSelect;
export type CardPlatform = "slack" | "wecom";

/**
 * Messages posted on a chat platform that must change later (approval cards): where they
 * are, so a decision taken anywhere can update every one of them (ARCHITECTURE.md rule 7).
 * `messageRef` is the platform's own reference, opaque here.
 */
export const createChatCardService = (ctx: Pick<ServiceContext, "database" | "now">) => {
  const { db } = ctx.database;

  const recordCard = async (
    platform: CardPlatform,
    subjectType: string,
    subjectId: string,
    address: string,
    messageRef: string,
  ) => {
    const row: CardRow = {
      id: newId(),
      platform,
      subjectType,
      subjectId,
      address,
      messageRef,
      createdAt: ctx.now().toISOString(),
    };
    await ctx.database.write((w) => w.insert(chatCards).values(row));
    return row;
  };

  /** Whether an approval still waits for a decision (a card for a decided one is not posted). */
  const stillPending = async (approvalId: string) =>
    (await db.select({ status: approvals.status }).from(approvals).where(eq(approvals.id, approvalId)).get())
      ?.status === "pending";

  /** Whether the expense is still under approval (a card edit for a step is then current). */
  const subjectPending = async (expenseId: string) =>
    (await db.select({ status: expenses.status }).from(expenses).where(eq(expenses.id, expenseId)).get())
      ?.status === "pending";

  const cardsFor = (subjectType: string, subjectId: string, platform?: CardPlatform): Promise<CardRow[]> =>
    db
      .select()
      .from(chatCards)
      .where(
        and(
          eq(chatCards.subjectType, subjectType),
          eq(chatCards.subjectId, subjectId),
          ...(platform ? [eq(chatCards.platform, platform)] : []),
        ),
      )
      .orderBy(asc(chatCards.createdAt), asc(chatCards.id));

  /**
   * Where to post to one of our users on Slack: the remembered DM channel, else their Slack
   * user id (chat.postMessage to a user id lands in the app's DM). Null when not on Slack.
   */
  const slackAddressOf = async (userId: string): Promise<string | null> => {
    const known = await db
      .select({ address: chatIdentities.address })
      .from(chatIdentities)
      .where(and(eq(chatIdentities.platform, "slack"), eq(chatIdentities.userId, userId)))
      .all();
    const address = known.find((k) => k.address)?.address;
    if (address) return address;
    const user = await db
      .select({ slackUserId: users.slackUserId })
      .from(users)
      .where(eq(users.id, userId))
      .get();
    return user?.slackUserId ?? null;
  };

  return { recordCard, cardsFor, slackAddressOf, stillPending, subjectPending };
};

export type ChatCardService = ReturnType<typeof createChatCardService>;
