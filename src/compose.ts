import type { Hono } from "hono";
import type { Logger } from "pino";
import { createApp } from "./api/app";
import type { AppEnv } from "./api/auth";
import { chatRoutes } from "./api/routes/chat";
import { jobRoutes } from "./api/routes/jobs";
import { optOutRoutes } from "./api/routes/opt-out";
import type { PlatformFactory } from "./bot/module";
import type { Config } from "./config";
import { createConversations } from "./conversations";
import type { Database } from "./db/client";
import { createEventBus } from "./lib/events";
import { createConsoleChannel } from "./notify/channels/console";
import { createEmailChannel } from "./notify/channels/email";
import { createSmsChannel } from "./notify/channels/sms";
import type { Outbox } from "./notify/outbox";
import { createOutbox } from "./notify/outbox";
import type { Channel } from "./notify/types";
import { allJobs } from "./scheduler/jobs";
import { createJobRunner } from "./scheduler/runner";
import { createServices } from "./services";

export interface ComposeOptions {
  now?: () => Date;
  appSecret?: string;
  /** Extra delivery channels (email, SMS) built by the caller. */
  channels?: Channel[];
  /** Chat platforms to run (Slack, WeCom), each bringing its router and channel. */
  platforms?: PlatformFactory[];
  /** How long a claimed outbox row is held before it counts as lost (default 60 s). */
  leaseMs?: number;
}

/**
 * The whole application wired together — used by main.ts (the process) and by the
 * integration tests, so tests exercise the same composition the product runs.
 */
export const compose = (config: Config, database: Database, log: Logger, opts: ComposeOptions = {}) => {
  const events = createEventBus((err, name) => log.error({ err, event: name }, "event handler failed"));
  const services = createServices(database, config, { events, appSecret: opts.appSecret, now: opts.now });
  const engine = createConversations(services, log);
  let outboxRef: Outbox | null = null;
  const modules = (opts.platforms ?? []).map((make) =>
    make({ config, services, engine, log, outbox: () => outboxRef! }),
  );
  // Email and SMS for customer messages; a test may bring its own channels instead.
  const email = opts.channels
    ? null
    : createEmailChannel({
        smtpUrl: config.smtpUrl,
        mailFrom: config.mailFrom,
        dataDir: config.dataDir,
        publicUrl: config.publicUrl,
        appSecret: services.appSecret,
        log,
      });
  const delivery: Channel[] = opts.channels ?? [
    email!,
    createSmsChannel({ ...config.sms, dataDir: config.dataDir, log }),
  ];
  const outbox = createOutbox({
    database,
    settings: services.settings,
    timeZone: config.timeZone,
    channels: [
      createConsoleChannel(),
      ...delivery,
      ...modules.flatMap((m) => (m.channel ? [m.channel] : [])),
    ],
    log,
    now: opts.now,
    leaseMs: opts.leaseMs,
  });
  outboxRef = outbox;
  const platforms = () => {
    const status: Record<string, "on" | "off" | "error"> = { slack: "off", wecom: "off" };
    for (const m of modules) status[m.name] = m.status();
    return status;
  };
  const apiRoutes: { path: string; router: Hono<AppEnv> }[] = [];
  const deps = { database, config, log, services, platforms };
  if (config.chatApi) apiRoutes.push({ path: "/chat", router: chatRoutes(deps, engine) });
  const jobs = createJobRunner(services, allJobs, log);
  apiRoutes.push({ path: "/jobs", router: jobRoutes(deps, jobs) });
  const app = createApp(deps, {
    apiRoutes,
    publicRoutes: [
      { path: "/", router: optOutRoutes(deps) },
      ...modules.flatMap((m) => (m.router ? [{ path: m.router.path, router: m.router.app }] : [])),
    ],
  });
  /** Stops what holds connections open (the SMTP pool); the caller stops the outbox first. */
  const close = () => email?.close();
  return { app, services, engine, outbox, events, platforms, modules, deps, jobs, close };
};

export type Composition = ReturnType<typeof compose>;
