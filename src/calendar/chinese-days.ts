/**
 * Statutory holidays and make-up workdays (调休) from the chinese-days package.
 * Its data covers 2004–2026 today; for other years we answer null so that admin-entered
 * calendar entries decide instead of a weekday guess dressed up as law.
 *
 * We read the package's shipped data file rather than its functions (isHoliday,
 * isWorkday, getDayDetail): those build their tables with local-time date math at
 * import, and west of Greenwich every make-up workday lands one day early
 * (TZ=America/New_York: 2026-02-14 reads as a day off). The data file is the same
 * table, keyed by plain YYYY-MM-DD, so the answer cannot depend on the server's zone.
 */
import { createRequire } from "node:module";

export type StatutoryDayKind = "off" | "work";

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const isTable = (x: unknown): x is Record<string, string> => typeof x === "object" && x !== null;

const loadData = (): ChineseDaysData => {
  const raw: unknown = createRequire(import.meta.url)("chinese-days/dist/chinese-days.json");
  if (typeof raw !== "object" || raw === null) throw new Error("chinese-days: data file unreadable");
  const { holidays, workdays } = raw as Record<string, unknown>;
  if (!isTable(holidays) || !isTable(workdays)) throw new Error("chinese-days: unexpected data shape");
  return { holidays, workdays };
};

const data = loadData();

/** Years with any listed holiday: every covered year has at least New Year's Day. */
const coveredYears: ReadonlySet<number> = new Set(
  Object.keys(data.holidays).map((d) => Number(d.slice(0, 4))),
);

export const isYearCovered = (year: number): boolean => coveredYears.has(year);

/**
 * "off" for a holiday or weekend, "work" for a working day (调休 Saturdays and Sundays
 * included), null when the year is outside the library's data or the date is malformed.
 */
export const statutoryDayKind = (date: string): StatutoryDayKind | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (utc.toISOString().slice(0, 10) !== date || !isYearCovered(utc.getUTCFullYear())) return null;
  if (Object.hasOwn(data.holidays, date)) return "off";
  if (Object.hasOwn(data.workdays, date)) return "work";
  const weekday = utc.getUTCDay();
  return weekday === 0 || weekday === 6 ? "off" : "work";
};
