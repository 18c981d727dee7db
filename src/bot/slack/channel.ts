import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import { type Locale, translator } from "../../conversations/messages";
import { renderChat } from "../../notify/templates";
import type { Channel, OutboxRow, SendResult } from "../../notify/types";
import type { ChatCardService } from "../../services/chat-cards";
import { createPacer } from "./pacing";
import { renderReply } from "./render";
import { sendFailure } from "./web";

/** How a row reaches Slack: a new message (default), an ephemeral note, or an edit of a card. */
export type Delivery =
  | { mode: "post" }
  | { mode: "ephemeral"; user: string }
  | { mode: "update"; ts: string };

export const deliveryOf = (data: Record<string, unknown>): Delivery => {
  const d = data.slack;
  if (d && typeof d === "object") {
    const v = d as Record<string, unknown>;
    if (v.mode === "ephemeral" && typeof v.user === "string") return { mode: "ephemeral", user: v.user };
    if (v.mode === "update" && typeof v.ts === "string") return { mode: "update", ts: v.ts };
  }
  return { mode: "post" };
};

/** What a card's messageRef holds: enough to edit it later without asking Slack. */
export interface CardRef {
  ts: string;
  approvalId: string;
  userId: string;
  locale: string;
  data: Record<string, unknown>;
}

export const parseCardRef = (s: string): CardRef | null => {
  try {
    const v = JSON.parse(s) as Partial<CardRef>;
    return typeof v.ts === "string" && typeof v.approvalId === "string" && typeof v.userId === "string"
      ? {
          ts: v.ts,
          approvalId: v.approvalId,
          userId: v.userId,
          locale: v.locale ?? "zh-CN",
          data: v.data ?? {},
        }
      : null;
  } catch {
    return null;
  }
};

export interface SlackChannelOptions {
  web: WebClient;
  cards: ChatCardService;
  log: Logger;
  /** Slack allows about one message per second per channel (DOMAIN.md §7)… */
  minGapMs: number;
  /** …with short bursts: this many may go at once before the gap applies (default 3). */
  burst?: number;
}

/**
 * The outbox's way out to Slack (rule 4): renders the row, holds a channel to one post per
 * minGapMs after a short burst, and answers the outbox in its terms (retry, wait, wrong address) — it never
 * retries by itself. An approval card it posts is recorded so decisions can edit it.
 */
export const createSlackChannel = (o: SlackChannelOptions): Channel => {
  const pacer = createPacer({ gapMs: o.minGapMs, burst: o.burst ?? 3 });
  // The slot is reserved at once, so a channel's messages keep their order while they wait.
  const pace = (channel: string): Promise<void> | undefined => {
    const wait = pacer.reserve(channel);
    return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : undefined;
  };

  const recordCard = async (row: OutboxRow, channel: string, ts: string) => {
    const d = row.data;
    if (
      row.template !== "approval_request" ||
      typeof d.approvalId !== "string" ||
      typeof d.expenseId !== "string"
    )
      return;
    const ref: CardRef = {
      ts,
      approvalId: d.approvalId,
      userId: row.recipientId,
      locale: row.locale,
      data: d,
    };
    // The message is out: failing to remember it must not send it twice.
    await o.cards
      .recordCard("slack", "expense", d.expenseId, channel, JSON.stringify(ref))
      .catch((err) => o.log.error({ err, outboxId: row.id }, "slack card not recorded"));
  };

  /** The expense of a card edit made while its chain was still pending, else null. */
  const stepEditOf = (d: Record<string, unknown>): string | null => {
    const outcome = d.outcome as { subjectStatus?: unknown } | undefined;
    const card = d.card as { expenseId?: unknown } | undefined;
    return outcome?.subjectStatus === "pending" && typeof card?.expenseId === "string"
      ? card.expenseId
      : null;
  };

  const send = async (row: OutboxRow): Promise<SendResult> => {
    const channel = row.address ?? (await o.cards.slackAddressOf(row.recipientId));
    if (!channel) return { ok: false, retryable: false, invalidAddress: true, error: "no slack address" };
    const t = translator((row.locale === "en" ? "en" : "zh-CN") as Locale);
    const { text, blocks } = renderReply(renderChat(row.template, row.locale, row.data), t);
    const delivery = deliveryOf(row.data);
    // A card still queued when the request got decided elsewhere would show stale buttons.
    if (
      row.template === "approval_request" &&
      typeof row.data.approvalId === "string" &&
      !(await o.cards.stillPending(row.data.approvalId))
    )
      return { ok: true, providerRef: { skipped: "decided before the card went out" } };
    // An edit for a step of the chain ("moved to the next approver") held back, e.g. by a
    // 429, must not land after the final outcome's edit: once final, only final edits go.
    if (
      row.template === "approval_card" &&
      stepEditOf(row.data) &&
      !(await o.cards.subjectPending(stepEditOf(row.data)!))
    )
      return { ok: true, providerRef: { skipped: "superseded by the request's final outcome" } };
    await pace(channel);
    try {
      if (delivery.mode === "update") {
        await o.web.chat.update({ channel, ts: delivery.ts, text, blocks });
        return { ok: true, providerRef: { channel, ts: delivery.ts } };
      }
      if (delivery.mode === "ephemeral") {
        await o.web.chat.postEphemeral({ channel, user: delivery.user, text, blocks });
        return { ok: true, providerRef: { channel } };
      }
      const posted = await o.web.chat.postMessage({
        channel,
        text,
        blocks,
        // The outbox id travels with the message: a resend after a crash can be recognised.
        metadata: { event_type: "repmate_outbox", event_payload: { outbox_id: row.id } },
      });
      const ts = posted.ts ?? "";
      const at = posted.channel ?? channel;
      await recordCard(row, at, ts);
      return { ok: true, providerRef: { channel: at, ts } };
    } catch (e) {
      return sendFailure(e);
    }
  };

  return { name: "slack", send };
};
