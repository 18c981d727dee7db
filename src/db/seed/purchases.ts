import { addDays, lastDayOfMonth, monthOf } from "../../domain/dates";
import { purchaseNaturalKey } from "../repos/purchases";
import { productIdOf, productSpecs } from "./catalog";
import { createRng, type Rng, roundCny, seedId } from "./random";
import { localInstant } from "./time";
import type { CoverageRow, CustomerRow, ImportBatchRow, PurchaseRow, SeedContext } from "./types";

/** Distributors sell on to hospitals and pharmacies at this markup over the company's price. */
const flowMarkup = 1.12;
const priceOf = new Map(productSpecs.map((p) => [p.code, p.priceCny]));
const codeOfProduct = new Map(productSpecs.map((p) => [productIdOf(p.code), p.code]));

type Trend = "normal" | "quiet" | "declining";

interface Pair {
  buyer: CustomerRow;
  seller: CustomerRow;
  productCode: string;
  trend: Trend;
  quietFrom: string;
}

export interface PurchaseWorld {
  purchases: PurchaseRow[];
  importBatches: ImportBatchRow[];
  /** Buyers whose purchases stop 100+ days before refDate (churn demo). */
  quietBuyerIds: string[];
}

/** Typical units per order: big hospitals buy by the case, small stores a few boxes. */
const baseQuantity = (rng: Rng, buyer: CustomerRow, productCode: string): number => {
  if (buyer.kind === "pharmacy") {
    const monthlyUnits = (buyer.ourMonthlySalesCny ?? 0) / (priceOf.get(productCode)! * flowMarkup) / 2;
    return Math.max(5, Math.round(monthlyUnits * (0.5 + rng.next())));
  }
  const beds = buyer.beds ?? 0;
  return beds >= 900 ? rng.int(80, 300) : beds >= 200 ? rng.int(30, 120) : rng.int(8, 40);
};

/** Buyer × product pairs from listed coverage, each with its supplying distributor and trend. */
const buildPairs = (
  rng: Rng,
  ctx: SeedContext,
  listed: CoverageRow[],
  byId: Map<string, CustomerRow>,
  distributors: CustomerRow[],
) => {
  const buyerIds = [...new Set(listed.map((c) => c.customerId))];
  const picked = rng.sample(buyerIds, 14);
  const trend = new Map<string, Trend>(picked.map((id, i) => [id, i < 8 ? "quiet" : "declining"]));
  const quietFrom = new Map(buyerIds.map((id) => [id, addDays(ctx.refDate, -rng.int(100, 150))]));
  const supplier = new Map(
    buyerIds.map((id) => {
      const buyer = byId.get(id)!;
      const local = distributors.filter((d) => d.city === buyer.city);
      const first = local.filter((d) => d.tier === "first");
      return [id, (buyer.beds ?? 0) >= 900 && first.length > 0 ? rng.pick(first) : rng.pick(local)];
    }),
  );
  return listed.map(
    (c): Pair => ({
      buyer: byId.get(c.customerId)!,
      seller: supplier.get(c.customerId)!,
      productCode: codeOfProduct.get(c.productId)!,
      trend: trend.get(c.customerId) ?? "normal",
      quietFrom: quietFrom.get(c.customerId)!,
    }),
  );
};

interface Line {
  seller: CustomerRow | null;
  buyer: CustomerRow;
  productCode: string;
  date: string;
  quantity: number;
  unitPrice: number;
}

/** One pair's orders: every 2–6 weeks, quieter or smaller at the end for churn demos. */
const pairLines = (rng: Rng, ctx: SeedContext, pair: Pair, start: string, end: string): Line[] => {
  const interval = rng.int(14, 42);
  const base = baseQuantity(rng, pair.buyer, pair.productCode);
  const declineFrom = addDays(ctx.refDate, -90);
  const lines: Line[] = [];
  for (let d = addDays(start, rng.int(0, interval)); d <= end; d = addDays(d, interval + rng.int(-3, 3))) {
    if (pair.trend === "quiet" && d >= pair.quietFrom) break;
    const factor = pair.trend === "declining" && d >= declineFrom ? 0.35 : 1;
    const quantity = Math.max(1, Math.round(base * factor * (0.7 + 0.6 * rng.next())));
    // Now and then part of a delivery comes back (短效期, damaged): a negative line.
    const returned = rng.chance(0.01) ? -Math.max(1, Math.round(quantity / 4)) : 0;
    const unitPrice = roundCny(priceOf.get(pair.productCode)! * flowMarkup);
    lines.push({
      seller: pair.seller,
      buyer: pair.buyer,
      productCode: pair.productCode,
      date: d,
      quantity,
      unitPrice,
    });
    if (returned)
      lines.push({
        ...lines[lines.length - 1],
        date: addDays(d, 7) > end ? d : addDays(d, 7),
        quantity: returned,
      });
  }
  return lines;
};

/** Units each distributor sold on, per product and month ("distId|code|YYYY-MM"). */
const soldByMonth = (flow: Line[]) => {
  const sold = new Map<string, number>();
  for (const l of flow) {
    const key = `${l.seller!.id}|${l.productCode}|${monthOf(l.date)}`;
    sold.set(key, (sold.get(key) ?? 0) + l.quantity);
  }
  return sold;
};

/**
 * Company → distributor deliveries (ERP) twice a month, sized from what the distributor
 * sold on, with some headroom so theoretical stock stays positive.
 */
const erpLines = (
  rng: Rng,
  ctx: SeedContext,
  flow: Line[],
  distributors: CustomerRow[],
  months: string[],
): Line[] => {
  const sold = soldByMonth(flow);
  const lines: Line[] = [];
  for (const dist of distributors)
    for (const p of productSpecs)
      months.forEach((month, m) => {
        // Distributors stock ahead: order for the larger of this and next month's sales.
        const soldIn = (i: number) => sold.get(`${dist.id}|${p.code}|${months[i]}`) ?? 0;
        const demand = Math.max(soldIn(m), soldIn(m + 1), m === months.length - 1 ? soldIn(m - 1) : 0);
        if (demand === 0) return;
        for (const day of [rng.int(3, 8), rng.int(17, 22)]) {
          const start = addDays(ctx.refDate, -364);
          const planned = `${month}-${String(day).padStart(2, "0")}`;
          if (planned > ctx.refDate) continue;
          // Orders planned before the window arrive on its first day: the opening stock.
          const date = laterDate(planned, start);
          const headroom = (m === 0 ? 1.5 : 1.1) * (0.9 + 0.2 * rng.next());
          const quantity = Math.max(10, Math.ceil((demand * 0.5 * headroom) / 10) * 10);
          lines.push({
            seller: null,
            buyer: dist,
            productCode: p.code,
            date,
            quantity,
            unitPrice: p.priceCny,
          });
        }
      });
  return lines;
};

const monthsBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let m = monthOf(from); m <= monthOf(to); m = monthOf(addDays(lastDayOfMonth(m), 1))) out.push(m);
  return out;
};

const earlierDate = (a: string, b: string) => (a <= b ? a : b);
const laterDate = (a: string, b: string) => (a >= b ? a : b);

const compactMonth = (date: string) => date.slice(0, 7).replace("-", "");

/** Rows with document numbers (ERP202611001, LX202611D01007), natural keys and batches. */
const toRows = (ctx: SeedContext, lines: Line[], batchOf: (l: Line) => string | null): PurchaseRow[] => {
  const seq = new Map<string, number>();
  return lines.map((l) => {
    const series = l.seller ? `LX${compactMonth(l.date)}${l.seller.code}` : `ERP${compactMonth(l.date)}`;
    const n = (seq.get(series) ?? 0) + 1;
    seq.set(series, n);
    const documentNo = `${series}${String(n).padStart(3, "0")}`;
    const naturalKey = purchaseNaturalKey({
      sellerCode: l.seller?.code ?? null,
      buyerCode: l.buyer.code,
      productCode: l.productCode,
      date: l.date,
      quantity: l.quantity,
      documentNo,
    });
    const at = localInstant(l.date, 18, 0, ctx.timeZone);
    return {
      id: seedId(`purchase:${naturalKey}`),
      sellerId: l.seller?.id ?? null,
      buyerId: l.buyer.id,
      productId: productIdOf(l.productCode),
      date: l.date,
      quantity: l.quantity,
      amountCny: roundCny(l.quantity * l.unitPrice),
      source: l.seller ? "flow" : "erp",
      documentNo,
      naturalKey,
      importBatchId: batchOf(l),
      createdAt: at,
      updatedAt: at,
    };
  });
};

const batchId = (distCode: string, month: string) => seedId(`batch:flow:${distCode}:${month}`);

/** One flow import per distributor and month; the latest covers up to yesterday. */
const flowBatches = (
  ctx: SeedContext,
  rows: PurchaseRow[],
  distributors: CustomerRow[],
  months: string[],
  start: string,
  asOfEnd: string,
) =>
  distributors.flatMap((d) =>
    months.map((month): ImportBatchRow => {
      const periodFrom = laterDate(`${month}-01`, start);
      const asOf = earlierDate(lastDayOfMonth(month), asOfEnd);
      const id = batchId(d.code, month);
      const count = rows.filter((r) => r.importBatchId === id).length;
      const importedOn = earlierDate(addDays(asOf, 3), ctx.refDate);
      const createdAt = localInstant(importedOn, 10, 0, ctx.timeZone);
      return {
        id,
        kind: "purchases",
        source: "flow",
        sellerId: d.id,
        periodFrom,
        asOf,
        rows: count,
        imported: count,
        by: ctx.adminId,
        createdAt,
      };
    }),
  );

export const buildPurchases = (
  ctx: SeedContext,
  buyers: CustomerRow[],
  distributors: CustomerRow[],
  coverage: CoverageRow[],
): PurchaseWorld => {
  const rng = createRng(ctx.seed, "purchases");
  const start = addDays(ctx.refDate, -364);
  const flowEnd = addDays(ctx.refDate, -1);
  const byId = new Map(buyers.map((b) => [b.id, b]));
  const pairs = buildPairs(
    rng,
    ctx,
    coverage.filter((c) => c.listed && byId.has(c.customerId)),
    byId,
    distributors,
  );
  const flow = pairs.flatMap((p) => pairLines(rng, ctx, p, start, flowEnd));
  const months = monthsBetween(start, ctx.refDate);
  const flowMonths = monthsBetween(start, flowEnd);
  const erp = erpLines(rng, ctx, flow, distributors, months);
  const flowRows = toRows(ctx, flow, (l) => batchId(l.seller!.code, monthOf(l.date)));
  const purchases = [...toRows(ctx, erp, () => null), ...flowRows];
  const quietBuyerIds = [...new Set(pairs.filter((p) => p.trend === "quiet").map((p) => p.buyer.id))];
  return {
    purchases,
    importBatches: flowBatches(ctx, flowRows, distributors, flowMonths, start, flowEnd),
    quietBuyerIds,
  };
};
