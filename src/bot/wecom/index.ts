import { type PuppetModuleName, type Wechaty, WechatyBuilder, log as wechatyLog } from "wechaty";
import type { Config } from "../../config";
import { createWecomDirectory } from "../../services/wecom-directory";
import type { PlatformDeps, PlatformFactory, PlatformModule } from "../module";
import { createWecomChannel } from "./channel";
import { createInbound } from "./inbound";
import { type Backoff, createBotRunner } from "./lifecycle";
import { createPager } from "./pager";
import { incomingOf } from "./parse";

export interface WecomOptions {
  backoff?: Backoff;
  timeoutMs?: number;
}

/** Wechaty's own logger prints to stderr; ours (pino) reports what matters. */
const quietWechaty = (level: string) => wechatyLog.level(level === "silent" ? "silent" : "warn");

/** The platform around one Wechaty bot: inbound → engine → outbox → channel → the bot. */
const platformFor = (deps: PlatformDeps, build: () => Wechaty, opts: WecomOptions = {}): PlatformModule => {
  quietWechaty(deps.config.logLevel);
  const bot = build();
  const pager = createPager();
  const inbound = createInbound(deps, pager);
  const runner = createBotRunner({
    bot,
    log: deps.log,
    backoff: opts.backoff,
    timeoutMs: opts.timeoutMs,
    onMessage: async (m) => {
      const incoming = await incomingOf(m);
      if (incoming) await inbound.handle(incoming);
    },
  });
  const channel = createWecomChannel({
    pager,
    log: deps.log,
    directory: createWecomDirectory(deps.services),
    sender: {
      loggedIn: runner.loggedIn,
      // The puppet call Contact.say() makes, minus the lookup that raises an 'error' event
      // for an unknown contact (which would restart the bot).
      sendText: async (contactId, text) => {
        await bot.puppet.messageSendText(contactId, text);
      },
    },
  });
  return { name: "wecom", channel, start: runner.start, stop: runner.stop, status: runner.status };
};

/** WeCom is off: `WECHATY_PUPPET` unset or not a puppet Wechaty knows. Never a default puppet. */
const offPlatform = (deps: PlatformDeps, why: string): PlatformModule => ({
  name: "wecom",
  start: async () => deps.log.warn({ platform: "wecom" }, why),
  stop: async () => {},
  status: () => "off",
});

/** `WECHATY_PUPPET_SERVICE_ENDPOINT` set: connect there directly, in plain gRPC (a local service). */
export const puppetOptionsOf = (w: Config["wechaty"]) => ({
  ...(w.token ? { token: w.token } : {}),
  ...(w.endpoint ? { endpoint: w.endpoint, tls: { disable: true } } : {}),
});

/**
 * Puppets that reach WeCom: a puppet service (a WeCom token from a provider, or a local
 * gateway at an endpoint), the WeCom desktop puppet, and the mock for trying it out.
 * Personal-WeChat puppets are refused: the reps are on 企业微信.
 */
const WECOM_PUPPETS: readonly PuppetModuleName[] = [
  "wechaty-puppet-service",
  "@juzibot/wechaty-puppet-wxwork",
  "wechaty-puppet-mock",
];
const wecomPuppet = (name: string): PuppetModuleName | null => WECOM_PUPPETS.find((p) => p === name) ?? null;

/** The WeCom platform from CONTRACT.md's WECHATY_* variables (main.ts, when WECHATY_PUPPET is set). */
export const createWecomPlatform: PlatformFactory = (deps) => {
  const w = deps.config.wechaty;
  if (!w.puppet) return offPlatform(deps, "WECHATY_PUPPET is not set: WeCom is off");
  const puppet = wecomPuppet(w.puppet);
  if (!puppet) return offPlatform(deps, `WECHATY_PUPPET "${w.puppet}" is not a WeCom puppet: WeCom is off`);
  return platformFor(deps, () => WechatyBuilder.build({ puppet, puppetOptions: puppetOptionsOf(w) }));
};

/** The WeCom platform on a given puppet instance (tests: `new PuppetMock({ mocker })`). */
export const wecomPlatformWith =
  (
    puppet: NonNullable<Parameters<typeof WechatyBuilder.build>[0]>["puppet"],
    opts: WecomOptions = {},
  ): PlatformFactory =>
  (deps) =>
    platformFor(deps, () => WechatyBuilder.build({ puppet }), opts);
