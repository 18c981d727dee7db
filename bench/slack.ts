/**
 * Chat turns over the Slack HTTP path: a signed `message.im` event is POSTed to the server,
 * and the turn ends when its reply's `chat.postMessage` reaches the Web API stand-in run
 * here (so the ack, the conversation, the outbox — with its one-post-a-second pacing per DM,
 * as Slack asks — and the Web API call are all inside). Open loop as for /api/chat, real
 * visit flows (the logged ones counted from the replies); the floor is a bare Bolt app
 * answering "ok" the same way.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "node:querystring";
import { CHAT_P99_MS, SUSTAINED_P99_MS } from "./chat";
import { FULL, QUICK } from "./dataset";
import { doctorName } from "./dataset-rows";
import { maxSustained, type OpenLoopResult, openLoop, type SearchResult } from "./open-loop";
import { startServer } from "./proc";
import { atLeastFloor, atMost, type BenchRow, row } from "./report";
import type { SlackChildInput } from "./slack-child";
import { dmOf, slackUserOf } from "./slack-ids";

const SECRET = "bench-signing-secret-0123456789";
/** Reps of the fixed-rate runs (the issue's 200); the rate search spreads over more. */
const FIXED_REPS = 200;
const SEARCH_REPS = 2000;
/** The pass giving each of the search's reps its first flow (2,000 reps: 20 s a server). */
const FIRST_CONTACT_RATE = 200;

/** The reply that ends a visit flow: `visit.saved` ("✅ 已记录：…" / "✅ Logged: …"). */
const SAVED = /已记录|Logged:/;

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
export const startStandIn = async () => {
  const waiting = new Map<string, Pending[]>();
  let posts = 0;
  /** Replies saying a visit was logged (the end of a real flow). */
  let saved = 0;
  /** Posts the turns of the current run still owe, and when the last post came. */
  let outstanding = 0;
  let lastPost = 0;
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
      lastPost = at;
      if (SAVED.test(String(p.text ?? ""))) saved++;
      const queue = waiting.get(String(p.channel));
      const head = queue?.[0];
      if (head) {
        outstanding--;
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
    saved: () => saved,
    /** The reply of the next turn in this channel, expected as `expect` messages. */
    expect: (channel: string, expect: number) =>
      new Promise<number>((resolve) => {
        const queue = waiting.get(channel) ?? [];
        queue.push({ expect, got: 0, resolve });
        waiting.set(channel, queue);
        outstanding += expect;
      }),
    reset: () => {
      waiting.clear();
      outstanding = 0;
    },
    /**
     * Until every reply the run's turns owe has arrived (an overloaded run's backlog drained;
     * replies past the run's timeout included, so none is taken for the next run's) and then
     * nothing more for `quietMs`. False when `maxMs` ran out first.
     */
    drained: async (maxMs = 20_000, quietMs = 250) => {
      const end = performance.now() + maxMs;
      while (performance.now() < end) {
        if (outstanding <= 0 && performance.now() - lastPost >= quietMs) return true;
        await new Promise((r) => setTimeout(r, 25));
      }
      return false;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};
export type StandIn = Awaited<ReturnType<typeof startStandIn>>;

let runSeq = 0;

/** An open-loop run and the visit flows it completed (`确认` answered "logged"). */
export interface SlackRunResult extends OpenLoopResult {
  completed: number;
  confirms: number;
  /** Messages the Web API stand-in received from the run's turns (backlog included). */
  posts: number;
  /** False when the backlog outlasted the wait (the next run then starts on a busy server). */
  drained: boolean;
}

/**
 * Turn i of a run: alternating per rep a one-line visit and 确认 (a real flow that logs a
 * visit), each with a unique event id, signed as Slack signs. Every rep gets whole flows
 * (an even number of turns), so each run leaves nobody mid-flow for the next. `perTurn` is
 * how many messages each kind of turn posts (counted after the warm-up), so replies are
 * matched to their turn.
 */
export const slackRun = (
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
  const saved = api.saved();
  const posts = api.posts();
  // A run is over when its backlog is: the next run starts on a quiet server.
  const done = (r: OpenLoopResult): Promise<SlackRunResult> =>
    api.drained().then((drained) => ({
      ...r,
      drained,
      completed: api.saved() - saved,
      confirms: total / 2,
      posts: api.posts() - posts,
    }));
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
  // No more reps than the data set has (--quick has 20): a stranger would only get "who are you?".
  const datasetReps = (o.quick ? QUICK : FULL).reps;
  const fixedReps = Math.min(FIXED_REPS, datasetReps);
  const searchReps = Math.min(SEARCH_REPS, datasetReps);
  const t0 = performance.now();
  const at = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const api = await startStandIn();
  const base: Omit<SlackChildInput, "mode"> = { apiUrl: api.apiUrl, secret: SECRET };
  const [app, floor] = await Promise.all([
    startServer("slack-child.ts", {
      ...base,
      mode: "app",
      file: o.file,
      now: o.now,
      reps: searchReps,
    } satisfies SlackChildInput),
    startServer("slack-child.ts", { ...base, mode: "floor" } satisfies SlackChildInput),
  ]);
  const seconds = o.quick ? 0.3 : 4;
  const stepSeconds = o.quick ? 0.2 : 2;
  const cap = o.quick ? 100 : 3200;
  // The bench's runs per figure (3: a median, as every other section) and one rate search
  // each. With two, the "median" was their mean and one disturbed run decided it: on
  // 2026-12-03 the 200/s p99 of one bench was 28.6 and 183 ms, reported as 106.
  const runs = o.quick ? 1 : o.runs;
  const rows: BenchRow[] = [];
  let undrained = 0;
  const run = async (url: string, r: Parameters<typeof slackRun>[2]) => {
    const out = await slackRun(url, api, r);
    if (!out.drained) {
      undrained++;
      o.log(
        `  slack: the backlog of a ${r.rate}/s run outlasted the wait; the next run starts on a busy server`,
      );
    }
    return out;
  };
  try {
    // Warm-up (JIT, statement plans, the reps' pages), which also counts the posts per turn.
    const one: [number, number] = [1, 1];
    const warm = await run(app.url, {
      maxReps: fixedReps,
      rate: 50,
      seconds: o.quick ? 0.25 : 4,
      perTurn: one,
    });
    await run(floor.url, { maxReps: fixedReps, rate: 200, seconds: o.quick ? 0.25 : 1, perTurn: one });
    // One message per turn, as the app answers both a visit line and 确认 today; should that
    // change, each kind of turn is counted on its own so replies still match their turns.
    const perTurn: [number, number] = warm.posts === warm.sent ? one : await countPerTurn(app.url, api);
    o.log(
      `  slack: posts per turn (visit line, 确认): ${perTurn.join(", ")}; servers up and warm at ${at()}`,
    );
    for (const rate of [100, 200]) {
      const appRuns: SlackRunResult[] = [];
      const floorRuns: OpenLoopResult[] = [];
      for (let k = 0; k < runs; k++) {
        appRuns.push(await run(app.url, { maxReps: fixedReps, rate, seconds, perTurn }));
        floorRuns.push(await run(floor.url, { maxReps: fixedReps, rate, seconds, perTurn: one }));
      }
      const completed = appRuns.reduce((n, r) => n + r.completed, 0);
      const confirms = appRuns.reduce((n, r) => n + r.confirms, 0);
      o.log(
        `  slack ${rate}/s: p50 ${appRuns.map((r) => r.p50).join(", ")} p99 ${appRuns.map((r) => r.p99).join(", ")} ms, errors ${appRuns.map((r) => r.errors).join(", ")}, flows completed ${completed}/${confirms}; Bolt echo p50 ${floorRuns.map((r) => r.p50).join(", ")} p99 ${floorRuns.map((r) => r.p99).join(", ")} ms (at ${at()})`,
      );
      const detail = {
        reps: fixedReps,
        postsPerTurn: perTurn,
        errors: appRuns.map((r) => r.errors),
        achieved: appRuns.map((r) => r.achieved),
        maxMs: appRuns.map((r) => r.max),
        flowsCompleted: completed,
        confirms,
        floorErrors: floorRuns.map((r) => r.errors),
        undrainedRuns: undrained,
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
    // A sustained rate is a steady state: the search's reps each get one flow first, as the
    // fixed-rate runs' reps got the warm-up above. A rep's first turns since start cost more
    // (measured: its statements 1.3–2.3× their warm cost, COMMIT included, as its rows' pages
    // are first read and written): on 2026-12-03 a 400/s step meeting 200 of its reps for the
    // first time failed (p99 1.9 s) where the same step after this pass held p99 under 100 ms.
    // That first contact is measured here and reported on its own row, against the echo's
    // same run.
    const firstSeconds = (2 * searchReps) / FIRST_CONTACT_RATE;
    const appFirst = await run(app.url, {
      maxReps: searchReps,
      rate: FIRST_CONTACT_RATE,
      seconds: firstSeconds,
      perTurn,
    });
    const floorFirst = await run(floor.url, {
      maxReps: searchReps,
      rate: FIRST_CONTACT_RATE,
      seconds: firstSeconds,
      perTurn: one,
    });
    o.log(
      `  slack first contact of ${searchReps} reps at ${FIRST_CONTACT_RATE}/s: p50 ${appFirst.p50} p99 ${appFirst.p99} ms, errors ${appFirst.errors}, flows ${appFirst.completed}/${appFirst.confirms}; Bolt echo p99 ${floorFirst.p99} ms (at ${at()})`,
    );
    rows.push(
      row({
        group: "slack",
        name: `Slack first flow of each of ${searchReps} reps since start, ${FIRST_CONTACT_RATE}/s: p99`,
        unit: "ms",
        runs: [appFirst.p99],
        floorRuns: [floorFirst.p99],
        floorName: "bare Bolt echo",
        detail: {
          p50: appFirst.p50,
          errors: appFirst.errors,
          achieved: appFirst.achieved,
          flowsCompleted: appFirst.completed,
          confirms: appFirst.confirms,
        },
      }),
    );
    const appMax = await maxSustained(
      (rate) => run(app.url, { maxReps: searchReps, rate, seconds: stepSeconds, perTurn }),
      { from: 100, cap, p99Ms: SUSTAINED_P99_MS },
    );
    // The echo passes 200/s in the fixed runs above: its search starts higher, saving steps.
    const floorMax = await maxSustained(
      (rate) => run(floor.url, { maxReps: searchReps, rate, seconds: stepSeconds, perTurn: one }),
      { from: o.quick ? 100 : 400, cap, p99Ms: SUSTAINED_P99_MS },
    );
    // Each step of a search is a slackRun (the search itself knows only its open-loop part);
    // the echo's steps have no flows to count.
    const steps = (s: SearchResult) =>
      s.steps.map((x) => {
        const r = x as SlackRunResult;
        return {
          rate: r.rate,
          p99: r.p99,
          errors: r.errors,
          ...(s === appMax ? { flows: `${r.completed}/${r.confirms}` } : {}),
        };
      });
    o.log(
      `  slack max sustained: app ${appMax.maxRate}/s (${appMax.steps.map((x) => `${x.rate}/s p99 ${x.p99}`).join(", ")}), Bolt echo ${floorMax.maxRate}${floorMax.capped ? "+" : ""}/s (${floorMax.steps.map((x) => `${x.rate}/s p99 ${x.p99}`).join(", ")}) (at ${at()})`,
    );
    rows.push(
      row({
        group: "slack",
        name: `Slack message.im → reply max sustained rate (p99 ≤ ${SUSTAINED_P99_MS} ms, no errors)`,
        unit: "turns/s",
        runs: [appMax.maxRate],
        floorRuns: [floorMax.maxRate],
        floorName: "bare Bolt echo",
        target: atLeastFloor(0.5),
        detail: {
          reps: searchReps,
          floorCappedAt: floorMax.capped ? cap : null,
          undrainedRuns: undrained,
          appSteps: steps(appMax),
          floorSteps: steps(floorMax),
        },
      }),
    );
  } finally {
    await Promise.all([app.stop(), floor.stop()]);
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
