import { statutoryDayKind } from "../calendar/chinese-days";
import { holidays } from "../db/schema";
import {
  createWorkingDayCalendar,
  type DayKind,
  type WorkingDayCalendar,
} from "../domain/calendar/working-days";
import type { ServiceContext } from "./context";

/**
 * The working-day calendar: admin-entered days win over the statutory calendar (chinese-days,
 * which covers years up to 2026), which wins over the Monday–Friday rule. Read per call so an
 * admin's new entry counts at once; the table holds a few dozen rows a year.
 */
export const loadWorkingDayCalendar = async ({
  database,
}: Pick<ServiceContext, "database">): Promise<WorkingDayCalendar> => {
  const rows = await database.db.select({ date: holidays.date, kind: holidays.kind }).from(holidays);
  const admin = new Map<string, DayKind>(rows.map((r) => [r.date, r.kind]));
  return createWorkingDayCalendar({ statutory: statutoryDayKind, admin });
};
