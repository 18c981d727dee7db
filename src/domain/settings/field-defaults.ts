/**
 * Settings introduced by the field-work rules, with their defaults, so the settings
 * table can be seeded from one place. Every value here is something an admin may change
 * (DOMAIN.md marks them *default*).
 */
import { defaultHospitalThresholds, defaultPharmacyThresholds } from "../customers/grades";
import { DEFAULT_DAILY_CAP } from "../plans/daily-plan";
import { defaultSegmentGrid } from "../segmentation/grid";
import { defaultDiscrepancyThresholds } from "../stock/flow";

export const fieldSettingDefaults = {
  /** Most visits in a day's plan (practice: 8–12 calls a day). */
  "plan.dailyCap": DEFAULT_DAILY_CAP,
  /** The 25-cell usage × potential table; validate edits with isValidGrid. */
  "segment.grid": defaultSegmentGrid,
  "grade.hospital": defaultHospitalThresholds,
  "grade.pharmacy": defaultPharmacyThresholds,
  /** A distributor stock report is flagged when off by more than both of these. */
  "stock.discrepancyUnits": defaultDiscrepancyThresholds.units,
  "stock.discrepancyRatio": defaultDiscrepancyThresholds.ratio,
} as const;

export type FieldSettingKey = keyof typeof fieldSettingDefaults;
