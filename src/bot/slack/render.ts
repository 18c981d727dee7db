import type { types } from "@slack/bolt";
import type { Choice, Reply } from "../platform";

type KnownBlock = types.KnownBlock;
type Button = types.Button;
type T = (key: string, params?: Record<string, string | number | null | undefined>) => string;

/** Block Kit's limits (api.slack.com/reference/block-kit): a message past them is refused. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  buttons: 5,
  options: 100,
  optionText: 75,
  optionValue: 150,
  fallbackText: 3000,
} as const;

/** Every interactive element of ours has this action id prefix; the value carries the choice id. */
export const ACTION_PREFIX = "rm:";

const chars = (s: string) => Array.from(s);

/** Cut to `max` characters (not UTF-16 units: an emoji is never split in half). */
export const clip = (s: string, max: number): string => {
  const c = chars(s);
  return c.length <= max ? s : `${c.slice(0, max - 1).join("")}…`;
};

/** Slack's three control characters in mrkdwn. */
export const escapeMrkdwn = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Long text as pieces of at most `max` characters, broken at a line end where one is near. */
export const splitText = (text: string, max: number = LIMITS.sectionText): string[] => {
  const out: string[] = [];
  let rest = chars(text);
  while (rest.length > max) {
    const window = rest.slice(0, max).join("");
    const nl = window.lastIndexOf("\n");
    const cut = nl > max / 2 ? chars(window.slice(0, nl)).length + 1 : max;
    out.push(rest.slice(0, cut).join("").trimEnd());
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || out.length === 0) out.push(rest.join(""));
  return out.filter((p, i) => p.length > 0 || i === 0);
};

const section = (text: string): KnownBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: text.length > 0 ? text : " " },
});

const textBlocks = (text: string): KnownBlock[] =>
  splitText(escapeMrkdwn(text), LIMITS.sectionText).map(section);

const summaryBlocks = (summary: NonNullable<Reply["summary"]>): KnownBlock[] => {
  const out: KnownBlock[] = [];
  for (let i = 0; i < summary.length; i += LIMITS.fields) {
    const fields = summary.slice(i, i + LIMITS.fields).map((f) => ({
      type: "mrkdwn" as const,
      text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value || "—")}`, LIMITS.fieldText),
    }));
    out.push({ type: "section", fields });
  }
  return out;
};

const styleFor = (c: Choice, i: number, kind: Reply["kind"]): Button["style"] => {
  if (c.id.startsWith("approval:approve:")) return "primary";
  if (c.id.startsWith("approval:reject:")) return "danger";
  return kind === "confirm" && i === 0 ? "primary" : undefined;
};

const button = (c: Choice, i: number, kind: Reply["kind"]): Button => {
  const style = styleFor(c, i, kind);
  return {
    type: "button",
    action_id: `${ACTION_PREFIX}${i}`,
    text: { type: "plain_text", text: clip(c.label || c.id, LIMITS.buttonText), emoji: true },
    value: c.id,
    ...(style ? { style } : {}),
  };
};

const select = (choices: Choice[], t: T): types.StaticSelect => ({
  type: "static_select",
  action_id: `${ACTION_PREFIX}select`,
  placeholder: { type: "plain_text", text: clip(t("slack.pick_placeholder"), LIMITS.optionText) },
  options: choices
    .filter((c) => c.id.length <= LIMITS.optionValue)
    .slice(0, LIMITS.options)
    .map((c) => ({
      text: { type: "plain_text" as const, text: clip(c.label || c.id, LIMITS.optionText), emoji: true },
      value: c.id,
    })),
});

/** Confirm, edit, cancel: the confirm step's own answers stay buttons whatever else is offered. */
const CONFIRM_BUTTONS = 3;

/** Buttons (≤ 5), else one static select; a confirm step keeps its buttons and adds the select. */
const controls = (choices: Choice[], kind: Reply["kind"], t: T): KnownBlock => {
  if (choices.length <= LIMITS.buttons)
    return { type: "actions", elements: choices.map((c, i) => button(c, i, kind)) };
  if (kind === "confirm")
    return {
      type: "actions",
      elements: [
        ...choices.slice(0, CONFIRM_BUTTONS).map((c, i) => button(c, i, kind)),
        select(choices.slice(CONFIRM_BUTTONS), t),
      ],
    };
  return { type: "actions", elements: [select(choices, t)] };
};

/** Choices whose id fits in a button value (a select drops the ones past an option value). */
const usable = (choices: Choice[]) =>
  choices.filter((c) => c.id.length > 0 && c.id.length <= LIMITS.buttonValue);

/**
 * One reply as a Slack message: its text in sections of at most 3,000 characters, the
 * summary as fields, choices as buttons (≤ 5) or one static select (more), never past
 * 50 blocks — the text gives way first, the controls never.
 */
export const renderReply = (reply: Reply, t: T): { text: string; blocks: KnownBlock[] } => {
  const choices = usable(reply.choices ?? []);
  const tail: KnownBlock[] = [
    ...(reply.summary?.length ? summaryBlocks(reply.summary) : []),
    ...(choices.length === 0 ? [] : [controls(choices, reply.kind, t)]),
  ].slice(-(LIMITS.blocks - 1));
  let head = textBlocks(reply.text);
  const room = LIMITS.blocks - tail.length;
  if (head.length > room)
    head = [...head.slice(0, Math.max(0, room - 1)), section(escapeMrkdwn(t("slack.truncated")))];
  return { text: clip(reply.text || " ", LIMITS.fallbackText), blocks: [...head, ...tail] };
};

/** What a decision did to a card, as the event reported it. */
export interface CardOutcome {
  subjectStatus: "pending" | "approved" | "rejected" | "cancelled";
  decidedByName: string;
  decidedAt: string;
  reason: string | null;
}

const money = (v: unknown) => (typeof v === "number" ? v.toFixed(2) : String(v ?? ""));
const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

const outcomeKey: Record<CardOutcome["subjectStatus"], string> = {
  pending: "slack.card_forwarded",
  approved: "slack.card_approved",
  rejected: "slack.card_rejected",
  cancelled: "slack.card_cancelled",
};

/** An approval card after the decision: the request in one line, the outcome, no buttons. */
export const renderDecidedCard = (
  card: Record<string, unknown>,
  outcome: CardOutcome,
  t: T,
  at: string,
): Reply => ({
  text: [
    t("slack.card_summary", {
      requester: str(card.requesterName),
      kind: t(`kind.${str(card.kind)}`),
      ref: str(card.ref),
      category: t(`category.${str(card.category)}`),
      amount: money(card.amountCny),
      date: str(card.date),
      description: str(card.description),
    }).trimEnd(),
    t(outcomeKey[outcome.subjectStatus], { by: outcome.decidedByName, at, reason: outcome.reason ?? "" }),
  ].join("\n"),
});
