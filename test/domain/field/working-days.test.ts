import { describe, expect, it } from "vitest";
import { createWorkingDayCalendar, type DayKind } from "../../../src/domain/calendar/working-days";
import { buildDailyPlan, type DailyPlanInput } from "../../../src/domain/plans/daily-plan";

// Fixture calendar: Thursday 1 Oct 2026 is a holiday; Saturday 10 Oct is a 调休 working day.
const statutoryDays: Record<string, DayKind> = { "2026-10-01": "off", "2026-10-10": "work" };
const statutory = (date: string): DayKind | null => statutoryDays[date] ?? null;

describe("working-day calendar", () => {
  const cal = createWorkingDayCalendar({ statutory, admin: new Map() });

  it("falls back to Monday–Friday without calendar data", () => {
    expect(cal.isWorkingDay("2026-10-12")).toBe(true); // Monday
    expect(cal.isWorkingDay("2026-10-16")).toBe(true); // Friday
    expect(cal.isWorkingDay("2026-10-17")).toBe(false); // Saturday
    expect(cal.isWorkingDay("2026-10-18")).toBe(false); // Sunday
  });

  it("follows the statutory calendar: a weekday holiday is off, a 调休 Saturday is work", () => {
    expect(cal.isWorkingDay("2026-10-01")).toBe(false);
    expect(cal.isWorkingDay("2026-10-10")).toBe(true);
  });

  it("lets an admin entry win over the statutory calendar", () => {
    const admin = new Map<string, DayKind>([
      ["2026-10-10", "off"],
      ["2026-10-01", "work"],
      ["2026-10-14", "off"],
    ]);
    const withAdmin = createWorkingDayCalendar({ statutory, admin });
    expect(withAdmin.isWorkingDay("2026-10-10")).toBe(false);
    expect(withAdmin.isWorkingDay("2026-10-01")).toBe(true);
    expect(withAdmin.isWorkingDay("2026-10-14")).toBe(false);
  });

  it("gives a plan on a 调休 Saturday and none on a weekday holiday", () => {
    const plan = (date: string) => {
      const input: DailyPlanInput = {
        date,
        isWorkingDay: cal.isWorkingDay(date),
        customers: [
          {
            id: "c1",
            name: "A",
            area: "x",
            className: "A",
            targetPerMonth: 4,
            visitsThisMonth: 0,
            lastVisitOn: null,
          },
        ],
        followUps: [],
        coVisits: [],
      };
      return buildDailyPlan(input);
    };
    expect(plan("2026-10-10").items.map((i) => i.customerId)).toEqual(["c1"]);
    expect(plan("2026-10-01")).toEqual({ date: "2026-10-01", items: [], reason: "day_off" });
  });
});
