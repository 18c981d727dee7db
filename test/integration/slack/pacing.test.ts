import { describe, expect, it } from "vitest";
import { createPacer } from "../../../src/bot/slack/pacing";

describe("Slack pacing per channel", () => {
  it("lets a burst through, then holds a flood to one message a gap", () => {
    let t = 10_000;
    const p = createPacer({ gapMs: 1_000, burst: 3, now: () => t });
    expect([p.reserve("D1"), p.reserve("D1"), p.reserve("D1")]).toEqual([0, 0, 0]);
    expect([p.reserve("D1"), p.reserve("D1")]).toEqual([1_000, 2_000]);
    // Another channel is not held up by D1's flood.
    expect(p.reserve("D2")).toBe(0);
    // After a quiet spell the burst is available again.
    t += 10_000;
    expect([p.reserve("D1"), p.reserve("D1"), p.reserve("D1"), p.reserve("D1")]).toEqual([0, 0, 0, 1_000]);
  });

  it("refills one slot per gap", () => {
    let t = 0;
    const p = createPacer({ gapMs: 1_000, burst: 2, now: () => t });
    expect([p.reserve("D"), p.reserve("D"), p.reserve("D")]).toEqual([0, 0, 1_000]);
    t = 3_000;
    expect([p.reserve("D"), p.reserve("D"), p.reserve("D")]).toEqual([0, 0, 1_000]);
  });

  it("with a burst of one keeps every message a full gap apart", () => {
    let t = 0;
    const p = createPacer({ gapMs: 500, burst: 1, now: () => t });
    expect(p.reserve("D")).toBe(0);
    t = 200;
    expect(p.reserve("D")).toBe(300);
    expect(p.reserve("D")).toBe(800);
  });

  it("forgets idle channels past its bound", () => {
    let t = 0;
    const p = createPacer({ gapMs: 100, burst: 1, now: () => t, maxChannels: 3 });
    for (const c of ["a", "b", "c"]) p.reserve(c);
    t = 1_000;
    p.reserve("d");
    expect(p.size()).toBe(1);
  });
});
