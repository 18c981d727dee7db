/**
 * The HTTP sections against one app server and one floor server (child processes, the
 * load generator here): admin list endpoints (autocannon) and chat turns (open loop).
 */
import { API_CONNECTIONS, API_P99_MS, API_RATE, apiCases, cannon, openApiRun } from "./api";
import { appChatRun, CHAT_P99_MS, floorChatRun, SUSTAINED_P99_MS, searchRate } from "./chat";
import { atMost, type BenchRow, row } from "./report";

export interface HttpOptions {
  appUrl: string;
  floorUrl: string;
  reps: number;
  month: string;
  runs: number;
  /** Seconds per autocannon run, per fixed-rate chat run, per step of the rate search. */
  apiSeconds: number;
  chatSeconds: number;
  stepSeconds: number;
  rates: number[];
  searchCap: number;
  log: (s: string) => void;
}

export const apiRows = async (o: HttpOptions): Promise<BenchRow[]> => {
  const cases = apiCases(o.reps, o.month);
  // Warm-up: JIT, statement caches and the pages the filters touch.
  for (const c of cases) await cannon(o.appUrl, c.path, o.apiSeconds / 2);
  await cannon(o.floorUrl, () => "/floor", o.apiSeconds / 2);
  const floor = [];
  const floorOpen = [];
  for (let k = 0; k < o.runs; k++) {
    floor.push(await cannon(o.floorUrl, () => "/floor", o.apiSeconds));
    floorOpen.push(await openApiRun(o.floorUrl, () => "/floor", API_RATE, o.apiSeconds));
  }
  const floorName = "bare Hono fixed JSON";
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const open = [];
    const runs = [];
    for (let k = 0; k < o.runs; k++) {
      open.push(await openApiRun(o.appUrl, c.path, API_RATE, o.apiSeconds));
      runs.push(await cannon(o.appUrl, c.path, o.apiSeconds));
    }
    o.log(
      `  ${c.name}: at ${API_RATE}/s p99 ${open.map((r) => r.p99).join(", ")} ms (errors ${open.map((r) => r.errors).join(", ")}); ${API_CONNECTIONS} connections p99 ${runs.map((r) => r.p99).join(", ")} ms, ${runs.map((r) => Math.round(r.rps)).join(", ")} req/s`,
    );
    rows.push(
      row({
        group: "api",
        name: `${c.name}: p99 at ${API_RATE}/s (open loop)`,
        unit: "ms",
        runs: open.map((r) => r.p99),
        floorRuns: floorOpen.map((r) => r.p99),
        floorName,
        target: atMost(API_P99_MS, "ms"),
        detail: {
          p50: open.map((r) => r.p50),
          max: open.map((r) => r.max),
          achieved: open.map((r) => r.achieved),
          errors: open.reduce((n, r) => n + r.errors, 0),
        },
      }),
      row({
        group: "api",
        name: `${c.name}: p99 saturated (${API_CONNECTIONS} connections, closed loop)`,
        unit: "ms",
        runs: runs.map((r) => r.p99),
        floorRuns: floor.map((r) => r.p99),
        floorName,
        detail: {
          p50: runs.map((r) => r.p50),
          reqPerSec: runs.map((r) => Math.round(r.rps)),
          errors: runs.reduce((n, r) => n + r.errors, 0),
          floorReqPerSec: floor.map((r) => Math.round(r.rps)),
        },
      }),
    );
  }
  return rows;
};

export const chatRows = async (o: HttpOptions): Promise<BenchRow[]> => {
  await appChatRun(o.appUrl, o.reps, 50, Math.max(1, o.chatSeconds / 2));
  await floorChatRun(o.floorUrl, o.reps, 50, Math.max(1, o.chatSeconds / 2));
  const rows: BenchRow[] = [];
  for (const rate of o.rates) {
    const app = [];
    const floor = [];
    let completed = 0;
    let confirms = 0;
    for (let k = 0; k < o.runs; k++) {
      const a = await appChatRun(o.appUrl, o.reps, rate, o.chatSeconds);
      app.push(a.result);
      completed += a.count.completed;
      confirms += a.count.confirms;
      floor.push(await floorChatRun(o.floorUrl, o.reps, rate, o.chatSeconds));
    }
    o.log(
      `  chat ${rate}/s: p50 ${app.map((r) => r.p50).join(", ")} p99 ${app.map((r) => r.p99).join(", ")} ms, errors ${app.map((r) => r.errors).join(", ")}, flows completed ${completed}/${confirms}`,
    );
    const detail = {
      errors: app.map((r) => r.errors),
      achieved: app.map((r) => r.achieved),
      flowsCompleted: completed,
      confirms,
    };
    const floorName = "bare Hono JSON echo";
    rows.push(
      row({
        group: "chat",
        name: `POST /api/chat at ${rate}/s: p50`,
        unit: "ms",
        runs: app.map((r) => r.p50),
        floorRuns: floor.map((r) => r.p50),
        floorName,
        detail,
      }),
      row({
        group: "chat",
        name: `POST /api/chat at ${rate}/s: p99`,
        unit: "ms",
        runs: app.map((r) => r.p99),
        floorRuns: floor.map((r) => r.p99),
        floorName,
        target: rate >= 200 ? atMost(CHAT_P99_MS, "ms") : undefined,
        detail,
      }),
    );
  }
  const app = [];
  const floor = [];
  // The search is many runs already; two searches keep the bench within its 10 minutes.
  for (let k = 0; k < Math.min(o.runs, 2); k++) {
    app.push(
      await searchRate(
        (rate) => appChatRun(o.appUrl, o.reps, rate, o.stepSeconds).then((r) => r.result),
        o.searchCap,
      ),
    );
    floor.push(
      await searchRate((rate) => floorChatRun(o.floorUrl, o.reps, rate, o.stepSeconds), o.searchCap),
    );
  }
  o.log(
    `  chat max sustained: app ${app.map((s) => s.maxRate).join(", ")}/s, floor ${floor.map((s) => `${s.maxRate}${s.capped ? "+" : ""}`).join(", ")}/s`,
  );
  rows.push(
    row({
      group: "chat",
      name: `POST /api/chat max sustained rate (p99 ≤ ${SUSTAINED_P99_MS} ms, no errors)`,
      unit: "turns/s",
      runs: app.map((s) => s.maxRate),
      floorRuns: floor.map((s) => s.maxRate),
      floorName: "bare Hono JSON echo",
      detail: {
        floorCappedAt: floor.some((s) => s.capped) ? o.searchCap : null,
        appSteps: app.map((s) => s.steps.map((x) => ({ rate: x.rate, p99: x.p99, errors: x.errors }))),
      },
    }),
  );
  return rows;
};
