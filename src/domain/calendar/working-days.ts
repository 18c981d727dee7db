/**
 * Whether a date is a working day. China moves working days around holidays (调休: a
 * Saturday or Sunday becomes a working day), so the weekday alone is not enough. The
 * statutory calendar comes in as a function (an adapter over a holiday library lives
 * outside domain/); admin entries (company-specific days) override it.
 */
import { type IsoDate, isoWeekday } from "../dates";

export type DayKind = "off" | "work";

export interface WorkingDayCalendarInput {
  /** The statutory calendar; null when it has no data for that date. */
  statutory: (date: IsoDate) => DayKind | null;
  /** Company-specific overrides set by an admin. */
  admin?: ReadonlyMap<IsoDate, DayKind>;
}

export interface WorkingDayCalendar {
  isWorkingDay(date: IsoDate): boolean;
  dayKind(date: IsoDate): DayKind;
}

/** Monday–Friday work, Saturday and Sunday off: the fallback without calendar data. */
export const weekdayRule = (date: IsoDate): DayKind => (isoWeekday(date) <= 5 ? "work" : "off");

export const createWorkingDayCalendar = (input: WorkingDayCalendarInput): WorkingDayCalendar => {
  const admin = input.admin ?? new Map<IsoDate, DayKind>();
  const dayKind = (date: IsoDate): DayKind => admin.get(date) ?? input.statutory(date) ?? weekdayRule(date);
  return { dayKind, isWorkingDay: (date) => dayKind(date) === "work" };
};
