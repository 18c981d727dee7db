import { describe, expect, it } from "vitest";
import { twoProcesses } from "./fixtures/scenarios";

describe("two app processes on one database file", () => {
  it("serve chat and run the same jobs at once without doubling, losing a turn or surfacing SQLITE_BUSY", async () => {
    const { figures, problems } = await twoProcesses({ reps: 40, visitsPerRep: 4, jobRounds: 3 });
    expect(problems).toEqual([]);
    expect(figures.turns.answered).toBe(figures.turns.sent);
  }, 300_000);
});
