import { describe, expect, it } from "vitest";
import { fuzzApi, fuzzChat } from "./fixtures/scenarios";

const seed = Number(process.env.RELIABILITY_SEED ?? 20261122);

describe("fuzzed inputs", () => {
  it("answers 10,000 fuzzed chat inputs with replies or a clear 4xx, never a 500", async () => {
    const { figures, problems } = await fuzzChat({ inputs: 10_000, reps: 8, seed });
    expect(problems).toEqual([]);
    expect(figures.sent).toBe(10_000);
  }, 600_000);

  it("answers 1,000 fuzzed API bodies across the write endpoints in the error shape, never a 500", async () => {
    const { figures, problems } = await fuzzApi({ bodies: 1_000, seed });
    expect(problems).toEqual([]);
    expect(figures.bodies).toBe(1_000);
  }, 300_000);
});
