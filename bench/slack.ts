/**
 * Chat turns over the Slack HTTP path: a signed `message.im` event is POSTed to the server,
 * and the turn ends when its reply's `chat.postMessage` reaches the Web API stand-in run
 * here (so the ack, the conversation, the outbox and the Web API call are all inside).
 * Open loop as for /api/chat; the floor is a bare Bolt app answering "ok" the same way.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "node:querystring";
import { CHAT_P99_MS, SUSTAINED_P99_MS } from "./chat";
import { doctorName } from "./dataset-rows";
import { maxSustained, type OpenLoopResult, openLoop } from "./open-loop";
import { startServer } from "./proc";
import { atMost, type BenchRow, row, type Target } from "./report";
import type { SlackChildInput } from "./slack-child";
import { dmOf, slackUserOf } from "./slack-ids";

const SECRET = "bench-signing-secret-0123456789";
/** Reps of the fixed-rate runs (the issue's 200); the rate search spreads over more. */
const FIXED_REPS = 200;
const SEARCH_REPS = 2000;

/** At least `ratio` × the floor. */
const atLeastFloor = (ratio: number): Target => ({
  text: `≥ ${ratio}× floor`,
  check: (_figure, r) => (r < ratio ? `${r}× floor vs ≥ ${ratio}×` : null),
});

interface Pending {
  expect: number;
  got: number;
  resolve: (at: number) => void;
}

/**
 * The Web API stand-in: answers like Slack and hands each `chat.postMessage` to the turn
 * waiting on that DM channel. A turn may post several messages; its latency ends at the
 * first, and the rest are counted to it so they are never taken for the next turn's reply.
 */
const startStandIn = async () => {
  const waiting = new Map<string, Pending[]>();
  let posts = 0;
  let ts = 1_700_000_000;
  const read = (req: IncomingMessage) =>
    new Promise<string>((r) => {
      let s = "";
      req.on("data", (c) => {
        s += c;
      });
      req.on("end", () => r(s));
    });
  const server: Server = createServer(async (req, res) => {
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0];
    const raw = await read(req);
    const p: Record<string, unknown> = (req.headers["content-type"] ?? "").includes("json")
      ? JSON.parse(raw || "{}")
      : { ...parse(raw) };
    const at = performance.now();
    if (method === "chat.postMessage") {
      posts++;
      const queue = waiting.get(String(p.channel));
      const head = queue?.[0];
      if (head) {
        if (++head.got === 1) head.resolve(at);
        if (head.got >= head.expect) queue.shift();
      }
    }
    const body =
      method === "chat.postMessage"
        ? { ok: true, channel: p.channel, ts: `${++ts}.000100` }
        : method === "auth.test"
          ? { ok: true, user_id: "UBENCH", bot_id: "BBENCH" }
          : { ok: true };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    posts: () => posts,
    /** The reply of the next turn in this channel, expected as `expect` messages. */
    expect: (channel: string, expect: number) =>
      new Promise<number>((resolve) => {
        const queue = waiting.get(channel) ?? [];
        queue.push({ expect, got: 0, resolve });
        waiting.set(channel, queue);
      }),
    reset: () => waiting.clear(),
    /** Until no reply has arrived for half a second (an overloaded run's backlog drained). */
    drained: async (maxMs = 15_000) => {
      const end = Date.now() + maxMs;
      let last = -1;
      while (posts !== last && Date.now() < end) {
        last = posts;
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};
type StandIn = Awaited<ReturnType<typeof startStandIn>>;

let runSeq = 0;

/**
 * Turn i of a run: alternating per rep a one-line visit and 确认 (a real flow that logs a
 * visit), each with a unique event id, signed as Slack signs. Every rep gets whole flows
 * (an even number of turns), so each run leaves nobody mid-flow for the next. `perTurn` is
 * how many messages each kind of turn posts (counted after the warm-up), so replies are
 * matched to their turn.
 */
const slackRun = (
  url: string,
  api: StandIn,
  o: { maxReps: number; rate: number; seconds: number; perTurn: [number, number] },
) => {
  const wanted = Math.max(2, Math.round(o.rate * o.seconds));
  const flowsPerRep = Math.ceil(wanted / (2 * o.maxReps));
  const reps = Math.max(1, Math.floor(wanted / (2 * flowsPerRep)));
  const total = reps * 2 * flowsPerRep;
  const tag = `${process.pid}-${Date.now().toString(36)}-${++runSeq}`;
  api.reset();
  const done = (r: OpenLoopResult) => api.drained().then(() => r);
  const kindOf = (i: number) => Math.floor(i / reps) % 2;
  return openLoop({
    url,
    rate: o.rate,
    seconds: total / o.rate,
    timeoutMs: 3000,
    make: (i) => {
      const r = i % reps;
      const step = Math.floor(i / reps);
      const text = kindOf(i) === 0 ? `拜访 ${doctorName(r, Math.floor(step / 2) % 76)} 昨天 评级6` : "确认";
      const body = JSON.stringify({
        type: "event_callback",
        team_id: "TBENCH",
        api_app_id: "ABENCH",
        event_id: `Ev${tag}-${i}`,
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type: "message",
          channel_type: "im",
          channel: dmOf(r),
          user: slackUserOf(r),
          text,
          ts: `${(Date.now() / 1000).toFixed(6)}`,
        },
      });
      const stamp = Math.floor(Date.now() / 1000);
      const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${stamp}:${body}`).digest("hex")}`;
      return {
        path: "/slack/events",
        body,
        headers: { "x-slack-request-timestamp": String(stamp), "x-slack-signature": signature },
      };
    },
    completion: (i) => api.expect(dmOf(i % reps), o.perTurn[kindOf(i)]),
  }).then(done);
};

/** Messages each kind of turn posts: one flow each for a few reps, counted kind by kind. */
const countPerTurn = async (url: string, api: StandIn): Promise<[number, number]> => {
  const reps = 5;
  const before = api.posts();
  const seen: number[] = [];
  // One flow per rep at 10 turns/s: the 5 visit lines go out in the first half second.
  const run = slackRun(url, api, { maxReps: reps, rate: 10, seconds: 1, perTurn: [1, 1] });
  await new Promise((r) => setTimeout(r, 500 + 400));
  seen.push(api.posts() - before);
  await run;
  await new Promise((r) => setTimeout(r, 1500));
  seen.push(api.posts() - before - seen[0]);
  return [Math.max(1, Math.round(seen[0] / reps)), Math.max(1, Math.round(seen[1] / reps))];
};

export const slackRows = async (o: {
  quick: boolean;
  runs: number;
  file: string;
  now: string;
  log: (s: string) => void;
}): Promise<BenchRow[]> => {
  const api = await startStandIn();
  const base: Omit<SlackChildInput, "mode"> = { apiUrl: api.apiUrl, secret: SECRET };
  const app = await startServer("slack-child.ts", {
    ...base,
    mode: "app",
    file: o.file,
    now: o.now,
    reps: SEARCH_REPS,
  } satisfies SlackChildInput);
  const floor = await startServer("slack-child.ts", { ...base, mode: "floor" } satisfies SlackChildInput);
  const seconds = o.quick ? 0.3 : 4;
  const stepSeconds = o.quick ? 0.2 : 2;
  const cap = o.quick ? 100 : 3200;
  // Two runs per figure here (the median of two): an overloaded run waits out its backlog.
  const runs = o.quick ? 1 : Math.min(o.runs, 2);
  const rows: BenchRow[] = [];
  try {
    // Warm-up (JIT, each rep's DM channel remembered), then how many posts each turn makes.
    const warm = { perTurn: [1, 1] as [number, number] };
    await slackRun(app.url, api, {
      ...warm,
      maxReps: FIXED_REPS,
      rate: 50,
      seconds: o.quick ? 0.25 : 8,
    });
    await slackRun(floor.url, api, { ...warm, maxReps: FIXED_REPS, rate: 200, seconds: o.quick ? 0.25 : 2 });
    await new Promise((r) => setTimeout(r, o.quick ? 200 : 1500));
    // --quick keeps to seconds: one post per turn assumed (what the full run counts and prints).
    const perTurn: [number, number] = o.quick ? [1, 1] : await countPerTurn(app.url, api);
    const floorPerTurn: [number, number] = [1, 1];
    o.log(`  slack: posts per turn (visit line, 确认): ${perTurn.join(", ")}`);
    for (const rate of [100, 200]) {
      const appRuns: OpenLoopResult[] = [];
      const floorRuns: OpenLoopResult[] = [];
      for (let k = 0; k < runs; k++) {
        appRuns.push(await slackRun(app.url, api, { maxReps: FIXED_REPS, rate, seconds, perTurn }));
        floorRuns.push(
          await slackRun(floor.url, api, { maxReps: FIXED_REPS, rate, seconds, perTurn: floorPerTurn }),
        );
      }
      o.log(
        `  slack ${rate}/s: p50 ${appRuns.map((r) => r.p50).join(", ")} p99 ${appRuns.map((r) => r.p99).join(", ")} ms, errors ${appRuns.map((r) => r.errors).join(", ")}; Bolt echo p99 ${floorRuns.map((r) => r.p99).join(", ")} ms`,
      );
      const detail = {
        reps: FIXED_REPS,
        postsPerTurn: perTurn,
        errors: appRuns.map((r) => r.errors),
        achieved: appRuns.map((r) => r.achieved),
      };
      const floorName = "bare Bolt echo";
      rows.push(
        row({
          group: "slack",
          name: `Slack message.im → reply at Web API, ${rate}/s: p50`,
          unit: "ms",
          runs: appRuns.map((r) => r.p50),
          floorRuns: floorRuns.map((r) => r.p50),
          floorName,
          detail,
        }),
        row({
          group: "slack",
          name: `Slack message.im → reply at Web API, ${rate}/s: p99`,
          unit: "ms",
          runs: appRuns.map((r) => r.p99),
          floorRuns: floorRuns.map((r) => r.p99),
          floorName,
          target: rate >= 200 ? atMost(CHAT_P99_MS, "ms") : undefined,
          detail,
        }),
      );
    }
    const appMax = [];
    const floorMax = [];
    const searchRuns = o.quick ? 1 : Math.min(o.runs, 2);
    for (let k = 0; k < searchRuns; k++) {
      appMax.push(
        await maxSustained(
          (rate) => slackRun(app.url, api, { maxReps: SEARCH_REPS, rate, seconds: stepSeconds, perTurn }),
          { from: 100, cap, p99Ms: SUSTAINED_P99_MS },
        ),
      );
      floorMax.push(
        await maxSustained(
          (rate) =>
            slackRun(floor.url, api, {
              maxReps: SEARCH_REPS,
              rate,
              seconds: stepSeconds,
              perTurn: floorPerTurn,
            }),
          { from: 100, cap, p99Ms: SUSTAINED_P99_MS },
        ),
      );
    }
    o.log(
      `  slack max sustained: app ${appMax.map((s) => s.maxRate).join(", ")}/s, Bolt echo ${floorMax.map((s) => `${s.maxRate}${s.capped ? "+" : ""}`).join(", ")}/s`,
    );
    rows.push(
      row({
        group: "slack",
        name: `Slack message.im → reply max sustained rate (p99 ≤ ${SUSTAINED_P99_MS} ms, no errors)`,
        unit: "turns/s",
        runs: appMax.map((s) => s.maxRate),
        floorRuns: floorMax.map((s) => s.maxRate),
        floorName: "bare Bolt echo",
        target: atLeastFloor(0.5),
        detail: {
          reps: SEARCH_REPS,
          floorCappedAt: floorMax.some((s) => s.capped) ? cap : null,
          appSteps: appMax.map((s) => s.steps.map((x) => ({ rate: x.rate, p99: x.p99, errors: x.errors }))),
          floorSteps: floorMax.map((s) =>
            s.steps.map((x) => ({ rate: x.rate, p99: x.p99, errors: x.errors })),
          ),
        },
      }),
    );
  } finally {
    await app.stop();
    await floor.stop();
    await api.close();
  }
  return rows;
};

/** A scratch hook for profiling (bench/scratch): one run against the app, optionally CPU-profiled. */
export const slackProfile = async (o: {
  file: string;
  now: string;
  rate: number;
  seconds: number;
  prof: boolean;
}) => {
  const api = await startStandIn();
  const app = await startServer(
    "slack-child.ts",
    {
      apiUrl: api.apiUrl,
      secret: SECRET,
      mode: "app",
      file: o.file,
      now: o.now,
      reps: FIXED_REPS,
    } satisfies SlackChildInput,
    o.prof ? ["--cpu-prof", "--cpu-prof-dir=bench/scratch/slprof"] : [],
  );
  try {
    return await slackRun(app.url, api, {
      maxReps: FIXED_REPS,
      rate: o.rate,
      seconds: o.seconds,
      perTurn: [1, 1],
    });
  } finally {
    await app.stop();
    await api.close();
  }
};
