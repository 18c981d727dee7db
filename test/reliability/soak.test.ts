import { describe, expect, it } from "vitest";
import { soak } from "./fixtures/scenarios";

/** RELIABILITY_SOAK_MINUTES shortens or lengthens the soak (default 10). */
const minutes = Number(process.env.RELIABILITY_SOAK_MINUTES ?? 10);
const maxSlopeMbPerMin = Number(process.env.RELIABILITY_SOAK_MAX_SLOPE ?? 1);

describe("soak", () => {
  it(
    `holds memory flat under a steady mixed load for ${minutes} minutes`,
    async () => {
      const { figures, problems } = await soak({
        durationMs: minutes * 60_000,
        ratePerSecond: 40,
        sampleMs: 5_000,
        reps: 30,
      });
      expect(problems).toEqual([]);
      expect(figures.gcExposed).toBe(true);
      expect(figures.samples).toBeGreaterThanOrEqual(6);
      expect(figures.heapSlopeMbPerMin).toBeLessThan(maxSlopeMbPerMin);
    },
    (minutes + 3) * 60_000,
  );
});
