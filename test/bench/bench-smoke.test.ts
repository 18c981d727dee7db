import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

describe("npm run bench -- --quick", () => {
  it("measures every row against its floor and writes the results", async () => {
    await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/run.ts", "--quick"], {
      cwd: root,
      timeout: 170_000,
    });
    const results = JSON.parse(readFileSync(join(root, "bench/scratch/results-quick.json"), "utf8"));
    expect(results).toMatchObject({
      mode: "quick",
      machine: { cores: expect.any(Number), node: expect.any(String) },
    });
    expect(typeof results.date).toBe("string");
    const groups = new Set(results.rows.map((r: { group: string }) => r.group));
    for (const g of ["jobs", "api", "chat", "import", "outbox", "slack"]) expect(groups).toContain(g);
    // Every section measures now; "not measured" would mean a harness broke.
    expect(results.rows.filter((r: { result: string }) => r.result === "not measured")).toEqual([]);
    for (const row of results.rows) {
      expect(row).toHaveProperty("name");
      expect(row).toHaveProperty("target");
      if (row.result === "not measured") {
        expect(row.note).toEqual(expect.any(String));
        continue;
      }
      expect(row.figure).toEqual(expect.any(Number));
      expect(row.floor).toEqual(expect.any(Number));
      expect(["pass", "miss", "n/a"]).toContain(row.result);
      expect(row.ratio).toEqual(expect.any(Number));
      expect(row.runs.length).toBeGreaterThanOrEqual(1);
    }
  }, 180_000);
});
