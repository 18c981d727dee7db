import { describe, expect, it } from "vitest";
import { fuzzApi, fuzzChat, soak, twoProcesses } from "../reliability/fixtures/scenarios";

/**
 * The reliability suite (`npm run test:reliability`) in a bounded form for CI: the same
 * child processes and checks with small parameters — a short two-process run, 1,000 fuzzed
 * chat inputs, 200 fuzzed API bodies and a 20-second soak.
 */
describe("reliability, bounded", () => {
  it("runs two app processes on one file without doubling a job, losing a turn or surfacing SQLITE_BUSY", async () => {
    const { figures, problems } = await twoProcesses({ reps: 6, visitsPerRep: 2, jobRounds: 1 });
    expect(problems).toEqual([]);
    expect(figures.turns.answered).toBe(figures.turns.sent);
  }, 60_000);

  it("answers 1,000 fuzzed chat inputs and 200 fuzzed API bodies without a 500", async () => {
    const chat = await fuzzChat({ inputs: 1_000, reps: 8, seed: 7 });
    expect(chat.problems).toEqual([]);
    const api = await fuzzApi({ bodies: 200, seed: 7 });
    expect(api.problems).toEqual([]);
  }, 90_000);

  it("holds memory flat through a 20-second soak", async () => {
    const { figures, problems } = await soak({
      durationMs: 20_000,
      ratePerSecond: 30,
      sampleMs: 1_000,
      reps: 10,
    });
    expect(problems).toEqual([]);
    expect(figures.samples).toBeGreaterThanOrEqual(10);
    // A short run's slope is noisy: bounded here by 20 MB/min; the full soak holds 1 MB/min.
    expect(figures.heapSlopeMbPerMin).toBeLessThan(20);
  }, 60_000);
});
