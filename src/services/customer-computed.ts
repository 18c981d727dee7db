import { getTableColumns, inArray } from "drizzle-orm";
import type { CustomerDecorator, LoadedLinks } from "../api/routes/customers";
import type { Database } from "../db/client";
import { readJsonSelect } from "../db/json-rows";
import type { CustomerRow } from "../db/repos/customers";
import type { SettingsStore } from "../db/repos/settings";
import { coverage, segments } from "../db/schema";
import {
  gradeHospital,
  gradePharmacy,
  type HospitalGrade,
  type HospitalThresholds,
  type PharmacyGrade,
  type PharmacyThresholds,
} from "../domain/customers/grades";
import {
  classifySegment,
  doctorTarget,
  type Scale,
  type SegmentClass,
  type SegmentGrid,
  type Strategy,
  type VisitRange,
} from "../domain/segmentation/grid";
import type { ServiceContext } from "./context";

/** What the field-work services need of the service context. */
export type FieldContext = Pick<ServiceContext, "database" | "settings" | "timeZone" | "now">;

/** The CONTRACT.md shape of one doctor × product segment. */
export interface SegmentView {
  productId: string;
  usage: number;
  potential: number;
  class: SegmentClass | null;
  strategy: Strategy;
  visitsPerMonth: VisitRange | null;
}

export const isScale = (n: number): n is Scale => Number.isInteger(n) && n >= 0 && n <= 4;

/** Rows written before a grid change are still 0–4; anything else is ignored, not guessed. */
export const isScaled = <T extends { usage: number; potential: number }>(
  s: T,
): s is T & { usage: Scale; potential: Scale } => isScale(s.usage) && isScale(s.potential);

export const segmentView = (
  row: { productId: string; usage: number; potential: number },
  grid: SegmentGrid,
): SegmentView => {
  const s =
    isScale(row.usage) && isScale(row.potential) ? classifySegment(row.usage, row.potential, grid) : null;
  return {
    productId: row.productId,
    usage: row.usage,
    potential: row.potential,
    class: s?.class ?? null,
    strategy: s?.strategy ?? "none",
    visitsPerMonth: s?.visitsPerMonth ? { ...s.visitsPerMonth } : null,
  };
};

/** The grid and thresholds as settings (the store validates them and falls back to defaults). */
export const loadGrid = (settings: SettingsStore): Promise<SegmentGrid> => settings.get("segment.grid");
export const loadHospitalThresholds = (settings: SettingsStore): Promise<HospitalThresholds> =>
  settings.get("grade.hospital");
export const loadPharmacyThresholds = (settings: SettingsStore): Promise<PharmacyThresholds> =>
  settings.get("grade.pharmacy");

type GradedRow = Pick<
  CustomerRow,
  "kind" | "beds" | "dailyOutpatients" | "monthlyPurchaseCny" | "monthlySalesCny" | "ourMonthlySalesCny"
>;

/** A hospital's or pharmacy's grade; null for the other kinds. */
export const gradeOf = (
  row: GradedRow,
  hospital: HospitalThresholds,
  pharmacy: PharmacyThresholds,
): HospitalGrade | PharmacyGrade | null => {
  if (row.kind === "hospital") return gradeHospital(row, hospital);
  if (row.kind === "pharmacy") return gradePharmacy(row, pharmacy);
  return null;
};

const byProduct = <T extends { productId: string }>(rows: T[]) =>
  rows.sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
const segmentColumns = getTableColumns(segments);
const coverageColumns = getTableColumns(coverage);

const groupBy = <T extends { customerId: string }>(rows: T[]) => {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(r.customerId, [...(out.get(r.customerId) ?? []), r]);
  return out;
};

/**
 * Grades, segments and coverage computed at read time from the current settings, so an
 * admin's change of thresholds or grid shows at once. One query per table for a page.
 */
export const createCustomerDecorator =
  (database: Database, settings: SettingsStore): CustomerDecorator =>
  async (rows, loaded) => {
    const { db } = database;
    // Rows whose segments and coverage came with them (a list page) are not read again.
    const ids = (kinds: string[], have: Map<string, unknown> | undefined) =>
      rows.filter((r) => kinds.includes(r.kind) && !have?.has(r.id)).map((r) => r.id);
    const doctorIds = ids(["doctor"], loaded?.segments);
    const accountIds = ids(["hospital", "pharmacy"], loaded?.coverage);
    const [segRows, covRows, grid, hospital, pharmacy] = await Promise.all([
      // A page's many small rows, read as one JSON value each.
      doctorIds.length
        ? readJsonSelect(
            db,
            segmentColumns,
            db.select(segmentColumns).from(segments).where(inArray(segments.customerId, doctorIds)),
          ).then(byProduct)
        : [],
      accountIds.length
        ? readJsonSelect(
            db,
            coverageColumns,
            db.select(coverageColumns).from(coverage).where(inArray(coverage.customerId, accountIds)),
          ).then(byProduct)
        : [],
      loadGrid(settings),
      loadHospitalThresholds(settings),
      loadPharmacyThresholds(settings),
    ]);
    const segOf: LoadedLinks["segments"] = new Map(groupBy(segRows));
    const covOf: LoadedLinks["coverage"] = new Map(groupBy(covRows));
    for (const [id, links] of loaded?.segments ?? []) segOf.set(id, byProduct([...links]));
    for (const [id, links] of loaded?.coverage ?? []) covOf.set(id, byProduct([...links]));
    const out = new Map<string, Record<string, unknown>>();
    for (const r of rows) {
      if (r.kind === "doctor") {
        const mine = (segOf.get(r.id) ?? []).filter(isScaled);
        out.set(r.id, {
          segments: mine.map((s) => segmentView(s, grid)),
          visitsPerMonth: doctorTarget(mine, grid),
        });
      } else if (r.kind === "hospital" || r.kind === "pharmacy") {
        const cov = (covOf.get(r.id) ?? []).map(({ productId, listed, reason }) => ({
          productId,
          listed,
          reason,
        }));
        out.set(r.id, { grade: gradeOf(r, hospital, pharmacy), coverage: cov });
      }
    }
    return out;
  };
