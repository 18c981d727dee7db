import type { WebClient } from "@slack/web-api";
import type { Result } from "../../domain/result";
import type { ChatCardService } from "../../services/chat-cards";
import type { PlatformDeps } from "../module";
import type { RecentIds } from "./recent-ids";

/** The one use case the adapter calls besides the engine: an approver's decision from a card. */
export interface Decider {
  decide(
    approvalId: string,
    input: { decision: "approve" | "reject"; reason?: string | null },
    actor: { id: string; via: "slack" },
  ): Promise<Result<unknown>>;
}

/** Everything the Slack listeners share. */
export interface SlackRuntime {
  deps: PlatformDeps;
  web: WebClient;
  cards: ChatCardService;
  approvals: Decider;
  seen: RecentIds;
  /** Runs one Slack user's deliveries in arrival order (the work happens after the ack). */
  inOrder: <T>(slackUser: string, work: () => Promise<T>) => Promise<T>;
  botToken: string;
  apiUrl?: string;
}
