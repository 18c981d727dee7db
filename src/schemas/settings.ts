import { z } from "zod";
import { isValidGrid, type SegmentGrid } from "../domain/segmentation/grid";
import { fieldSettingDefaults } from "../domain/settings/field-defaults";
import { moneyDefaults } from "../domain/settings/money-defaults";
import { cny } from "./common";

/**
 * Every admin-changeable rule: its schema here, its default from the domain (DOMAIN.md's
 * figures). `PUT /api/settings/{key}` validates against these; the domain receives the
 * values as plain arguments.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");
const hospitalBounds = z.object({
  beds: z.number().min(0),
  dailyOutpatients: z.number().min(0),
  monthlyPurchaseCny: cny,
});
const days = z.number().int().min(1).max(3650);

export const settingSchemas = {
  "segment.grid": z.custom<SegmentGrid>(
    isValidGrid,
    "must be the 25 usage×potential cells, each exactly once",
  ),
  "grade.hospital": z.object({ A: hospitalBounds, B: hospitalBounds }),
  "grade.pharmacy": z.object({ storeMonthlySalesCny: cny, ourMonthlySalesCny: cny }),
  "plan.dailyCap": z.number().int().min(1).max(30),
  /** Visits a month for graded accounts (hospitals, pharmacies) and distributors. */
  "plan.accountVisitsPerMonth": z.object({ A: days, B: days, C: days, D: days, distributor: days }),
  "stock.discrepancyUnits": z.number().min(0),
  "stock.discrepancyRatio": z.number().min(0).max(10),
  "approval.directManagerLimitCny": cny,
  "approval.fallbackApproverId": z.string().nullable(),
  "expense.perHeadCapCny": cny,
  "expense.overBudget": z.enum(["block", "escalate"]),
  "expense.noBudget": z.enum(["allow", "block"]),
  "churn.overdueFactor": z.number().positive(),
  "churn.upgradeFactor": z.number().positive(),
  "churn.declineRatio": z.number().min(0).max(1),
  "churn.declineWindowDays": z.number().int().min(7).max(365),
  "churn.cycleDefaults": z.object({
    pharmacy: days,
    hospital: days,
    distributor: days,
    department: days,
    doctor: days,
  }),
  "churn.notify": z.enum(["owner", "owner_and_manager", "commercial"]),
  "churn.commercialRoles": z.array(z.enum(["admin", "manager", "finance", "rep"])),
  "care.perMonthCap": z.number().int().min(0).max(31),
  "care.perDayCap": z.number().int().min(0).max(5),
  "care.window": z.object({ from: hhmm, to: hhmm }),
  "chat.idleMinutes": z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  "outbox.maxAttempts": z.number().int().min(1).max(50),
  "outbox.pacing": z.record(
    z.string(),
    z.object({ perMinute: z.number().positive(), perHour: z.number().positive() }),
  ),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValues = { [K in SettingKey]: z.infer<(typeof settingSchemas)[K]> };

export const settingDefaults: SettingValues = {
  ...fieldSettingDefaults,
  "segment.grid": fieldSettingDefaults["segment.grid"],
  "plan.accountVisitsPerMonth": { A: 4, B: 2, C: 1, D: 1, distributor: 1 },
  ...moneyDefaults,
  "churn.commercialRoles": [
    ...moneyDefaults["churn.commercialRoles"],
  ] as SettingValues["churn.commercialRoles"],
  "chat.idleMinutes": 30,
  "outbox.maxAttempts": 8,
  // DOMAIN.md §7: WeCom ~30 a minute and 1,000 an hour per member; Slack ~1 a second per channel.
  "outbox.pacing": {
    slack: { perMinute: 60, perHour: 3600 },
    wecom: { perMinute: 30, perHour: 1000 },
  },
};

export const isSettingKey = (k: string): k is SettingKey => k in settingSchemas;
