import { describe, expect, it } from "vitest";
import { addDays, daysBetween, isIsoDate } from "../../../src/domain/dates";

const DAY_MS = 86_400_000;
/** What addDays and daysBetween computed before they stopped parsing strings. */
const parsed = (d: string) => new Date(`${d}T00:00:00.000Z`).getTime();
const parsedAddDays = (d: string, n: number) => new Date(parsed(d) + n * DAY_MS).toISOString().slice(0, 10);
const parsedDaysBetween = (a: string, b: string) => Math.round((parsed(b) - parsed(a)) / DAY_MS);

describe("calendar arithmetic", () => {
  it("crosses months, leap days and years", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-08-19", -180)).toBe("2026-02-20");
    expect(daysBetween("2026-01-01", "2027-01-01")).toBe(365);
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2026-08-19", "2026-08-01")).toBe(-18);
  });

  it("agrees with parsing the date as an ISO instant, rollover and invalid dates included", () => {
    const odd = [
      "2026-02-30",
      "2026-04-31",
      "2000-02-29",
      "1900-02-29",
      "0099-06-15",
      "0100-01-01",
      "9999-12-31",
    ];
    for (const d of odd) {
      expect(addDays(d, 1)).toBe(parsedAddDays(d, 1));
      expect(daysBetween("2026-01-01", d)).toBe(parsedDaysBetween("2026-01-01", d));
    }
    // Seeded walk over 1890–2140, so a failure names a date that can be replayed.
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const d = `${1890 + next(250)}-${String(1 + next(12)).padStart(2, "0")}-${String(1 + next(31)).padStart(2, "0")}`;
      const n = next(2001) - 1000;
      expect(addDays(d, n)).toBe(parsedAddDays(d, n));
      expect(daysBetween(d, "2026-08-19")).toBe(parsedDaysBetween(d, "2026-08-19"));
    }
    for (const bad of ["2026-13-01", "2026-00-10", "2026-01-32", "2026-1-01", "20260101", "abcd-ef-gh", ""]) {
      expect(() => addDays(bad, 1)).toThrow(RangeError);
      expect(daysBetween(bad, "2026-08-19")).toBeNaN();
      expect(isIsoDate(bad)).toBe(false);
    }
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2024-02-29")).toBe(true);
  });
});
