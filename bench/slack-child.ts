/**
 * A Slack-facing server in its own process, its Web API pointed at the parent's stand-in:
 * the real app (compose with the Slack platform over the data set, outbox running) or the
 * floor — a bare Bolt app on Bolt's own HTTP receiver whose message listener says "ok".
 * Tells its port over IPC.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { App, HTTPReceiver } from "@slack/bolt";
import { eq, sql } from "drizzle-orm";
import { slackPlatform } from "../src/bot/slack";
import { compose } from "../src/compose";
import { loadConfig } from "../src/config";
import { type Database, openDatabase } from "../src/db/client";
import { newId } from "../src/db/ids";
import { chatIdentities, users } from "../src/db/schema";
import { createLogger } from "../src/lib/log";
import { SCRATCH } from "./dataset";
import { ADMIN_ID, repId } from "./dataset-rows";
import { dmOf, slackUserOf } from "./slack-ids";

export interface SlackChildInput {
  mode: "app" | "floor";
  apiUrl: string;
  secret: string;
  /** The app's data set file and clock (the data set's date). */
  file?: string;
  now?: string;
  /** Reps 0…n−1 get Slack ids `slackUserOf(i)`. */
  reps?: number;
  /** The Slack channel's least gap between posts to one DM (default: the app's, 1 s); experiments only. */
  minGapMs?: number;
  /** Experiments only: a file to write each SQL statement's count and SQLite time to, on stop. */
  traceSql?: string;
}

/**
 * Experiments: times every statement SQLite runs for the app, synchronously (prepare and
 * execution, keyed by its text), by wrapping the libsql driver's `prepare`; written on stop.
 */
const traceSql = (file: string) => {
  const stats = new Map<string, { n: number; ms: number }>();
  const require = createRequire(createRequire(import.meta.url).resolve("@libsql/client"));
  const Driver = require("libsql") as { prototype: Record<string, (...a: unknown[]) => unknown> };
  const prepare = Driver.prototype.prepare;
  const key = (sql: string) =>
    sql
      .replace(/\s+/g, " ")
      .replace(/\(\?(, ?\?)+\)(, \(\?(, ?\?)+\))*/g, "(?…)")
      .slice(0, 200);
  Driver.prototype.prepare = function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    const stmt = prepare.apply(this, args) as Record<string, (...a: unknown[]) => unknown>;
    const k = key(String(args[0]));
    const add = (ms: number) => {
      const s = stats.get(k) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += ms;
      stats.set(k, s);
    };
    // The preparing counts once: the app may keep the statement and run it again.
    let prepMs = performance.now() - t0;
    for (const m of ["run", "all", "get"]) {
      const orig = stmt[m];
      stmt[m] = (...a: unknown[]) => {
        const t1 = performance.now();
        try {
          return orig.apply(stmt, a);
        } finally {
          add(prepMs + performance.now() - t1);
          prepMs = 0;
        }
      };
    }
    return stmt;
  };
  return () =>
    writeFileSync(
      file,
      JSON.stringify(
        [...stats]
          .sort((x, y) => y[1].ms - x[1].ms)
          .map(([k, v]) => ({ sql: k, n: v.n, ms: Math.round(v.ms) })),
        null,
        1,
      ),
    );
};

/**
 * Reps 0…n−1 as Slack users who have written to the bot before: the rows the identity
 * service's `link` writes on a first DM (the chat identity with its DM channel, the id on the
 * user), in one batch — linking 2,000 one by one took seconds of the bench.
 */
const linkReps = async (database: Database, reps: number) => {
  if (reps === 0) return;
  const at = new Date().toISOString();
  const ids = Array.from({ length: reps }, (_, r) => r);
  await database.write((db) =>
    db.batch([
      db
        .insert(chatIdentities)
        .values(
          ids.map((r) => ({
            id: newId(),
            userId: repId(r),
            platform: "slack" as const,
            externalId: slackUserOf(r),
            address: dmOf(r),
            createdAt: at,
          })),
        )
        .onConflictDoUpdate({
          target: [chatIdentities.platform, chatIdentities.externalId],
          set: { userId: sql`excluded.user_id`, address: sql`excluded.address` },
        }),
      ...ids.map((r) =>
        db
          .update(users)
          .set({ slackUserId: slackUserOf(r), updatedAt: at })
          .where(eq(users.id, repId(r))),
      ),
    ]),
  );
};

const startApp = async (input: SlackChildInput) => {
  const file = input.file!;
  const dumpSql = input.traceSql ? traceSql(input.traceSql) : () => {};
  const database = await openDatabase(`file:${file}`);
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
    platforms: [slackPlatform(input.minGapMs === undefined ? {} : { minGapMs: input.minGapMs })],
  });
  // Slack's own limit is per channel (about one message a second), which the Slack channel
  // keeps; the outbox's per-user hourly quota would also hold back a rep who chats for the
  // whole bench, so it is lifted here: this measures our processing, not the quota.
  await app.services.settings.set("outbox.pacing", { slack: { perMinute: 1e6, perHour: 1e6 } }, ADMIN_ID);
  await linkReps(database, input.reps ?? 0);
  const server = serve({ fetch: app.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  for (const m of app.modules) await m.start();
  app.outbox.start();
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const m of app.modules) await m.stop();
      await app.outbox.stop();
      dumpSql();
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
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    running.stop().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  // The bench went away without stopping this server (killed, crashed): do not outlive it.
  process.on("disconnect", stop);
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
