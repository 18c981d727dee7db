import type { OutboxChannel } from "./types";

/** The chat platforms configured in this deployment (credentials set). */
export type ChatPlatforms = ReadonlySet<"slack" | "wecom">;

/**
 * Where a user's chat messages go: the platform they are known on, when it is configured;
 * else `console` (read by `npm run chat` and `POST /api/chat`). Never dropped for lack of one.
 */
export const userChannel = (
  user: { slackUserId: string | null; wecomUserId: string | null },
  platforms: ChatPlatforms,
): OutboxChannel => {
  if (user.slackUserId && platforms.has("slack")) return "slack";
  if (user.wecomUserId && platforms.has("wecom")) return "wecom";
  return "console";
};
