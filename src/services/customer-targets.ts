import type { Db } from "../db/client";
import { inJson } from "../db/in-json";
import { jsonRows, readJsonRows } from "../db/json-rows";
import type { SettingsStore } from "../db/repos/settings";
import { type customers, segments } from "../db/schema";
import {
  gradeOf,
  isScaled,
  loadGrid,
  loadHospitalThresholds,
  loadPharmacyThresholds,
  segmentView,
} from "./customer-computed";

export interface CustomerTarget {
  className: "A" | "B" | "C" | null;
  /** Most visits a month the customer should get; 0 = not a visit target. */
  targetPerMonth: number;
}

/** The columns targets are computed from (a row of the customers table, or a narrower select). */
type CustomerRow = Pick<
  typeof customers.$inferSelect,
  | "id"
  | "kind"
  | "beds"
  | "dailyOutpatients"
  | "monthlyPurchaseCny"
  | "monthlySalesCny"
  | "ourMonthlySalesCny"
>;
const rank = { A: 3, B: 2, C: 1 } as const;
const segmentFields = {
  customerId: segments.customerId,
  productId: segments.productId,
  usage: segments.usage,
  potential: segments.potential,
};

/** A doctor's class and target from the product with the highest target (the better class on a tie). */
const doctorTargetOf = (views: ReturnType<typeof segmentView>[]): CustomerTarget => {
  let best: CustomerTarget = { className: null, targetPerMonth: 0 };
  for (const v of views) {
    const max = v.visitsPerMonth?.max ?? 0;
    const better =
      max > best.targetPerMonth ||
      (max === best.targetPerMonth && v.class && (!best.className || rank[v.class] > rank[best.className]));
    if (better) best = { className: v.class, targetPerMonth: max };
  }
  return best;
};

/**
 * Visit targets for the daily plan: doctors from their segments (DOMAIN.md §2), hospitals
 * and pharmacies from their grade (setting `plan.accountVisitsPerMonth`), distributors
 * monthly. One query for the segments of all rows.
 */
export const loadTargets = async (db: Db, settings: SettingsStore, rows: CustomerRow[]) => {
  const [grid, hospital, pharmacy, accounts] = await Promise.all([
    loadGrid(settings),
    loadHospitalThresholds(settings),
    loadPharmacyThresholds(settings),
    settings.get("plan.accountVisitsPerMonth"),
  ]);
  const doctorIds = rows.filter((r) => r.kind === "doctor").map((r) => r.id);
  const segs = doctorIds.length
    ? await readJsonRows(
        segmentFields,
        db
          .select({ rows: jsonRows(segmentFields) })
          .from(segments)
          .where(inJson(segments.customerId, doctorIds)),
      )
    : [];
  // Grouped once: a page of reps brings thousands of doctors, and a scan per doctor is quadratic.
  const segsOf = new Map<string, (typeof segs)[number][]>();
  for (const s of segs) if (isScaled(s)) segsOf.set(s.customerId, [...(segsOf.get(s.customerId) ?? []), s]);
  const out = new Map<string, CustomerTarget>();
  for (const r of rows) {
    if (r.kind === "doctor") {
      out.set(r.id, doctorTargetOf((segsOf.get(r.id) ?? []).map((s) => segmentView(s, grid))));
      continue;
    }
    const grade = gradeOf(r, hospital, pharmacy);
    if (grade) out.set(r.id, { className: grade === "D" ? "C" : grade, targetPerMonth: accounts[grade] });
    else
      out.set(r.id, { className: null, targetPerMonth: r.kind === "distributor" ? accounts.distributor : 0 });
  }
  return out;
};
