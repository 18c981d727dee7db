import { parse as parseQuery } from "node:querystring";
import { z } from "zod";

/** A request body as Slack sends it: JSON (events), `payload=<json>` (interactions), form fields (commands). */
export const parseBody = (raw: string, contentType: string | undefined): Record<string, unknown> => {
  if ((contentType ?? "").includes("application/x-www-form-urlencoded")) {
    const form = parseQuery(raw);
    if (typeof form.payload === "string") return asRecord(JSON.parse(form.payload));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(form)) out[k] = Array.isArray(v) ? v[0] : v;
    return out;
  }
  return asRecord(JSON.parse(raw));
};

const asRecord = (v: unknown): Record<string, unknown> => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("body is not an object");
  return v as Record<string, unknown>;
};

const user = z.object({ id: z.string() }).passthrough();
const object = z.object({}).passthrough();
/** The parts of each payload Bolt reads before any listener runs (it throws on them otherwise). */
const SHAPES: Record<string, z.ZodType> = {
  event_callback: z.object({ event: z.object({ type: z.string() }).passthrough() }).passthrough(),
  block_actions: z.object({ user, actions: z.array(object).optional() }).passthrough(),
  view_submission: z.object({ user, view: object }).passthrough(),
  view_closed: z.object({ user, view: object }).passthrough(),
  shortcut: z.object({ user }).passthrough(),
  message_action: z.object({ user }).passthrough(),
};

/**
 * Whether a signed body has the shape Bolt needs: Slack never sends these broken, and one
 * that is would make Bolt throw before acknowledging — a 500 Slack then redelivers for ever.
 * Slash commands (form fields, no `type`) need their user and command.
 */
export const wellFormed = (body: Record<string, unknown>): boolean => {
  if (typeof body.type !== "string")
    return typeof body.command !== "string" || typeof body.user_id === "string";
  const shape = SHAPES[body.type];
  return shape === undefined || shape.safeParse(body).success;
};

/** The header value as Bolt wants it: a number, or undefined when absent or not numeric. */
export const retryNumOf = (header: string | undefined): number | undefined => {
  if (header === undefined || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header);
};

/**
 * `/visit 协和 王主任` → `visit 协和 王主任`: the English command word, which the engine
 * understands whatever the user's language (CONTRACT.md "Chat commands").
 */
const SLASH: Record<string, string> = {
  "/visit": "visit",
  "/stock": "stock",
  "/expense": "expense",
  "/plan": "plan",
};
export const slashCommands = Object.keys(SLASH);
export const slashToText = (command: string, args: string): string | null => {
  const word = SLASH[command.trim().toLowerCase()];
  return word ? `${word} ${args.trim()}`.trim() : null;
};

export interface SlackFile {
  id: string;
  name?: string;
  mimetype?: string;
  size?: number;
  url: string;
}

export interface DirectMessage {
  user: string;
  channel: string;
  text: string;
  ts: string;
  file: SlackFile | null;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

const fileOf = (files: unknown): SlackFile | null => {
  const f = Array.isArray(files) ? asMaybeRecord(files[0]) : null;
  const url = f && (str(f.url_private_download) ?? str(f.url_private));
  if (!f || !url) return null;
  return {
    id: str(f.id) ?? "",
    name: str(f.name),
    mimetype: str(f.mimetype),
    size: typeof f.size === "number" ? f.size : undefined,
    url,
  };
};

const asMaybeRecord = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/**
 * A user's message in their DM with the bot, or null for what the bot must not answer:
 * other channels, bots (itself included), edits, deletions and joins. A shared file is kept.
 */
export const directMessage = (event: Record<string, unknown>): DirectMessage | null => {
  if (event.type !== "message" || event.channel_type !== "im") return null;
  if (event.bot_id || event.subtype === "bot_message") return null;
  if (event.subtype !== undefined && event.subtype !== "file_share") return null;
  const user = str(event.user);
  const channel = str(event.channel);
  const ts = str(event.ts);
  if (!user || !channel || !ts) return null;
  const file = event.subtype === "file_share" ? fileOf(event.files) : null;
  return { user, channel, ts, text: unescapeSlack(str(event.text) ?? ""), file };
};

/** Slack escapes &, < and > in message text; the engine wants what the user typed. */
export const unescapeSlack = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The choice id a tapped button or a picked option carries. */
export const actionValue = (action: Record<string, unknown>): string | null => {
  const picked = asMaybeRecord(action.selected_option);
  return str(action.value) ?? (picked ? (str(picked.value) ?? null) : null);
};

/** `approval:approve:<id>` / `approval:reject:<id>` on a card. */
export const approvalAction = (
  value: string,
): { decision: "approve" | "reject"; approvalId: string } | null => {
  const m = /^approval:(approve|reject):(.+)$/.exec(value);
  return m ? { decision: m[1] as "approve" | "reject", approvalId: m[2] } : null;
};

/** What the reject modal must remember between opening and submission. */
export interface RejectContext {
  approvalId: string;
  channel: string;
  locale: "zh-CN" | "en";
}

export const encodeRejectContext = (c: RejectContext) => JSON.stringify(c);

export const decodeRejectContext = (s: string | undefined): RejectContext | null => {
  try {
    const v = asMaybeRecord(JSON.parse(s ?? ""));
    if (!v || typeof v.approvalId !== "string" || typeof v.channel !== "string") return null;
    return { approvalId: v.approvalId, channel: v.channel, locale: v.locale === "en" ? "en" : "zh-CN" };
  } catch {
    return null;
  }
};
