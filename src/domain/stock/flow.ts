/**
 * Stock and sales flow checks (DOMAIN.md §4). Distributors report flow, so their stock
 * can be checked against a theoretical figure; pharmacies report no sales, so for them
 * only sell-through and stock-outs can be shown.
 */
export interface StockQuantity {
  productId: string;
  quantity: number;
}

export interface FlowPurchase {
  /** null = the company (ERP data). */
  sellerId: string | null;
  buyerId: string;
  productId: string;
  /** Negative for a return. */
  quantity: number;
}

export interface Finding {
  productId: string;
  kind: "discrepancy" | "stock_out";
  reported: number;
  /** Theoretical stock; null when there is none (pharmacies). */
  expected: number | null;
}

export interface DiscrepancyThresholds {
  /** Absolute difference in units that must be exceeded (setting `stock.discrepancyUnits`). */
  units: number;
  /** Difference relative to the theoretical stock that must be exceeded (`stock.discrepancyRatio`). */
  ratio: number;
}

export const defaultDiscrepancyThresholds: DiscrepancyThresholds = { units: 50, ratio: 0.2 };

/** Batches of one product reported on separate lines count together. */
const sumByProduct = (lines: readonly StockQuantity[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const l of lines) out.set(l.productId, (out.get(l.productId) ?? 0) + l.quantity);
  return out;
};

/** Opening + bought − sold, per product, for one distributor. */
export const theoreticalStock = (
  input: { opening: readonly StockQuantity[]; purchases: readonly FlowPurchase[] },
  distributorId: string,
): Map<string, number> => {
  const stock = sumByProduct(input.opening);
  const move = (productId: string, delta: number) =>
    stock.set(productId, (stock.get(productId) ?? 0) + delta);
  for (const p of input.purchases) {
    // A distributor selling to itself would cancel out; count both sides as the data says.
    if (p.buyerId === distributorId) move(p.productId, p.quantity);
    if (p.sellerId === distributorId) move(p.productId, -p.quantity);
  }
  return stock;
};

/**
 * A reported stock is a discrepancy when it differs from the theoretical by more than
 * BOTH thresholds: small absolute gaps on big stocks and big ratios on tiny stocks are
 * noise. Products not reported are not judged (a report may cover part of the range).
 */
export const findDiscrepancies = (
  reported: readonly StockQuantity[],
  theoretical: ReadonlyMap<string, number>,
  thresholds: DiscrepancyThresholds = defaultDiscrepancyThresholds,
): Finding[] => {
  const findings: Finding[] = [];
  for (const [productId, quantity] of sumByProduct(reported)) {
    const expected = theoretical.get(productId) ?? 0;
    const diff = Math.abs(quantity - expected);
    if (diff > thresholds.units && diff > thresholds.ratio * Math.abs(expected))
      findings.push({ productId, kind: "discrepancy", reported: quantity, expected });
  }
  return findings.sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
};

/** Units sold by a store since its last count: previous + delivered − now. */
export const sellThrough = (previousCount: number, deliveriesSince: number, thisCount: number): number =>
  previousCount + deliveriesSince - thisCount;

export interface SellThrough {
  productId: string;
  units: number;
}

/**
 * Sell-through of each product in this count, in the order the count first lists it.
 * `delivered` is the store's inbound purchases after the previous count up to this one
 * (returns negative); a product absent from the previous count started at zero.
 */
export const sellThroughOf = (
  previous: readonly StockQuantity[],
  delivered: readonly StockQuantity[],
  now: readonly StockQuantity[],
): SellThrough[] => {
  const before = sumByProduct(previous);
  const inbound = sumByProduct(delivered);
  return [...sumByProduct(now)].map(([productId, count]) => ({
    productId,
    units: sellThrough(before.get(productId) ?? 0, inbound.get(productId) ?? 0, count),
  }));
};

/** A product the store carries that is reported at zero, or not reported at all, is out of stock. */
export const findStockOuts = (
  lines: readonly StockQuantity[],
  carriedProductIds: Iterable<string>,
): Finding[] => {
  const counts = sumByProduct(lines);
  const carried = [...new Set(carriedProductIds)].sort();
  return carried
    .filter((id) => (counts.get(id) ?? 0) <= 0)
    .map((productId) => ({
      productId,
      kind: "stock_out" as const,
      reported: counts.get(productId) ?? 0,
      expected: null,
    }));
};
