/**
 * Statutory holidays and make-up workdays (调休) from the chinese-days package.
 * Its data covers 2004–2026 today; for other years we answer null so that admin-entered
 * calendar entries decide instead of a weekday guess dressed up as law.
 */
// Default import: named imports of this CommonJS package fail under Node ESM.
import cd from "chinese-days";

export type StatutoryDayKind = "off" | "work";

const coveredYears = new Map<number, boolean>();

/**
 * The library has no range API. New Year's Day is a statutory holiday every year, so a
 * year is covered exactly when 1 January is listed as a named holiday (an uncovered
 * year falls back to the weekday name).
 */
export const isYearCovered = (year: number): boolean => {
  let covered = coveredYears.get(year);
  if (covered === undefined) {
    const detail = cd.getDayDetail(localDate(year, 1, 1));
    covered = !detail.work && detail.name.includes("元旦");
    coveredYears.set(year, covered);
  }
  return covered;
};

/**
 * "off" for a holiday or weekend, "work" for a working day (调休 Saturdays included),
 * null when the year is outside the library's data or the date is malformed.
 */
export const statutoryDayKind = (date: string): StatutoryDayKind | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isYearCovered(y)) return null;
  return cd.getDayDetail(localDate(y, mo, d)).work ? "work" : "off";
};

/**
 * A local-midnight Date: the library normalizes with local-time getters, so a UTC
 * midnight (what it makes of "YYYY-MM-DD") lands on the previous day west of Greenwich.
 */
const localDate = (y: number, m: number, d: number): Date => new Date(y, m - 1, d);
