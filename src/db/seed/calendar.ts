import { addDays, lastDayOfMonth, monthOf } from "../../domain/dates";
import { seedId } from "./random";
import type { BudgetRow, HolidayRow, SeedContext, SeedRep } from "./types";

type Span = readonly [from: string, to: string, kind: "off" | "work", name: string];

/**
 * 2027 as expected (the chinese-days data ends with 2026 and the State Council publishes
 * the next year's arrangement late in the year): best effort, named "（预计）" so an admin
 * knows to check it against the official notice. Lunar dates: 春节 2027-02-06 (除夕 02-05),
 * 端午 06-09, 中秋 09-15; 清明 04-05.
 */
const expected2027: readonly Span[] = [
  ["2027-01-01", "2027-01-03", "off", "元旦（预计）"],
  ["2027-02-05", "2027-02-13", "off", "春节（预计）"],
  ["2027-01-31", "2027-01-31", "work", "春节调休上班（预计）"],
  ["2027-02-20", "2027-02-20", "work", "春节调休上班（预计）"],
  ["2027-04-03", "2027-04-05", "off", "清明节（预计）"],
  ["2027-05-01", "2027-05-05", "off", "劳动节（预计）"],
  ["2027-04-25", "2027-04-25", "work", "劳动节调休上班（预计）"],
  ["2027-05-08", "2027-05-08", "work", "劳动节调休上班（预计）"],
  ["2027-06-09", "2027-06-09", "off", "端午节（预计）"],
  ["2027-09-15", "2027-09-15", "off", "中秋节（预计）"],
  ["2027-10-01", "2027-10-07", "off", "国庆节（预计）"],
  ["2027-09-26", "2027-09-26", "work", "国庆节调休上班（预计）"],
  ["2027-10-09", "2027-10-09", "work", "国庆节调休上班（预计）"],
];

// Company-specific days, so the admin calendar has entries for the current year too.
const companyDays: readonly Span[] = [
  ["2026-12-31", "2026-12-31", "off", "公司年会"],
  ["2026-12-26", "2026-12-26", "work", "年终冲刺（周六上班）"],
];

export const buildHolidays = (ctx: SeedContext): HolidayRow[] =>
  [...expected2027, ...companyDays].flatMap(([from, to, kind, name]) => {
    const rows: HolidayRow[] = [];
    for (let d = from; d <= to; d = addDays(d, 1))
      rows.push({ date: d, kind, name, createdAt: ctx.createdAt, updatedAt: ctx.createdAt });
    return rows;
  });

/** Monthly budget per rep and category (CNY), for the current and next month. */
const monthlyBudget: Record<string, number> = {
  travel: 3000,
  accommodation: 2000,
  transport: 800,
  meals: 1500,
  hospitality: 5000,
  department_meeting: 8000,
  samples: 2000,
  conference: 3000,
};

export const buildBudgets = (ctx: SeedContext, reps: readonly SeedRep[]): BudgetRow[] => {
  const current = monthOf(ctx.refDate);
  const next = monthOf(addDays(lastDayOfMonth(current), 1));
  return reps.flatMap((rep) =>
    [current, next].flatMap((month) =>
      Object.entries(monthlyBudget).map(([category, amountCny]) => ({
        id: seedId(`budget:${rep.id}:${month}:${category}`),
        repId: rep.id,
        month,
        category,
        amountCny,
        createdAt: ctx.createdAt,
        updatedAt: ctx.createdAt,
      })),
    ),
  );
};
