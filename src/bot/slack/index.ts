import { App, type Receiver, SocketModeReceiver } from "@slack/bolt";
import { Hono } from "hono";
import { registerChatTemplate } from "../../notify/templates";
import { createChatCardService } from "../../services/chat-cards";
import type { PlatformDeps, PlatformFactory, PlatformModule } from "../module";
import { cardUpdates } from "./approvals";
import { createSlackChannel } from "./channel";
import { registerListeners } from "./listeners";
import { createHonoReceiver } from "./receiver";
import { createKeyedQueue, createRecentIds } from "./recent-ids";
import { type CardOutcome, renderDecidedCard } from "./render";
import type { SlackRuntime } from "./runtime";
import { createWebClient, slackLogger, webClientOptions } from "./web";

export interface SlackPlatformOptions {
  /** Least time between two posts to one channel (Slack: about one per second)… */
  minGapMs?: number;
  /** …after a short burst of this many (default 3). */
  burst?: number;
}

const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" ? (v as Record<string, unknown>) : {};

// A decided card's edit is an outbox row like any other message: its words live here.
registerChatTemplate("approval_card", (d, t) =>
  renderDecidedCard(rec(d.card), rec(d.outcome) as unknown as CardOutcome, t, String(d.at ?? "")),
);

const offModule = (): PlatformModule => ({
  name: "slack",
  start: async () => {},
  stop: async () => {},
  status: () => "off",
});

/**
 * Slack on Bolt: events, interactions and slash commands at POST /slack/events on the app's
 * port (or over Socket Mode when SLACK_APP_TOKEN is set — same App, same listeners), sends
 * through the outbox, approval cards kept in step with decisions taken anywhere.
 */
export const slackPlatform =
  (opts: SlackPlatformOptions = {}): PlatformFactory =>
  (deps: PlatformDeps): PlatformModule => {
    const s = deps.config.slack;
    if (!s.botToken) return offModule();
    const botToken = s.botToken;
    const log = deps.log.child({ platform: "slack" });
    const web = createWebClient(botToken, s.apiUrl, log);
    const cards = createChatCardService(deps.services);
    const rt: SlackRuntime = {
      deps: { ...deps, log },
      web,
      cards,
      approvals: deps.services.approvals,
      seen: createRecentIds(),
      inOrder: createKeyedQueue(),
      botToken,
      apiUrl: s.apiUrl,
    };
    const me = { botId: s.botId, botUserId: s.botUserId };
    let state: "off" | "on" | "error" = "off";

    // Known ids: no auth.test at start or per event. Unknown: learnt in the background,
    // and an event meanwhile is still served (own messages are filtered by bot_id anyway).
    const authorize = async () => ({ botToken, botId: me.botId, botUserId: me.botUserId });
    const learnIdentity = async () => {
      const r = await web.auth.test();
      me.botId = r.bot_id;
      me.botUserId = r.user_id;
    };

    const http = s.appToken ? null : createHonoReceiver({ signingSecret: s.signingSecret ?? "", log });
    const receiver: Receiver =
      http?.receiver ??
      new SocketModeReceiver({
        appToken: s.appToken ?? "",
        logger: slackLogger(log),
        installerOptions: { clientOptions: webClientOptions(s.apiUrl, log) },
      });
    const app = new App({
      receiver,
      authorize,
      logger: slackLogger(log),
      clientOptions: webClientOptions(s.apiUrl, log),
    });
    registerListeners(app, rt);

    const unsubscribe = deps.services.events.subscribe("approval.decided", async (ev) => {
      await deps.outbox().enqueue(await cardUpdates(rt, ev));
    });

    const router = new Hono();
    if (http) router.route("/", http.router);

    return {
      name: "slack",
      router: { path: "/slack", app: router },
      channel: createSlackChannel({
        web,
        cards,
        log,
        minGapMs: opts.minGapMs ?? 1_000,
        burst: opts.burst,
      }),
      // Never awaited on the network: an unreachable Slack shows as "error", never a hang.
      start: async () => {
        state = "on";
        if (!me.botId || !me.botUserId)
          learnIdentity().catch((err: unknown) => {
            state = "error";
            log.error({ err }, "slack auth.test failed; set SLACK_BOT_ID and SLACK_BOT_USER_ID");
          });
        app.start().catch((err: unknown) => {
          state = "error";
          log.error({ err }, "slack failed to start");
        });
      },
      stop: async () => {
        unsubscribe();
        state = "off";
        await app.stop().catch(() => {});
      },
      status: () => state,
    };
  };

export const createSlackPlatform: PlatformFactory = slackPlatform();
