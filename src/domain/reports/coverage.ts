/**
 * Terminal coverage per product (DOMAIN.md §8): of the target hospitals and pharmacies,
 * how many carry the product (进院/铺货), how many are blank (空白), and why.
 */
import { ratio } from "./sfe";

export interface CoverageCustomer {
  id: string;
  kind: string;
  /** Segment class, when the customer has one. */
  className?: "A" | "B" | "C" | null;
  /** Computed hospital/pharmacy grade; a D pharmacy is not (yet) a target. */
  grade?: "A" | "B" | "C" | "D" | null;
}

export interface CoverageRow {
  customerId: string;
  productId: string;
  listed: boolean;
  /** The rep's reason when not listed (competitor, price, committee not met …). */
  reason?: string | null;
}

export interface ProductCoverage {
  productId: string;
  targetHospitals: number;
  targetPharmacies: number;
  targets: number;
  listed: number;
  blank: number;
  /** blank / targets, 4 decimals; null without targets. */
  blankRate: number | null;
  /** Reasons given for the blank targets; reason null = none recorded yet (the rep is to be asked). */
  reasons: { reason: string | null; count: number }[];
}

const TARGET_KINDS = new Set(["hospital", "pharmacy"]);
const TARGET_GRADES = new Set(["A", "B", "C"]);

export const isCoverageTarget = (c: CoverageCustomer): boolean =>
  TARGET_KINDS.has(c.kind) && (c.className != null || TARGET_GRADES.has(c.grade ?? ""));

/** Code-point order (not locale) keeps the output identical everywhere; "none recorded" last. */
const cmpReason = (a: string | null, b: string | null): number => {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
};

const countReasons = (reasons: readonly (string | null)[]) => {
  const counts = new Map<string | null, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || cmpReason(a.reason, b.reason));
};

/** A target with no coverage row, or a row not listed, is blank. */
export const coverageReport = (
  productIds: readonly string[],
  customers: readonly CoverageCustomer[],
  rows: readonly CoverageRow[],
): ProductCoverage[] => {
  const targets = customers.filter(isCoverageTarget);
  const rowOf = new Map(rows.map((r) => [`${r.customerId}|${r.productId}`, r]));
  return productIds.map((productId) => {
    const status = targets.map((c) => rowOf.get(`${c.id}|${productId}`));
    const blankRows = status.filter((r) => !r?.listed);
    return {
      productId,
      targetHospitals: targets.filter((c) => c.kind === "hospital").length,
      targetPharmacies: targets.filter((c) => c.kind === "pharmacy").length,
      targets: targets.length,
      listed: status.length - blankRows.length,
      blank: blankRows.length,
      blankRate: ratio(blankRows.length, targets.length),
      reasons: countReasons(blankRows.map((r) => r?.reason?.trim() || null)),
    };
  });
};
