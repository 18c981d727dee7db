import type { Database } from "../db/client";
import type { SettingsStore } from "../db/repos/settings";
import { localDate } from "../domain/dates";
import type { EventBus } from "../lib/events";
import type { ChatPlatforms } from "../notify/route-user";

/** What every service is built from: the database, settings, the company zone and a clock. */
export interface ServiceContext {
  database: Database;
  settings: SettingsStore;
  timeZone: string;
  now: () => Date;
  events: EventBus;
  /** Chat platforms configured here: decides where a user's messages are queued. */
  chatPlatforms: ChatPlatforms;
  /** Where files (receipts, outbox .eml/.sms) live: data/ by default. */
  dataDir: string;
  /** Used in links (unsubscribe) and to sign them. */
  publicUrl: string;
  appSecret: string;
}

/** Today's date in the company time zone. */
export const today = (ctx: Pick<ServiceContext, "now" | "timeZone">) => localDate(ctx.now(), ctx.timeZone);

/** Who acts, and from where: every write records both in the audit log. */
export interface Actor {
  id: string;
  role: "admin" | "manager" | "finance" | "rep";
  via: "api" | "slack" | "wecom" | "console" | "system" | "import";
}
