import type { types } from "@slack/bolt";
import { hasMessage, type Locale, translator } from "../../conversations/messages";
import { MAX_REASON_CHARS } from "../../domain/approvals/decision";
import { formatInstant } from "../../domain/dates";
import type { DomainError } from "../../domain/result";
import type { ApprovalDecidedEvent } from "../../lib/events";
import type { OutboxMessage } from "../../notify/types";
import { parseCardRef } from "./channel";
import { ephemeral, resolveSender, type Sender } from "./conversation";
import { decodeRejectContext, encodeRejectContext, type RejectContext } from "./parse";
import { clip } from "./render";
import type { SlackRuntime } from "./runtime";

export const REJECT_VIEW = "approval_reject";

/** A refused decision in the clicker's words: the service's own reason (by whom, when, why). */
const explain = (locale: Locale, e: DomainError) => {
  const t = translator(locale);
  return hasMessage(e.messageKey)
    ? t(e.messageKey, e.params ?? {})
    : t("slack.not_changed", { reason: e.code });
};

export interface CardClick {
  slackUser: string;
  channel: string;
  triggerId: string;
  actionTs: string;
  decision: "approve" | "reject";
  approvalId: string;
}

const rejectModal = (c: RejectContext): types.ModalView => {
  const t = translator(c.locale);
  return {
    type: "modal",
    callback_id: REJECT_VIEW,
    private_metadata: encodeRejectContext(c),
    title: { type: "plain_text", text: clip(t("slack.reject_title"), 24) },
    submit: { type: "plain_text", text: clip(t("slack.reject_submit"), 24) },
    close: { type: "plain_text", text: clip(t("slack.reject_close"), 24) },
    blocks: [
      { type: "section", text: { type: "plain_text", text: clip(t("slack.reject_intro"), 3000) } },
      {
        type: "input",
        block_id: "reason",
        label: { type: "plain_text", text: clip(t("slack.reason_label"), 2000) },
        element: {
          type: "plain_text_input",
          action_id: "reason",
          multiline: true,
          max_length: MAX_REASON_CHARS,
        },
      },
    ],
  };
};

/**
 * A tap on Approve decides at once; a tap on Reject asks for the reason first. Whatever the
 * service refuses (decided already, not yours, not your turn) comes back as an ephemeral note.
 */
export const cardClick = async (rt: SlackRuntime, c: CardClick) => {
  const sender = await resolveSender(rt, c.slackUser, null);
  const key = `${c.actionTs}:${c.slackUser}`;
  if (!sender.known)
    return ephemeral(
      rt,
      sender,
      c.slackUser,
      c.channel,
      key,
      translator(sender.locale)("common.unknown_user"),
    );
  if (c.decision === "reject") {
    const view = rejectModal({ approvalId: c.approvalId, channel: c.channel, locale: sender.locale });
    await rt.web.views.open({ trigger_id: c.triggerId, view });
    return;
  }
  await decideAndExplain(rt, sender, c.slackUser, c.channel, key, c.approvalId, { decision: "approve" });
};

const decideAndExplain = async (
  rt: SlackRuntime,
  sender: Sender & { known: true },
  slackUser: string,
  channel: string,
  key: string,
  approvalId: string,
  input: { decision: "approve" | "reject"; reason?: string },
) => {
  const r = await rt.approvals.decide(approvalId, input, { id: sender.userId, via: "slack" });
  if (!r.ok) await ephemeral(rt, sender, slackUser, channel, key, explain(sender.locale, r.error));
};

/** The modal's answer, before any work: an empty reason goes back in the acknowledgement. */
export const checkRejection = (metadata: string | undefined, reason: string) => {
  const ctx = decodeRejectContext(metadata);
  if (!ctx) return { ctx: null, errors: null };
  const t = translator(ctx.locale);
  // Errors shown in the modal keep what was typed (a refusal after it closed would lose it).
  if (reason.trim() === "")
    return { ctx, errors: { reason: t("slack.reason_required") } as Record<string, string> };
  if (reason.trim().length > MAX_REASON_CHARS)
    return {
      ctx,
      errors: { reason: t("approval.reason_too_long", { max: MAX_REASON_CHARS }) } as Record<string, string>,
    };
  return { ctx, errors: null };
};

export const submitRejection = async (
  rt: SlackRuntime,
  ctx: RejectContext,
  slackUser: string,
  reason: string,
  viewId: string,
) => {
  const sender = await resolveSender(rt, slackUser, null);
  const key = `view:${viewId}`;
  if (!sender.known)
    return ephemeral(
      rt,
      sender,
      slackUser,
      ctx.channel,
      key,
      translator(sender.locale)("common.unknown_user"),
    );
  await decideAndExplain(rt, sender, slackUser, ctx.channel, key, ctx.approvalId, {
    decision: "reject",
    reason: reason.trim(),
  });
};

const shortTime = (iso: string, timeZone: string) =>
  formatInstant(new Date(iso), timeZone).slice(0, 16).replace("T", " ");

/**
 * A decision taken anywhere (Slack, WeCom, the API, the console) edits every Slack card of
 * the request: the decided level's cards while the chain moves on, all of them once it is
 * final. The edits are outbox rows too; the requester's notice is the approvals service's.
 */
export const cardUpdates = async (rt: SlackRuntime, ev: ApprovalDecidedEvent): Promise<OutboxMessage[]> => {
  const cards = await rt.cards.cardsFor(ev.subjectType, ev.subjectId, "slack");
  const final = ev.subjectStatus !== "pending";
  const at = shortTime(ev.decidedAt, rt.deps.config.timeZone);
  return cards.flatMap((card) => {
    const ref = parseCardRef(card.messageRef);
    if (!ref || (!final && ref.approvalId !== ev.approvalId)) return [];
    return [
      {
        channel: "slack" as const,
        recipientType: "user" as const,
        recipientId: ref.userId,
        template: "approval_card",
        locale: ref.locale,
        data: {
          card: ref.data,
          outcome: {
            subjectStatus: ev.subjectStatus,
            decidedByName: ev.decidedByName,
            decidedAt: ev.decidedAt,
            reason: ev.reason,
          },
          at,
          slack: { mode: "update", ts: ref.ts },
        },
        dedupeKey: `card:${card.id}:${ev.approvalId}:${ev.subjectStatus}:slack:${ref.userId}`,
        address: card.address,
      },
    ];
  });
};
