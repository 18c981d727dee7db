/**
 * A Slack-facing server in its own process, its Web API pointed at the parent's stand-in:
 * the real app (compose with the Slack platform over the data set, outbox running) or the
 * floor — a bare Bolt app on Bolt's own HTTP receiver whose message listener says "ok".
 * Tells its port over IPC.
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { App, HTTPReceiver } from "@slack/bolt";
import { eq } from "drizzle-orm";
import { slackPlatform } from "../src/bot/slack";
import { compose } from "../src/compose";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { users } from "../src/db/schema";
import { createLogger } from "../src/lib/log";
import { SCRATCH } from "./dataset";
import { ADMIN_ID, repId } from "./dataset-rows";
import { slackUserOf } from "./slack-ids";

export interface SlackChildInput {
  mode: "app" | "floor";
  apiUrl: string;
  secret: string;
  /** The app's data set file and clock (the data set's date). */
  file?: string;
  now?: string;
  /** Reps 0…n−1 get Slack ids `slackUserOf(i)`. */
  reps?: number;
}

const startApp = async (input: SlackChildInput) => {
  const file = input.file!;
  const database = await openDatabase(`file:${file}`);
  for (let r = 0; r < (input.reps ?? 0); r++)
    await database.db
      .update(users)
      .set({ slackUserId: slackUserOf(r) })
      .where(eq(users.id, repId(r)));
  const config = loadConfig(
    {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      DATABASE_URL: `file:${file}`,
      SCHEDULER: "off",
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: input.secret,
      SLACK_BOT_ID: "BBENCH",
      SLACK_BOT_USER_ID: "UBENCH",
      SLACK_API_URL: input.apiUrl,
    },
    join(SCRATCH, "data"),
  );
  const offset = input.now ? Date.parse(input.now) - Date.now() : 0;
  const app = compose(config, database, createLogger("silent"), {
    appSecret: "bench-app-secret-0123456789",
    now: () => new Date(Date.now() + offset),
    channels: [],
    platforms: [slackPlatform()],
  });
  // Slack's own limit is per channel (about one message a second), which the Slack channel
  // keeps; the outbox's per-user hourly quota would also hold back a rep who chats for the
  // whole bench, so it is lifted here: this measures our processing, not the quota.
  await app.services.settings.set("outbox.pacing", { slack: { perMinute: 1e6, perHour: 1e6 } }, ADMIN_ID);
  const server = serve({ fetch: app.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  for (const m of app.modules) await m.start();
  app.outbox.start();
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const m of app.modules) await m.stop();
      await app.outbox.stop();
      server.close();
      app.close();
      database.close();
    },
  };
};

/** The framework floor: Bolt alone, verifying signatures and answering each DM with "ok". */
const startFloor = async (input: SlackChildInput) => {
  const receiver = new HTTPReceiver({ signingSecret: input.secret });
  const bolt = new App({
    token: "xoxb-bench",
    receiver,
    clientOptions: { slackApiUrl: input.apiUrl },
    tokenVerificationEnabled: false,
    botId: "BBENCH",
    botUserId: "UBENCH",
  });
  bolt.message(async ({ say }) => {
    await say("ok");
  });
  const server = await receiver.start({ port: 0, host: "127.0.0.1" });
  return { port: (server.address() as AddressInfo).port, stop: () => receiver.stop() };
};

const main = async () => {
  const input = JSON.parse(process.argv[2]) as SlackChildInput;
  const running = input.mode === "app" ? await startApp(input) : await startFloor(input);
  process.send?.({ port: running.port });
  process.on("SIGTERM", () => {
    running.stop().finally(() => process.exit(0));
  });
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
