import type { App } from "@slack/bolt";
import { cardClick, checkRejection, REJECT_VIEW, submitRejection } from "./approvals";
import { converse } from "./conversation";
import { actionValue, approvalAction, directMessage, slashToText } from "./parse";
import { ACTION_PREFIX } from "./render";
import type { SlackRuntime } from "./runtime";

type Loose = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : "");
const rec = (v: unknown): Loose => (v && typeof v === "object" ? (v as Loose) : {});

/**
 * Slack's deliveries → our turns. Every listener acknowledges first (Bolt acks events itself
 * before calling it) and only then touches the database or the Web API.
 */
export const registerListeners = (app: App, rt: SlackRuntime) => {
  const log = rt.deps.log;

  app.event("message", async ({ event, body }) => {
    const eventId = str(rec(body).event_id);
    if (!rt.seen.firstTime(eventId)) return;
    const dm = directMessage(rec(event));
    if (!dm) return;
    await converse(rt, {
      slackUser: dm.user,
      dm: dm.channel,
      eventId: eventId || `${dm.channel}:${dm.ts}`,
      text: dm.text,
      file: dm.file,
    });
  });

  app.command(/^\/(visit|stock|expense|plan)$/, async ({ command, ack }) => {
    await ack();
    const text = slashToText(command.command, command.text ?? "");
    const eventId = `command:${command.trigger_id}`;
    if (!text || !rt.seen.firstTime(eventId)) return;
    // The answer goes to the user's DM with the bot, wherever the command was typed.
    await converse(rt, { slackUser: command.user_id, dm: null, eventId, text });
  });

  app.action(new RegExp(`^${ACTION_PREFIX}`), async ({ ack, body, action }) => {
    await ack();
    const b = rec(body);
    if (b.type !== "block_actions") return;
    const a = rec(action);
    const value = actionValue(a);
    const slackUser = str(rec(b.user).id);
    const channel = str(rec(b.channel).id) || str(rec(b.container).channel_id);
    const actionTs = str(a.action_ts);
    if (!value || !slackUser || !rt.seen.firstTime(`action:${actionTs}:${slackUser}`)) return;
    const approval = approvalAction(value);
    if (approval)
      return cardClick(rt, { slackUser, channel, triggerId: str(b.trigger_id), actionTs, ...approval });
    await converse(rt, {
      slackUser,
      dm: channel.startsWith("D") ? channel : null,
      eventId: `action:${actionTs}:${slackUser}`,
      action: { id: value },
    });
  });

  app.view(REJECT_VIEW, async ({ ack, view, body }) => {
    const typed = str(rec(rec(rec(rec(view.state).values).reason).reason).value);
    const { ctx, errors } = checkRejection(view.private_metadata, typed);
    if (errors) return ack({ response_action: "errors", errors });
    await ack();
    if (!ctx || !rt.seen.firstTime(`view:${view.id}`)) return;
    await submitRejection(rt, ctx, body.user.id, typed, view.id);
  });

  app.error(async (err) => {
    log.error({ err }, "slack listener failed");
  });
};
