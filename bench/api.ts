/**
 * Admin API list endpoints over real HTTP: a filtered, paginated page at the data set's
 * size, ids rotating across requests. Latency is measured open loop at a fixed rate (each
 * request timed from when it was due, as the chat turns are); throughput with autocannon's
 * closed loop, whose 10 connections never pause, so the server is always saturated and a
 * request's latency there is mostly the nine requests queued ahead of it. Floor: a bare
 * Hono handler returning a fixed 50-item JSON under the same load.
 */
import autocannon from "autocannon";
import { ADMIN_ID, customerId, repId, tokenOf } from "./dataset-rows";
import { type OpenLoopResult, openLoop } from "./open-loop";

export const API_P99_MS = 20;
/** The latency target's load: the chat target's rate, far above what admins click. */
export const API_RATE = 200;
export const API_CONNECTIONS = 10;

export interface ApiCase {
  name: string;
  path: (k: number) => string;
}

/** Buyers are customers 88–103 of each rep's book (4 hospitals first: 0–3). */
export const apiCases = (reps: number, month: string): ApiCase[] => [
  {
    name: "GET /api/customers?repId=…&limit=50",
    path: (k) => `/api/customers?repId=${repId(k % reps)}&limit=50`,
  },
  {
    name: "GET /api/purchases?customerId=…&limit=50",
    path: (k) => `/api/purchases?customerId=${customerId(k % reps, k % 4)}&limit=50`,
  },
  {
    name: "GET /api/visits?repId=…&month=…&limit=50",
    path: (k) => `/api/visits?repId=${repId(k % reps)}&month=${month}&limit=50`,
  },
  { name: "GET /api/outbox?status=pending&limit=50", path: () => "/api/outbox?status=pending&limit=50" },
];

export interface CannonFigures {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

/** One closed-loop autocannon run (connections × duration) over rotating paths. */
export const cannon = async (
  url: string,
  path: (k: number) => string,
  seconds: number,
): Promise<CannonFigures> => {
  let k = 0;
  const result = await autocannon({
    url,
    connections: API_CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${tokenOf(ADMIN_ID)}` },
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: path(k++) }) }],
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.timeouts + result.non2xx,
  };
};

/** One open-loop run of GET requests at a fixed rate; anything but 200 counts as an error. */
export const openApiRun = (
  url: string,
  path: (k: number) => string,
  rate: number,
  seconds: number,
): Promise<OpenLoopResult> =>
  openLoop({
    url,
    rate,
    seconds,
    make: (k) => ({ path: path(k), body: null, headers: { authorization: `Bearer ${tokenOf(ADMIN_ID)}` } }),
    check: (_k, status) => status === 200,
  });
