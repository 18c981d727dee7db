import { describe, expect, it } from "vitest";
import {
  findDiscrepancies,
  findStockOuts,
  sellThrough,
  theoreticalStock,
} from "../../../src/domain/stock/flow";
import { guardMonthOpen, isMonthLocked } from "../../../src/domain/stock/month-close";

describe("theoretical stock", () => {
  it("is opening + bought − sold per product, for that distributor only", () => {
    const stock = theoreticalStock(
      {
        opening: [
          { productId: "p1", quantity: 100 },
          { productId: "p2", quantity: 20 },
        ],
        purchases: [
          { sellerId: null, buyerId: "d1", productId: "p1", quantity: 300 }, // from the company
          { sellerId: "d1", buyerId: "h1", productId: "p1", quantity: 120 },
          { sellerId: "d1", buyerId: "ph1", productId: "p1", quantity: 30 },
          { sellerId: "d1", buyerId: "h1", productId: "p1", quantity: -10 }, // a return to d1
          { sellerId: null, buyerId: "d2", productId: "p1", quantity: 999 }, // another distributor
          { sellerId: "d2", buyerId: "d1", productId: "p3", quantity: 40 }, // second-tier buy
        ],
      },
      "d1",
    );
    expect(Object.fromEntries(stock)).toEqual({ p1: 260, p2: 20, p3: 40 });
  });
});

describe("stock discrepancies", () => {
  const expected = new Map([
    ["p250", 250],
    ["p1000", 1000],
    ["p10", 10],
  ]);
  const check = (productId: string, quantity: number) =>
    findDiscrepancies([{ productId, quantity }], expected, { units: 50, ratio: 0.2 });

  it("does not flag a difference of exactly 50 units and exactly 20 %", () => {
    expect(check("p250", 300)).toEqual([]); // +50 = 20 % of 250
    expect(check("p250", 200)).toEqual([]);
  });

  it("flags a difference beyond both thresholds", () => {
    expect(check("p250", 301)).toEqual([
      { productId: "p250", kind: "discrepancy", reported: 301, expected: 250 },
    ]);
    expect(check("p250", 199)).toEqual([
      { productId: "p250", kind: "discrepancy", reported: 199, expected: 250 },
    ]);
  });

  it("does not flag when only one threshold is exceeded", () => {
    expect(check("p1000", 1100)).toEqual([]); // 100 units but 10 %
    expect(check("p1000", 1200)).toEqual([]); // exactly 20 %
    expect(check("p10", 50)).toEqual([]); // 400 % but 40 units
    expect(check("p10", 60)).toEqual([]); // exactly 50 units
  });

  it("sums batches of one product and judges products unknown to the flow against zero", () => {
    const found = findDiscrepancies(
      [
        { productId: "p250", quantity: 200 },
        { productId: "p250", quantity: 101 },
        { productId: "new", quantity: 51 },
      ],
      expected,
    );
    expect(found).toEqual([
      { productId: "new", kind: "discrepancy", reported: 51, expected: 0 },
      { productId: "p250", kind: "discrepancy", reported: 301, expected: 250 },
    ]);
  });
});

describe("pharmacy stock", () => {
  it("computes sell-through as previous + delivered − now", () => {
    expect(sellThrough(40, 24, 30)).toBe(34);
  });

  it("flags a carried product at zero or not reported as a stock-out", () => {
    const found = findStockOuts(
      [
        { productId: "p1", quantity: 12 },
        { productId: "p2", quantity: 0 },
        { productId: "p9", quantity: 0 }, // not carried
      ],
      ["p3", "p2", "p1"],
    );
    expect(found).toEqual([
      { productId: "p2", kind: "stock_out", reported: 0, expected: null },
      { productId: "p3", kind: "stock_out", reported: 0, expected: null },
    ]);
  });
});

describe("month close", () => {
  const closed = new Set(["2026-04"]);

  it("locks dates in a closed month only", () => {
    expect(isMonthLocked("2026-04-30", closed)).toBe(true);
    expect(isMonthLocked("2026-05-01", closed)).toBe(false);
  });

  it("refuses a change to a closed month with month.locked", () => {
    expect(guardMonthOpen("2026-04-01", closed)).toMatchObject({
      ok: false,
      error: { code: "locked", messageKey: "month.locked", params: { month: "2026-04" } },
    });
    expect(guardMonthOpen("2026-05-01", closed)).toEqual({ ok: true, value: true });
  });
});
