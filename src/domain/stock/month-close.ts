/**
 * Month close (月结, DOMAIN.md §4): once a month is closed its flow and stock are
 * locked; corrections go through an adjustment record, never an edit.
 */
import { type IsoDate, monthOf } from "../dates";
import { fail, ok, type Result } from "../result";

/** `closedMonths` holds `YYYY-MM` strings. */
export const isMonthLocked = (date: IsoDate, closedMonths: ReadonlySet<string>): boolean =>
  closedMonths.has(monthOf(date));

export const guardMonthOpen = (date: IsoDate, closedMonths: ReadonlySet<string>): Result<true> =>
  isMonthLocked(date, closedMonths)
    ? fail("locked", "month.locked", { month: monthOf(date) }, "date")
    : ok(true);
