import { describe, expect, it } from "vitest";
import { formatCny, fromFen, isValidCny, sumCny, toFen } from "../../../src/domain/money";

describe("isValidCny", () => {
  it.each([0, 1200, 1200.5, 1200.55, 0.01, 0.1 + 0.2, 1200.1, 99_999_999.99])("accepts %s", (n) => {
    expect(isValidCny(n)).toBe(true);
  });

  it.each([12.345, 0.001, Number.NaN, Number.POSITIVE_INFINITY, -1, "12" as unknown as number])(
    "rejects %s",
    (n) => {
      expect(isValidCny(n)).toBe(false);
    },
  );

  it("accepts a negative amount only when asked", () => {
    expect(isValidCny(-35.5, { allowNegative: true })).toBe(true);
    expect(isValidCny(-35.555, { allowNegative: true })).toBe(false);
  });
});

describe("fen helpers", () => {
  it("rounds float noise away", () => {
    expect(toFen(1200.1)).toBe(120010);
    expect(toFen(0.1 + 0.2)).toBe(30);
    expect(fromFen(123450)).toBe(1234.5);
    expect(sumCny([0.1, 0.2, 0.3])).toBe(0.6);
  });
});

describe("formatCny", () => {
  it("formats with grouping and two decimals", () => {
    expect(formatCny(1234.5, "zh-CN")).toBe("¥1,234.50");
    expect(formatCny(1234.5, "en")).toBe("¥1,234.50");
    expect(formatCny(0)).toBe("¥0.00");
    expect(formatCny(-20)).toBe("-¥20.00");
  });
});
