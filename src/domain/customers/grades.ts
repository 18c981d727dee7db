/**
 * Customer grades from lower bounds (DOMAIN.md §2). Thresholds are settings
 * (`grade.hospital`, `grade.pharmacy`); a missing figure counts as not met.
 */
export type HospitalGrade = "A" | "B" | "C";
export type PharmacyGrade = "A" | "B" | "C" | "D";

type Figure = number | null | undefined;

export interface HospitalFigures {
  beds?: Figure;
  dailyOutpatients?: Figure;
  monthlyPurchaseCny?: Figure;
}

export interface HospitalBounds {
  beds: number;
  dailyOutpatients: number;
  monthlyPurchaseCny: number;
}

export interface HospitalThresholds {
  A: HospitalBounds;
  B: HospitalBounds;
}

export const defaultHospitalThresholds: HospitalThresholds = {
  A: { beds: 500, dailyOutpatients: 1500, monthlyPurchaseCny: 5_000_000 },
  B: { beds: 200, dailyOutpatients: 500, monthlyPurchaseCny: 1_000_000 },
};

const meets = (value: Figure, bound: number): boolean =>
  typeof value === "number" && Number.isFinite(value) && value >= bound;

const boundsMet = (f: HospitalFigures, b: HospitalBounds): number =>
  [
    meets(f.beds, b.beds),
    meets(f.dailyOutpatients, b.dailyOutpatients),
    meets(f.monthlyPurchaseCny, b.monthlyPurchaseCny),
  ].filter(Boolean).length;

/** A if at least two of the three A bounds are met; else B likewise; else C. */
export const gradeHospital = (
  figures: HospitalFigures,
  thresholds: HospitalThresholds = defaultHospitalThresholds,
): HospitalGrade => {
  if (boundsMet(figures, thresholds.A) >= 2) return "A";
  if (boundsMet(figures, thresholds.B) >= 2) return "B";
  return "C";
};

export interface PharmacyFigures {
  monthlySalesCny?: Figure;
  ourMonthlySalesCny?: Figure;
}

export interface PharmacyThresholds {
  /** The store's own monthly sales, all products. */
  storeMonthlySalesCny: number;
  /** Our products' monthly sales in that store. */
  ourMonthlySalesCny: number;
}

export const defaultPharmacyThresholds: PharmacyThresholds = {
  storeMonthlySalesCny: 500_000,
  ourMonthlySalesCny: 10_000,
};

/** D = not yet covered (none of our sales); A both bounds; B one; C neither. */
export const gradePharmacy = (
  figures: PharmacyFigures,
  thresholds: PharmacyThresholds = defaultPharmacyThresholds,
): PharmacyGrade => {
  const ourSales = figures.ourMonthlySalesCny;
  if (typeof ourSales !== "number" || !(ourSales > 0)) return "D";
  const store = meets(figures.monthlySalesCny, thresholds.storeMonthlySalesCny);
  const ours = meets(figures.ourMonthlySalesCny, thresholds.ourMonthlySalesCny);
  if (store && ours) return "A";
  if (store || ours) return "B";
  return "C";
};
