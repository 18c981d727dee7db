/**
 * Chat turns through `POST /api/chat`, open loop: simulated reps each send a one-line
 * visit, then `确认` (a real flow that logs a visit), every request with a unique event id
 * and the rep's own token. Floor: a bare Hono JSON echo under the same load.
 */
import { doctorName, repId, tokenOf } from "./dataset-rows";
import {
  maxSustained,
  type OpenLoopResult,
  type OpenRequest,
  openLoop,
  type SearchResult,
} from "./open-loop";

export const CHAT_P99_MS = 50;
export const SUSTAINED_P99_MS = 200;

let runs = 0;

/** Request i of a run: rep i mod n; its even turns a visit line, its odd turns 确认. */
export const chatRequests = (reps: number) => {
  const tag = `${process.pid}-${Date.now().toString(36)}-${++runs}`;
  const make = (i: number): OpenRequest => {
    const r = i % reps;
    const step = Math.floor(i / reps);
    const text = step % 2 === 0 ? `拜访 ${doctorName(r, Math.floor(step / 2) % 76)} 昨天 评级6` : "确认";
    return {
      path: "/api/chat",
      body: JSON.stringify({ eventId: `bench-${tag}-${i}`, text }),
      headers: { authorization: `Bearer ${tokenOf(repId(r))}` },
    };
  };
  return { make, tag };
};

export interface FlowCount {
  completed: number;
  confirms: number;
}

/** Counts `确认` answers that completed a visit (the flows were real, not help). */
export const chatCheck = (reps: number, count: FlowCount) => (i: number, status: number, body: string) => {
  if (status !== 200) return false;
  if (Math.floor(i / reps) % 2 === 1) {
    count.confirms++;
    if (body.includes('"status":"completed"')) count.completed++;
  }
  return true;
};

export const appChatRun = async (url: string, reps: number, rate: number, seconds: number) => {
  const count: FlowCount = { completed: 0, confirms: 0 };
  const { make } = chatRequests(reps);
  const result = await openLoop({ url, rate, seconds, make, check: chatCheck(reps, count) });
  return { result, count };
};

export const floorChatRun = (url: string, reps: number, rate: number, seconds: number) => {
  const { make } = chatRequests(reps);
  return openLoop({ url, rate, seconds, make: (i) => ({ ...make(i), path: "/echo" }) });
};

export interface ChatFigures {
  fixed: { rate: number; app: OpenLoopResult; floor: OpenLoopResult; completed: number; confirms: number }[];
  sustained: { app: SearchResult; floor: SearchResult };
}

export const searchRate = (run: (rate: number) => Promise<OpenLoopResult>, cap: number) =>
  maxSustained(run, { from: 100, cap, p99Ms: SUSTAINED_P99_MS });
