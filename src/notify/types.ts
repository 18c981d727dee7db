import type { outbox } from "../db/schema";

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxChannel = OutboxRow["channel"];

/** What a channel answers for one send. */
export type SendResult =
  | { ok: true; providerRef?: Record<string, string> }
  | {
      ok: false;
      /** Worth another try (4xx SMTP, 5xx HTTP, timeouts, 429). */
      retryable: boolean;
      /** The receiver said when to come back (Retry-After). */
      retryAfterMs?: number;
      /** The address itself is wrong: suppress, don't retry. */
      invalidAddress?: boolean;
      error: string;
    };

/** Every way out of the process implements this; the outbox owns retries and pacing. */
export interface Channel {
  name: OutboxChannel;
  send(row: OutboxRow): Promise<SendResult>;
}

/** A message to queue; becomes an outbox row (CONTRACT.md's fields). */
export interface OutboxMessage {
  channel: OutboxChannel;
  recipientType: "user" | "customer";
  recipientId: string;
  template: string;
  locale: string;
  data: Record<string, unknown>;
  /** `<purpose>:<subjectId>:<date or episode>[:<slot or level>]:<channel>:<recipientId>` */
  dedupeKey: string;
  notBefore?: Date;
  expiresAt?: Date | null;
  address?: string | null;
}
