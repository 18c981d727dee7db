/**
 * Admin API list endpoints over real HTTP with autocannon: a filtered, paginated page at
 * the data set's size, ids rotating across requests. Floor: a bare Hono handler
 * returning a fixed 50-item JSON under the same load.
 */
import autocannon from "autocannon";
import { ADMIN_ID, customerId, repId, tokenOf } from "./dataset-rows";

export const API_P99_MS = 20;
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
