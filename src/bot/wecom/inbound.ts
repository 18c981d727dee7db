import { type Locale, translator } from "../../conversations/messages";
import { detectCommand } from "../../conversations/understand/commands";
import { normalize } from "../../conversations/understand/normalize";
import { localDate } from "../../domain/dates";
import type { OutboxMessage } from "../../notify/types";
import type { PlatformDeps } from "../module";
import type { Attachment, InboundMessage, Reply } from "../platform";
import type { Pager } from "./pager";
import type { WecomIncoming } from "./parse";
import { renderPage } from "./render";
import { createStrangerGate } from "./strangers";

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MORE = /^(更多|more|下一页|next)$/i;

type Deps = Pick<PlatformDeps, "services" | "engine" | "log" | "outbox" | "config">;

/**
 * What a contact said → who they are → the engine → replies queued in the outbox (rule 4).
 * No business rule here: identity, flows and approvals are the services' and the engine's.
 */
export const createInbound = (deps: Deps, pager: Pager) => {
  const { services, engine, log } = deps;
  const strangers = createStrangerGate();
  const today = () => localDate(services.now(), deps.config.timeZone);

  /** Replies to one incoming message, each an outbox row keyed by the message id. */
  const queue = async (
    m: WecomIncoming,
    recipientId: string,
    locale: string,
    replies: Reply[],
    extra: Record<string, unknown> = {},
  ) => {
    const rows: OutboxMessage[] = replies.map((reply, i) => ({
      channel: "wecom",
      recipientType: "user",
      recipientId,
      template: "chat_reply",
      locale,
      data: { ...reply, ...extra },
      dedupeKey: `reply:${m.id}:${i}:wecom:${recipientId}`,
      address: m.contactId,
    }));
    await deps.outbox().enqueue(rows);
  };

  /** A contact we do not know: `绑定 <code>` links them; anything else gets one refusal a day. */
  const stranger = async (m: WecomIncoming) => {
    const zh = translator("zh-CN");
    const cmd = m.kind === "text" ? detectCommand(normalize(m.text)) : null;
    if (cmd?.intent === "bind" && cmd.bindCode && strangers.mayBind(m.contactId, today())) {
      const who = await services.identity.bind("wecom", m.contactId, cmd.bindCode);
      if (who)
        return queue(m, who.userId, who.locale, [
          { text: translator(who.locale)("bind.ok", { name: who.name }) },
        ]);
      return queue(m, m.contactId, "zh-CN", [{ text: zh("bind.bad") }]);
    }
    const day = today();
    if (!strangers.firstToday(m.contactId, day)) return;
    // The stranger's contact id stands in for a user id: no data of ours is attached.
    await deps.outbox().enqueue([
      {
        channel: "wecom",
        recipientType: "user",
        recipientId: m.contactId,
        template: "chat_reply",
        locale: "zh-CN",
        data: { text: zh("common.unknown_user") },
        dedupeKey: `refusal:${m.contactId}:${day}:wecom:${m.contactId}`,
        address: m.contactId,
      },
    ]);
  };

  /** "更多" under a list we paged: the next page, numbered on from the last one. */
  const nextPage = (m: WecomIncoming, userId: string, locale: string): Reply | null => {
    const c = pager.get(m.contactId);
    if (!c || !MORE.test(normalize(m.text))) return null;
    const t = translator(locale as Locale);
    if (c.shown >= c.choices.length) return { text: t("wecom.no_more") };
    const page = renderPage(c.choices, c.shown, t);
    pager.set(m.contactId, { ...c, shown: page.shown });
    log.debug({ userId, shown: page.shown }, "wecom page");
    return { text: page.text };
  };

  const attachmentOf = async (m: WecomIncoming, t: ReturnType<typeof translator>) => {
    if (!m.file) return { error: t("wecom.unsupported") };
    try {
      const a: Attachment = await m.file();
      if (a.bytes.length > MAX_FILE_BYTES) return { error: t("wecom.file_too_large", { mb: 10 }) };
      return { attachment: a };
    } catch (err) {
      log.warn({ err, messageId: m.id }, "wecom file not received");
      return { error: t("wecom.file_failed") };
    }
  };

  /** A known user's message, turned into the engine's InboundMessage. */
  const known = async (m: WecomIncoming, userId: string, locale: Locale) => {
    const t = translator(locale);
    const page = m.kind === "text" ? nextPage(m, userId, locale) : null;
    // Marked so the channel keeps the list's cursor instead of clearing it.
    if (page) return queue(m, userId, locale, [page], { wecomPage: true });
    const msg: InboundMessage = { platform: "wecom", eventId: m.id, userId };
    if (m.kind === "text") {
      const picked = pager.noticeChoice(m.contactId, normalize(m.text));
      if (picked) msg.action = { id: picked };
      else msg.text = m.text;
    } else {
      const got = await attachmentOf(m, t);
      if ("error" in got) return queue(m, userId, locale, [{ text: got.error ?? "" }]);
      msg.attachment = got.attachment;
    }
    const result = await engine.handle(msg);
    // "English" / "中文" changed the user's language: the hints under the replies follow it.
    const after =
      detectCommand(normalize(m.text))?.intent === "language"
        ? await services.identity.resolve("wecom", m.contactId)
        : null;
    await queue(m, userId, after?.locale ?? locale, result.replies);
  };

  const handleNow = async (m: WecomIncoming) => {
    try {
      const who = await services.identity.resolve("wecom", m.contactId);
      if (!who) return await stranger(m);
      await known(m, who.userId, who.locale);
    } catch (err) {
      // Caught here: a throw would reach Wechaty as an 'error' event and restart the bot.
      log.error({ err, messageId: m.id }, "wecom message failed");
    }
  };

  // One contact's messages are handled in the order they arrived, so their replies are too.
  const chains = new Map<string, Promise<void>>();
  const handle = (m: WecomIncoming): Promise<void> => {
    const turn = (chains.get(m.contactId) ?? Promise.resolve()).then(() => handleNow(m));
    chains.set(m.contactId, turn);
    void turn.then(() => {
      if (chains.get(m.contactId) === turn) chains.delete(m.contactId);
    });
    return turn;
  };

  return { handle };
};
