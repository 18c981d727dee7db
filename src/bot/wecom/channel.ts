import type { Logger } from "pino";
import { type Locale, translator } from "../../conversations/messages";
import { renderChat } from "../../notify/templates";
import type { Channel, OutboxRow, SendResult } from "../../notify/types";
import type { WecomDirectory } from "../../services/wecom-directory";
import type { Pager } from "./pager";
import { renderReply, splitText } from "./render";

/** What the channel needs of the running bot. */
export interface WecomSender {
  loggedIn(): boolean;
  sendText(contactId: string, text: string): Promise<void>;
}

export interface WecomChannelOptions {
  sender: WecomSender;
  directory: WecomDirectory;
  pager: Pager;
  log: Logger;
}

/** While the bot is down, ask the outbox to come back later rather than spend attempts. */
const DOWN_RETRY_MS = 30_000;

/**
 * The outbox's way out to WeCom (rule 4). It renders a row as plain text, sends it in pieces
 * of at most ~2,000 characters in order, and answers in the outbox's terms: a bot that is
 * down or a send that fails is retryable, a user with no WeCom id is a wrong address. The
 * per-member quota is the outbox's pacing (`outbox.pacing.wecom`), not enforced here.
 */
export const createWecomChannel = (o: WecomChannelOptions): Channel => {
  // Pieces of a multi-part row already delivered: a retry resumes instead of repeating them.
  const progress = new Map<string, number>();

  const remember = (row: OutboxRow, contactId: string, rendered: ReturnType<typeof renderReply>) => {
    if (row.data.wecomPage === true) return;
    if (rendered.choices.length > 0)
      o.pager.set(contactId, {
        choices: rendered.choices,
        shown: rendered.shown,
        origin: row.template === "chat_reply" ? "reply" : "notice",
        locale: row.locale,
      });
    // A reply without a list: numbers typed next belong to the conversation, not an old list.
    else if (row.template === "chat_reply") o.pager.clear(contactId);
  };

  const send = async (row: OutboxRow): Promise<SendResult> => {
    const contactId = row.address ?? (await o.directory.addressOf(row.recipientId));
    if (!contactId)
      return { ok: false, retryable: false, invalidAddress: true, error: "no wecom contact id" };
    if (!o.sender.loggedIn())
      return { ok: false, retryable: true, retryAfterMs: DOWN_RETRY_MS, error: "wecom bot not logged in" };
    const t = translator((row.locale === "en" ? "en" : "zh-CN") as Locale);
    const rendered = renderReply(renderChat(row.template, row.locale, row.data), t);
    const parts = splitText(rendered.text).filter((p) => p.trim().length > 0);
    let done = progress.get(row.id) ?? 0;
    try {
      for (; done < parts.length; done++) await o.sender.sendText(contactId, parts[done]);
    } catch (e) {
      if (done > 0) progress.set(row.id, done);
      const error = e instanceof Error ? e.message : String(e);
      o.log.warn({ outboxId: row.id, part: done, error }, "wecom send failed");
      return { ok: false, retryable: true, error };
    }
    progress.delete(row.id);
    remember(row, contactId, rendered);
    return { ok: true, providerRef: { contactId, parts: String(parts.length) } };
  };

  return { name: "wecom", send };
};
