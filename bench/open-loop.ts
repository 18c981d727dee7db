/**
 * Open-loop load: request i is due at start + i/rate whatever happened to the earlier ones,
 * and its latency runs from that intended time (no coordinated omission: a stalled server
 * is charged for the requests it kept waiting). Keep-alive sockets, 127.0.0.1 only.
 */
import { Agent, request } from "node:http";

export interface OpenRequest {
  path: string;
  /** POST when there is a body (JSON); GET when it is null. */
  body: string | null;
  headers?: Record<string, string>;
}

export interface OpenLoopOptions {
  url: string;
  rate: number;
  seconds: number;
  make: (i: number) => OpenRequest;
  /** Reads the answer (status, body) when given; a false result counts as an error. */
  check?: (i: number, status: number, body: string) => boolean;
  /** Latency that ends the wait for stragglers (they count as errors at this latency). */
  timeoutMs?: number;
  /** When the server-side effect completes elsewhere (a Slack reply): resolves with the end time. */
  completion?: (i: number) => Promise<number>;
}

export interface OpenLoopResult {
  rate: number;
  sent: number;
  ok: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers per second over the run. */
  achieved: number;
}

export const percentile = (sorted: ArrayLike<number>, p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const round = (n: number) => Math.round(n * 100) / 100;

export const openLoop = (o: OpenLoopOptions): Promise<OpenLoopResult> => {
  const target = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const total = Math.max(1, Math.round(o.rate * o.seconds));
  const timeoutMs = o.timeoutMs ?? 5000;
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let done = 0;
  let sent = 0;
  const start = performance.now() + 20;
  const interval = 1000 / o.rate;
  return new Promise((resolve) => {
    let lastEnd = start;
    const finish = () => {
      clearInterval(timer);
      clearTimeout(guard);
      agent.destroy();
      const sorted = Float64Array.from(latencies).sort();
      resolve({
        rate: o.rate,
        sent,
        ok,
        errors: errors + (total - done),
        p50: round(percentile(sorted, 50)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.at(-1) ?? Number.NaN),
        achieved: round((ok * 1000) / Math.max(1, lastEnd - start)),
      });
    };
    const settle = (intended: number, good: boolean, end = performance.now()) => {
      const latency = end - intended;
      latencies.push(Math.min(latency, timeoutMs));
      if (good && latency < timeoutMs) ok++;
      else errors++;
      lastEnd = Math.max(lastEnd, end);
      if (++done === total) finish();
    };
    const fire = (i: number) => {
      const intended = start + i * interval;
      const r = o.make(i);
      const body = r.body === null ? null : Buffer.from(r.body);
      const completion = o.completion?.(i);
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: body ? "POST" : "GET",
          path: r.path,
          headers: body
            ? { "content-type": "application/json", "content-length": body.length, ...r.headers }
            : r.headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            const good =
              status < 400 && (!o.check || o.check(i, status, Buffer.concat(chunks).toString("utf8")));
            if (!completion || !good) return settle(intended, good);
            completion.then(
              (end) => settle(intended, true, end),
              () => settle(intended, false),
            );
          });
        },
      );
      req.on("error", () => settle(intended, false));
      req.end(body ?? undefined);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) fire(sent++);
    };
    const timer = setInterval(tick, 1);
    // Stragglers past the timeout are counted as errors; the run never hangs.
    const guard = setTimeout(finish, o.seconds * 1000 + timeoutMs + 1000);
  });
};

export interface SearchResult {
  maxRate: number;
  capped: boolean;
  steps: OpenLoopResult[];
}

/**
 * The highest rate whose p99 stays within `p99Ms` with no errors: doubles from `from`
 * until a rate fails, then bisects three times between the last pass and the failure.
 */
export const maxSustained = async (
  run: (rate: number) => Promise<OpenLoopResult>,
  opts: { from: number; cap: number; p99Ms: number },
): Promise<SearchResult> => {
  const steps: OpenLoopResult[] = [];
  const passes = async (rate: number) => {
    const r = await run(rate);
    steps.push(r);
    return r.errors === 0 && r.p99 <= opts.p99Ms && r.achieved >= rate * 0.9;
  };
  let good = 0;
  let bad = 0;
  for (let rate = opts.from; rate <= opts.cap; rate *= 2) {
    if (await passes(rate)) good = rate;
    else {
      bad = rate;
      break;
    }
  }
  if (bad === 0) return { maxRate: good, capped: true, steps };
  for (let k = 0; k < 3; k++) {
    const mid = Math.round((good + bad) / 2);
    if (await passes(mid)) good = mid;
    else bad = mid;
  }
  return { maxRate: good, capped: false, steps };
};
