import { describe, expect, it } from "vitest";
import { killDuringFlow, killDuringJob } from "./fixtures/scenarios";

describe("kill -9 and restart", () => {
  it("lets a rep killed mid-flow continue the same step with the same data", async () => {
    const { problems } = await killDuringFlow();
    expect(problems).toEqual([]);
  }, 120_000);

  it("finishes a daily plan killed midway with every recipient done exactly once", async () => {
    const { figures, problems } = await killDuringJob({ reps: 90, itemDelayMs: 25 });
    expect(problems).toEqual([]);
    expect(figures.markedAtKill).toBeGreaterThan(0);
    expect(figures.markedAtKill).toBeLessThan(figures.recipients);
  }, 180_000);
});
