import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { slackPlatform } from "../../../src/bot/slack";
import { compose } from "../../../src/compose";
import { loadConfig } from "../../../src/config";
import { newId, nowIso } from "../../../src/db/ids";
import { budgets, customers, products, users } from "../../../src/db/schema";
import { localDate } from "../../../src/domain/dates";
import { createLogger } from "../../../src/lib/log";
import { tempDatabase } from "../../helpers/app";
import type { StandIn } from "./stand-in";

export const SECRET = "test-signing-secret-0123456789";

/** Every ack time measured over the run (ms), for the summary the last test prints. */
export const ackTimes: number[] = [];

export const waitFor = async <T>(
  fn: () => T | Promise<T>,
  ms = 8000,
  what = "condition",
): Promise<NonNullable<T>> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

export const sign = (body: string, ts: number, secret = SECRET) =>
  `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;

/** The real app (compose + serve) on a random port with Slack pointed at the stand-in. */
export const startSlackApp = async (api: StandIn, env: Record<string, string> = {}) => {
  const { dir, database, cleanup } = await tempDatabase();
  const config = loadConfig(
    {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_ID: "BBOT",
      SLACK_BOT_USER_ID: "UBOT",
      SLACK_API_URL: api.apiUrl,
      ...env,
    },
    join(dir, "data"),
  );
  // Real time plus an offset the tests may push forward (backoffs, Retry-After).
  const clock = { offset: 0 };
  const now = () => new Date(Date.now() + clock.offset);
  const composition = compose(config, database, createLogger("silent"), {
    now,
    platforms: [slackPlatform({ minGapMs: 150 })],
  });
  const server = serve({ fetch: composition.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const m of composition.modules) await m.start();
  composition.outbox.start();

  const post = async (
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
    ts?: number,
  ) => {
    const stamp = ts ?? Math.floor(Date.now() / 1000);
    const started = performance.now();
    const res = await fetch(`${url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(stamp),
        "x-slack-signature": sign(body, stamp),
        ...headers,
      },
      body,
    });
    const text = await res.text();
    if (res.status === 200) ackTimes.push(performance.now() - started);
    return { status: res.status, text };
  };
  let n = 0;
  const dm = (
    user: string,
    text: string,
    extra: Record<string, unknown> = {},
    headers?: Record<string, string>,
  ) => {
    const eventId = (extra.event_id as string) ?? `Ev${Date.now()}${++n}`;
    const { event_id: _, ...fields } = extra;
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T1",
      api_app_id: "A1",
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: "message",
        channel_type: "im",
        channel: `D${user.slice(1)}`,
        user,
        text,
        ts: `${Date.now() / 1000}`,
        ...fields,
      },
    });
    return post(body, "application/json", headers);
  };
  const interact = (payload: Record<string, unknown>) =>
    post(`payload=${encodeURIComponent(JSON.stringify(payload))}`, "application/x-www-form-urlencoded");
  const click = (user: string, channel: string, value: string, actionId = "rm:0") =>
    interact({
      type: "block_actions",
      team: { id: "T1" },
      user: { id: user },
      api_app_id: "A1",
      trigger_id: `trig-${++n}`,
      channel: { id: channel },
      container: { type: "message", channel_id: channel, message_ts: "1.0" },
      actions: [
        { type: "button", action_id: actionId, block_id: "b", value, action_ts: `${Date.now()}.${++n}` },
      ],
    });
  const command = (user: string, name: string, text: string) =>
    post(
      new URLSearchParams({
        command: name,
        text,
        user_id: user,
        channel_id: "C-general",
        team_id: "T1",
        trigger_id: `trig-${++n}`,
        response_url: `${api.url}/response`,
      }).toString(),
      "application/x-www-form-urlencoded",
    );

  return {
    url,
    config,
    database,
    composition,
    clock,
    post,
    dm,
    interact,
    click,
    command,
    close: async () => {
      for (const m of composition.modules) await m.stop();
      await composition.outbox.stop();
      await new Promise<void>((r) => server.close(() => r()));
      cleanup();
    },
  };
};
export type SlackApp = Awaited<ReturnType<typeof startSlackApp>>;

/** A manager chain with Slack ids, a rep's customers, products and a meals budget. */
export const buildWorld = async (app: SlackApp) => {
  const db = app.database.db;
  const at = nowIso();
  const user = async (
    name: string,
    role: "manager" | "rep" | "finance" | "admin",
    slack: string | null,
    managerId: string | null = null,
  ) => {
    const id = newId();
    await db.insert(users).values({
      id,
      name,
      role,
      managerId,
      slackUserId: slack,
      locale: "zh-CN",
      createdAt: at,
      updatedAt: at,
    });
    return id;
  };
  const regional = await user("赵大区", "manager", "UREG");
  const manager = await user("李经理", "manager", "UMGR", regional);
  const deputy = await user("孙副经理", "manager", "UDEP", regional);
  const finance = await user("钱财务", "finance", "UFIN");
  const rep = await user("王小明", "rep", "UREP", manager);
  const customer = async (
    f: Partial<typeof customers.$inferInsert> & { name: string; kind: "hospital" | "doctor" | "pharmacy" },
  ) => {
    const id = newId();
    await db
      .insert(customers)
      .values({ id, code: id.slice(-8), ownerId: rep, createdAt: at, updatedAt: at, ...f });
    return id;
  };
  const xiehe = await customer({ name: "北京协和医院", kind: "hospital", beds: 2000 });
  const wang = await customer({ name: "王建国", kind: "doctor", parentId: xiehe, title: "主任" });
  const store = await customer({ name: "康美大药房", kind: "pharmacy" });
  for (const [name, nameEn, alias] of [
    ["感冒灵颗粒", "Ganmaoling", "感冒灵"],
    ["维生素C片", "Vitamin C", "维C"],
  ])
    await db.insert(products).values({
      id: newId(),
      code: newId().slice(-6),
      name,
      nameEn,
      aliases: [alias],
      createdAt: at,
      updatedAt: at,
    });
  const month = localDate(new Date(), app.config.timeZone).slice(0, 7);
  await db.insert(budgets).values({
    id: newId(),
    repId: rep,
    month,
    category: "meals",
    amountCny: 5000,
    createdAt: at,
    updatedAt: at,
  });
  const userRow = async (id: string) => db.select().from(users).where(eq(users.id, id)).get();
  return { regional, manager, deputy, finance, rep, xiehe, wang, store, userRow };
};

/** Median and worst ack time of this file's requests, printed for the closing note. */
export const printAckTimes = (label: string) => {
  const sorted = [...ackTimes].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const worst = sorted.at(-1) ?? 0;
  console.log(
    `slack ack time (${label}, ${sorted.length} requests): median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms`,
  );
  return { median, worst };
};
