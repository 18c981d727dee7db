/**
 * Defaults of every admin setting introduced by the expense, approval, churn and care
 * rules (DOMAIN.md marks them *default*). Keys are the names stored in `settings`;
 * the rules take plain values, so the settings service reads a key or falls back here.
 */

import type { CareWindowSetting } from "../care/eligibility";
import type { ChurnNotify, CycleDefaults } from "../churn/churn";
import type { NoBudgetPolicy, OverBudgetPolicy } from "../expenses/expense-rules";

export interface MoneySettings {
  /** Up to this amount (inclusive) the direct manager alone approves. */
  "approval.directManagerLimitCny": number;
  /** Approver for requesters with no manager (top of the hierarchy); null = unset. */
  "approval.fallbackApproverId": string | null;
  /** Hospitality cap per head, attendees plus the rep. */
  "expense.perHeadCapCny": number;
  "expense.overBudget": OverBudgetPolicy;
  "expense.noBudget": NoBudgetPolicy;
  "churn.overdueFactor": number;
  "churn.upgradeFactor": number;
  "churn.declineRatio": number;
  "churn.declineWindowDays": number;
  "churn.cycleDefaults": CycleDefaults;
  "churn.notify": ChurnNotify;
  /** Roles counted as commercial (商务) staff when churn.notify = "commercial". */
  "churn.commercialRoles": string[];
  "care.perMonthCap": number;
  "care.perDayCap": number;
  /** Local time of day care messages may go out; undelivered at `to` → expired. */
  "care.window": CareWindowSetting;
}

export const moneyDefaults: Readonly<MoneySettings> = Object.freeze({
  "approval.directManagerLimitCny": 2000,
  "approval.fallbackApproverId": null,
  "expense.perHeadCapCny": 300,
  "expense.overBudget": "escalate",
  "expense.noBudget": "allow",
  "churn.overdueFactor": 1.5,
  "churn.upgradeFactor": 2.5,
  "churn.declineRatio": 0.6,
  "churn.declineWindowDays": 90,
  "churn.cycleDefaults": { pharmacy: 30, hospital: 60, distributor: 30, department: 60, doctor: 60 },
  "churn.notify": "owner",
  // Sales ops (admin) stand in for 商务 staff: CONTRACT.md has no separate role.
  "churn.commercialRoles": ["admin"],
  "care.perMonthCap": 2,
  "care.perDayCap": 1,
  "care.window": { from: "08:00", to: "21:00" },
});
