import { setImmediate } from "node:timers/promises";

/**
 * Lets timers and I/O run between pages of a long computation. Local libSQL calls resolve as
 * microtasks and never give the event loop a turn, so a job over a big book would otherwise
 * hold every chat turn and HTTP request (and the process's own timers) for its whole run.
 */
export const yieldToEventLoop = (): Promise<void> => setImmediate();
