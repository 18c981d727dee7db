import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import type { SettingsStore } from "../db/repos/settings";
import { type customers, segments } from "../db/schema";
import { gradeHospital, gradePharmacy } from "../domain/customers/grades";
import { classifySegment, type Scale } from "../domain/segmentation/grid";

export interface CustomerTarget {
  className: "A" | "B" | "C" | null;
  /** Most visits a month the customer should get; 0 = not a visit target. */
  targetPerMonth: number;
}

type CustomerRow = typeof customers.$inferSelect;
const rank = { A: 3, B: 2, C: 1 } as const;

/**
 * Visit targets for a set of customers: doctors from their segments (the highest over
 * products, DOMAIN.md §2); hospitals and pharmacies from their grade; distributors monthly.
 * One query for the segments of all rows.
 */
export const loadTargets = async (db: Db, settings: SettingsStore, rows: CustomerRow[]) => {
  const [grid, hospital, pharmacy, accounts] = await Promise.all([
    settings.get("segment.grid"),
    settings.get("grade.hospital"),
    settings.get("grade.pharmacy"),
    settings.get("plan.accountVisitsPerMonth"),
  ]);
  const doctorIds = rows.filter((r) => r.kind === "doctor").map((r) => r.id);
  const segs = doctorIds.length
    ? await db.select().from(segments).where(inArray(segments.customerId, doctorIds))
    : [];
  const out = new Map<string, CustomerTarget>();
  for (const r of rows) {
    if (r.kind === "doctor") {
      let best: CustomerTarget = { className: null, targetPerMonth: 0 };
      for (const s of segs.filter((s) => s.customerId === r.id)) {
        const cell = classifySegment(s.usage as Scale, s.potential as Scale, grid);
        const max = cell.visitsPerMonth?.max ?? 0;
        if (
          max > best.targetPerMonth ||
          (max === best.targetPerMonth &&
            cell.class &&
            (!best.className || rank[cell.class] > rank[best.className]))
        )
          best = { className: cell.class, targetPerMonth: max };
      }
      out.set(r.id, best);
    } else if (r.kind === "hospital") {
      const g = gradeHospital(r, hospital);
      out.set(r.id, { className: g, targetPerMonth: accounts[g] });
    } else if (r.kind === "pharmacy") {
      const g = gradePharmacy(r, pharmacy);
      out.set(r.id, { className: g === "D" ? "C" : g, targetPerMonth: accounts[g] });
    } else if (r.kind === "distributor")
      out.set(r.id, { className: null, targetPerMonth: accounts.distributor });
    else out.set(r.id, { className: null, targetPerMonth: 0 });
  }
  return out;
};
