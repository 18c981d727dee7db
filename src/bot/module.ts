import type { Hono } from "hono";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { Engine } from "../conversations/engine";
import type { Outbox } from "../notify/outbox";
import type { Channel } from "../notify/types";
import type { Services } from "../services";

/** What a platform module gets to build itself from. */
export interface PlatformDeps {
  config: Config;
  services: Services;
  engine: Engine;
  log: Logger;
  /** Resolved lazily: the outbox is built after every module has given its channel. */
  outbox: () => Outbox;
}

/**
 * A chat platform as the composition sees it: maybe an HTTP router (Slack events), an
 * outbox channel for its sends, and a lifecycle. Adding a platform = a folder + one of these.
 */
export interface PlatformModule {
  name: "slack" | "wecom";
  router?: { path: string; app: Hono };
  channel?: Channel;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): "on" | "off" | "error";
}

export type PlatformFactory = (deps: PlatformDeps) => PlatformModule;
