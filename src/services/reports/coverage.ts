import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { coverage, customers, products } from "../../db/schema";
import { localDate } from "../../domain/dates";
import { type CoverageCustomer, coverageReport } from "../../domain/reports/coverage";
import {
  type FieldContext,
  gradeOf,
  loadHospitalThresholds,
  loadPharmacyThresholds,
} from "../customer-computed";

export interface CoverageRequest {
  /** Owners whose hospitals and pharmacies count (null = everyone). */
  userIds: string[] | null;
  productId?: string;
}

export interface ProductCoverageView {
  productId: string;
  name: string;
  targets: { hospitals: number; pharmacies: number; total: number };
  listed: number;
  blank: number;
  /** blank / targets, 4 decimals; null without targets. */
  blankRate: number | null;
  reasons: { reason: string | null; count: number }[];
}

export interface CoverageReportView {
  /** Coverage is a current state, not a history: the date it was read. */
  asOf: string;
  products: ProductCoverageView[];
}

const productsFor = (db: Db, productId?: string) =>
  db
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(productId ? eq(products.id, productId) : eq(products.active, true))
    .orderBy(asc(products.code), asc(products.id));

/** Active hospitals and pharmacies of those owners, graded with today's thresholds. */
const accountsOf = async (ctx: FieldContext, userIds: string[] | null) => {
  const { db } = ctx.database;
  const where = and(
    inArray(customers.kind, ["hospital", "pharmacy"]),
    eq(customers.active, true),
    isNull(customers.erasedAt),
    userIds === null ? undefined : inArray(customers.ownerId, userIds),
  );
  const [rows, hospital, pharmacy] = await Promise.all([
    db.select().from(customers).where(where),
    loadHospitalThresholds(ctx.settings),
    loadPharmacyThresholds(ctx.settings),
  ]);
  const accounts = rows.map(
    (r): CoverageCustomer => ({ id: r.id, kind: r.kind, grade: gradeOf(r, hospital, pharmacy) }),
  );
  return { accounts, ids: db.select({ id: customers.id }).from(customers).where(where) };
};

/** Terminal coverage per product (DOMAIN.md §8): rows fetched here, figures by the domain. */
export const createCoverageReportService = (ctx: FieldContext) => {
  const { db } = ctx.database;
  const run = async (req: CoverageRequest): Promise<CoverageReportView> => {
    const asOf = localDate(ctx.now(), ctx.timeZone);
    if (req.userIds !== null && req.userIds.length === 0) return { asOf, products: [] };
    const prods = await productsFor(db, req.productId);
    if (prods.length === 0) return { asOf, products: [] };
    const { accounts, ids } = await accountsOf(ctx, req.userIds);
    const rows = await db
      .select({
        customerId: coverage.customerId,
        productId: coverage.productId,
        listed: coverage.listed,
        reason: coverage.reason,
      })
      .from(coverage)
      .where(
        and(
          inArray(coverage.customerId, ids),
          inArray(
            coverage.productId,
            prods.map((p) => p.id),
          ),
        ),
      );
    const nameOf = new Map(prods.map((p) => [p.id, p.name]));
    const report = coverageReport(
      prods.map((p) => p.id),
      accounts,
      rows,
    );
    return {
      asOf,
      products: report.map((r) => ({
        productId: r.productId,
        name: nameOf.get(r.productId) ?? "",
        targets: { hospitals: r.targetHospitals, pharmacies: r.targetPharmacies, total: r.targets },
        listed: r.listed,
        blank: r.blank,
        blankRate: r.blankRate,
        reasons: r.reasons,
      })),
    };
  };
  return { run };
};
