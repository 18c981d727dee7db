import { describe, expect, it } from "vitest";
import {
  defaultHospitalThresholds,
  gradeHospital,
  gradePharmacy,
} from "../../../src/domain/customers/grades";

describe("hospital grade", () => {
  it.each([
    // beds boundaries, with outpatients meeting the same grade's bound
    [{ beds: 199, dailyOutpatients: 500, monthlyPurchaseCny: null }, "C"],
    [{ beds: 200, dailyOutpatients: 500, monthlyPurchaseCny: null }, "B"],
    [{ beds: 499, dailyOutpatients: 1500, monthlyPurchaseCny: null }, "B"],
    [{ beds: 500, dailyOutpatients: 1500, monthlyPurchaseCny: null }, "A"],
    // outpatient boundaries
    [{ beds: 200, dailyOutpatients: 499, monthlyPurchaseCny: null }, "C"],
    [{ beds: 500, dailyOutpatients: 1499, monthlyPurchaseCny: null }, "B"],
    [{ beds: 500, dailyOutpatients: 1500, monthlyPurchaseCny: 0 }, "A"],
    // purchase boundaries
    [{ beds: 200, dailyOutpatients: null, monthlyPurchaseCny: 999_999.99 }, "C"],
    [{ beds: 200, dailyOutpatients: null, monthlyPurchaseCny: 1_000_000 }, "B"],
    [{ beds: 500, dailyOutpatients: null, monthlyPurchaseCny: 4_999_999 }, "B"],
    [{ beds: 500, dailyOutpatients: null, monthlyPurchaseCny: 5_000_000 }, "A"],
  ] as const)("grades %o as %s", (figures, grade) => {
    expect(gradeHospital(figures, defaultHospitalThresholds)).toBe(grade);
  });

  it("needs two of three bounds: one A bound alone is not A", () => {
    expect(gradeHospital({ beds: 2000, dailyOutpatients: 100, monthlyPurchaseCny: 10 })).toBe("C");
    expect(gradeHospital({ beds: 2000, dailyOutpatients: 600, monthlyPurchaseCny: 10 })).toBe("B");
  });

  it("counts missing figures as not met", () => {
    expect(gradeHospital({})).toBe("C");
    expect(gradeHospital({ beds: 800 })).toBe("C");
    expect(gradeHospital({ beds: 800, dailyOutpatients: undefined, monthlyPurchaseCny: 6_000_000 })).toBe(
      "A",
    );
    expect(gradeHospital({ beds: null, dailyOutpatients: 2000, monthlyPurchaseCny: null })).toBe("C");
  });

  it("uses thresholds an admin changed", () => {
    const t = {
      A: { beds: 300, dailyOutpatients: 1000, monthlyPurchaseCny: 3_000_000 },
      B: { beds: 100, dailyOutpatients: 300, monthlyPurchaseCny: 500_000 },
    };
    expect(gradeHospital({ beds: 300, dailyOutpatients: 1000 }, t)).toBe("A");
    expect(gradeHospital({ beds: 100, dailyOutpatients: 300 }, t)).toBe("B");
  });
});

describe("pharmacy grade", () => {
  it.each([
    [{ monthlySalesCny: 900_000, ourMonthlySalesCny: 0 }, "D"],
    [{ monthlySalesCny: 900_000, ourMonthlySalesCny: null }, "D"],
    [{ monthlySalesCny: 900_000 }, "D"],
    [{ monthlySalesCny: 500_000, ourMonthlySalesCny: 10_000 }, "A"],
    [{ monthlySalesCny: 499_999, ourMonthlySalesCny: 10_000 }, "B"],
    [{ monthlySalesCny: 500_000, ourMonthlySalesCny: 9_999 }, "B"],
    [{ monthlySalesCny: null, ourMonthlySalesCny: 20_000 }, "B"],
    [{ monthlySalesCny: 100_000, ourMonthlySalesCny: 500 }, "C"],
  ] as const)("grades %o as %s", (figures, grade) => {
    expect(gradePharmacy(figures)).toBe(grade);
  });
});
