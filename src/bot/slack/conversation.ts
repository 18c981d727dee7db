import type { Locale } from "../../conversations/messages";
import { translator } from "../../conversations/messages";
import { detectCommand } from "../../conversations/understand/commands";
import { enqueueManyStatements } from "../../notify/enqueue";
import type { OutboxMessage } from "../../notify/types";
import type { Attachment, Reply } from "../platform";
import type { SlackFile } from "./parse";
import type { SlackRuntime } from "./runtime";

/** Who wrote: one of our users, or a stranger (with the language Slack reports for them). */
export type Sender =
  | { known: true; userId: string; locale: Locale; address: string | null }
  | { known: false; recipientId: string; locale: Locale; slackUser: string };

const slackLocale = (l: unknown): Locale =>
  typeof l === "string" && l.toLowerCase().startsWith("en") ? "en" : "zh-CN";

/**
 * By Slack id (on the user or remembered), else once by e-mail (`users.info`, scope
 * `users:read.email`) and then remembered. A DM channel seen here becomes the user's address.
 */
export const resolveSender = async (
  rt: SlackRuntime,
  slackUser: string,
  dm: string | null,
): Promise<Sender> => {
  const identity = rt.deps.services.identity;
  let who = await identity.resolve("slack", slackUser);
  let locale: Locale = "zh-CN";
  if (!who) {
    const info = await rt.web.users.info({ user: slackUser, include_locale: true }).catch((err: unknown) => {
      rt.deps.log.warn({ err, slackUser }, "slack users.info failed");
      return null;
    });
    locale = slackLocale(info?.user?.locale);
    const email = info?.user?.profile?.email;
    if (email) who = await identity.byEmail("slack", slackUser, email);
  }
  if (!who) return { known: false, recipientId: `slack:${slackUser}`, locale, slackUser };
  if (dm && who.address !== dm) {
    if (who.address === null) await identity.link("slack", slackUser, who.userId, "slack_dm", dm);
    else await identity.setAddress("slack", slackUser, dm);
  }
  return { known: true, userId: who.userId, locale: who.locale, address: dm ?? who.address };
};

const recipientOf = (s: Sender) => (s.known ? s.userId : s.recipientId);

/** Replies to queue for the sender (rule 4: a row first, then the send), keyed by the event. */
export const replyRows = (
  sender: Sender,
  address: string | null,
  eventId: string,
  replies: Reply[],
  extra: Record<string, unknown> = {},
): OutboxMessage[] =>
  replies.map((reply, i) => ({
    channel: "slack",
    recipientType: "user",
    recipientId: recipientOf(sender),
    template: "chat_reply",
    locale: sender.locale,
    data: { ...reply, ...extra },
    dedupeKey: `reply:${eventId}:${i}:slack:${recipientOf(sender)}`,
    address,
  }));

/** A note only the clicker sees (a stale card, a second click, someone not entitled). */
export const ephemeral = (
  rt: SlackRuntime,
  sender: Sender,
  slackUser: string,
  channel: string,
  key: string,
  text: string,
) =>
  rt.deps.outbox().enqueue(
    replyRows(sender, channel, `ephemeral:${key}`, [{ text }], {
      slack: { mode: "ephemeral", user: slackUser },
    }),
  );

const MAX_FILE_MB = 20;

/** Only Slack's own file hosts (or the configured API host, for tests) get the bot token. */
const mayDownload = (url: string, apiUrl?: string) => {
  try {
    const u = new URL(url);
    if (u.protocol === "https:" && (u.hostname === "slack.com" || u.hostname.endsWith(".slack.com")))
      return true;
    return apiUrl !== undefined && u.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
};

/** A file shared in the DM, fetched with the bot token (files:read). */
export const download = async (rt: SlackRuntime, f: SlackFile): Promise<Attachment | "too_large" | null> => {
  if (f.size && f.size > MAX_FILE_MB * 1024 * 1024) return "too_large";
  if (!mayDownload(f.url, rt.apiUrl)) return null;
  try {
    const res = await fetch(f.url, {
      headers: { authorization: `Bearer ${rt.botToken}` },
      signal: AbortSignal.timeout(20_000),
    });
    if (!res.ok) return null;
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_FILE_MB * 1024 * 1024) return "too_large";
    const mime = f.mimetype ?? res.headers.get("content-type") ?? undefined;
    return { kind: mime?.startsWith("image/") ? "image" : "file", bytes, mime, name: f.name };
  } catch (err) {
    rt.deps.log.warn({ err, fileId: f.id }, "slack file download failed");
    return null;
  }
};

export interface Incoming {
  slackUser: string;
  /** The DM channel the message came from, when it is one. */
  dm: string | null;
  eventId: string;
  text?: string;
  action?: { id: string };
  file?: SlackFile | null;
}

/** A stranger may only link themself with a bind code; anything else gets "ask your admin". */
const stranger = async (rt: SlackRuntime, s: Sender & { known: false }, m: Incoming): Promise<Reply[]> => {
  const t = translator(s.locale);
  const cmd = m.text ? detectCommand(m.text) : null;
  if (cmd?.intent !== "bind" || !cmd.bindCode) return [{ text: t("common.unknown_user") }];
  const linked = await rt.deps.services.identity.bind("slack", m.slackUser, cmd.bindCode);
  return [{ text: linked ? translator(linked.locale)("bind.ok", { name: linked.name }) : t("bind.bad") }];
};

/** One user turn, after the previous one of the same user: who, the file, the engine, the replies. */
export const converse = (rt: SlackRuntime, m: Incoming) => rt.inOrder(m.slackUser, () => turn(rt, m));

const turn = async (rt: SlackRuntime, m: Incoming) => {
  const sender = await resolveSender(rt, m.slackUser, m.dm);
  const address = sender.known ? sender.address : (m.dm ?? m.slackUser);
  const enqueue = (replies: Reply[]) =>
    rt.deps.outbox().enqueue(replyRows(sender, address, m.eventId, replies));
  if (!sender.known) return enqueue(await stranger(rt, sender, m));
  let attachment: Attachment | undefined;
  if (m.file) {
    const got = await download(rt, m.file);
    const t = translator(sender.locale);
    if (got === "too_large") return enqueue([{ text: t("slack.file_too_large", { mb: MAX_FILE_MB }) }]);
    if (!got) return enqueue([{ text: t("slack.file_failed") }]);
    attachment = got;
  }
  // The replies are queued in the transaction that stores the turn's answer.
  let queued = false;
  const result = await rt.deps.engine.handle(
    {
      platform: "slack",
      eventId: m.eventId,
      userId: sender.userId,
      ...(m.text ? { text: m.text } : {}),
      ...(m.action ? { action: m.action } : {}),
      ...(attachment ? { attachment } : {}),
    },
    (answer) => {
      queued = true;
      return enqueueManyStatements(
        replyRows(sender, address, m.eventId, answer.replies),
        rt.deps.services.now(),
      );
    },
  );
  if (queued) rt.deps.outbox().kick();
  else await enqueue(result.replies);
};
