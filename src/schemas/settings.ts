import { z } from "zod";
import { cny } from "./common";

/**
 * Every admin-changeable rule with its schema and DOMAIN.md's default. `PUT /api/settings/{key}`
 * validates against these; the domain receives the values as plain arguments.
 */
const strategy = z.enum(["grow", "maintain", "nurture", "develop", "evaluate", "none"]);
const gridCell = z.object({
  usage: z.number().int().min(0).max(4),
  potential: z.number().int().min(0).max(4),
  class: z.enum(["A", "B", "C"]).nullable(),
  strategy,
  visitsPerMonth: z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }).nullable(),
});
const segmentGrid = z
  .array(gridCell)
  .length(25, "must have all 25 cells")
  .refine(
    (cells) => new Set(cells.map((c) => `${c.usage}x${c.potential}`)).size === 25,
    "each usage×potential cell exactly once",
  );
const vpm = (min: number, max: number) => ({ min, max });
const defaultGrid = (() => {
  const cells: z.infer<typeof gridCell>[] = [];
  for (let usage = 0; usage <= 4; usage++)
    for (let potential = 0; potential <= 4; potential++) {
      const cell = (
        cls: "A" | "B" | "C" | null,
        s: z.infer<typeof strategy>,
        v: { min: number; max: number } | null,
      ) => cells.push({ usage, potential, class: cls, strategy: s, visitsPerMonth: v });
      if (potential === 0) cell(null, "none", null);
      else if (potential <= 2 && usage >= 3) cell("B", "maintain", vpm(2, 2));
      else if (potential === 1 && usage <= 1) cell("C", "evaluate", vpm(1, 1));
      else if (potential <= 2) cell("B", "nurture", vpm(2, 4));
      else if (usage === 0) cell("C", "develop", vpm(4, 6));
      else if (usage <= 2) cell("B", "develop", vpm(4, 6));
      else cell("A", "grow", vpm(4, 6));
    }
  return cells;
})();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");

export const settingSchemas = {
  "segment.grid": segmentGrid,
  "grade.hospital": z.object({
    A: z.object({ beds: z.number(), dailyOutpatients: z.number(), monthlyPurchaseCny: cny }),
    B: z.object({ beds: z.number(), dailyOutpatients: z.number(), monthlyPurchaseCny: cny }),
  }),
  "grade.pharmacy": z.object({ storeMonthlyCny: cny, ourMonthlyCny: cny }),
  "plan.dailyCap": z.number().int().min(1).max(30),
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
  "churn.cycleDefaults": z.object({ pharmacy: z.number(), hospital: z.number(), distributor: z.number() }),
  "churn.notify": z.enum(["owner", "owner_and_manager", "commercial"]),
  "care.perMonthCap": z.number().int().min(0).max(31),
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
  "segment.grid": defaultGrid,
  "grade.hospital": {
    A: { beds: 500, dailyOutpatients: 1500, monthlyPurchaseCny: 5_000_000 },
    B: { beds: 200, dailyOutpatients: 500, monthlyPurchaseCny: 1_000_000 },
  },
  "grade.pharmacy": { storeMonthlyCny: 500_000, ourMonthlyCny: 10_000 },
  "plan.dailyCap": 10,
  "stock.discrepancyUnits": 50,
  "stock.discrepancyRatio": 0.2,
  "approval.directManagerLimitCny": 2000,
  "approval.fallbackApproverId": null,
  "expense.perHeadCapCny": 300,
  "expense.overBudget": "escalate",
  "expense.noBudget": "allow",
  "churn.overdueFactor": 1.5,
  "churn.upgradeFactor": 2.5,
  "churn.declineRatio": 0.6,
  "churn.declineWindowDays": 90,
  "churn.cycleDefaults": { pharmacy: 30, hospital: 60, distributor: 30 },
  "churn.notify": "owner_and_manager",
  "care.perMonthCap": 2,
  "care.window": { from: "08:00", to: "21:00" },
  "chat.idleMinutes": 30,
  "outbox.maxAttempts": 8,
  "outbox.pacing": {
    slack: { perMinute: 60, perHour: 3600 },
    wecom: { perMinute: 30, perHour: 1000 },
  },
};

export const isSettingKey = (k: string): k is SettingKey => k in settingSchemas;
