/**
 * What every chat platform adapter speaks (ARCHITECTURE.md rule 2): it turns a platform
 * payload into an InboundMessage, hands it to the engine, and renders the replies.
 */
export type PlatformName = "slack" | "wecom" | "console" | "api";

export interface Attachment {
  kind: "image" | "file";
  bytes: Buffer;
  mime?: string;
  name?: string;
}

export interface InboundMessage {
  platform: PlatformName;
  /** Platform event id: a redelivery with the same id is answered once. */
  eventId: string;
  /** Our user id (the adapter resolved the platform identity). */
  userId: string;
  text?: string;
  /** A tapped button / picked option: the id of a choice the bot offered. */
  action?: { id: string };
  attachment?: Attachment;
  /** An admin trying flows as someone else: approval decisions are refused (CONTRACT.md). */
  impersonatedBy?: string;
}

export interface Choice {
  id: string;
  label: string;
}

/** One message of the bot: text, maybe choices, maybe a summary of fields (confirm step). */
export interface Reply {
  text: string;
  choices?: Choice[];
  /** Label/value pairs shown as a summary block (Slack section fields, WeCom lines). */
  summary?: { label: string; value: string }[];
  /** A confirmation prompt (confirm / edit / cancel): adapters may style it. */
  kind?: "text" | "choice" | "confirm";
}

export interface SessionInfo {
  flow: string | null;
  step: string | null;
  status: "active" | "completed" | "cancelled" | "idle";
}

export interface TurnResult {
  replies: Reply[];
  session: SessionInfo;
}

export interface ChatPlatform {
  name: "slack" | "wecom";
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): "on" | "off" | "error";
}
