import { and, between, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { customers, segments, visitPlans, visitProducts, visits } from "../../db/schema";
import { addDays, firstDayOfMonth, lastDayOfMonth } from "../../domain/dates";
import {
  type SfeCustomer,
  type SfeMetrics,
  type SfePlan,
  type SfeVisit,
  sfeReport,
} from "../../domain/reports/sfe";
import { compareVisitRange, type SegmentGrid, type VisitRange } from "../../domain/segmentation/grid";
import { type FieldContext, isScaled, loadGrid, segmentView } from "../customer-computed";
import { repsAmong } from "./scope";

export interface SfeRequest {
  /** `YYYY-MM` */
  month: string;
  /** From reportUserIds: null = everyone. */
  userIds: string[] | null;
  /** Only visits and plans about this product, and doctors' segments for it. */
  productId?: string;
}

export interface SfeReportView {
  month: string;
  productId: string | null;
  reps: (SfeMetrics & { repId: string; name: string })[];
  team: SfeMetrics;
}

const CLASS_RANK = { A: 3, B: 2, C: 1 } as const;

/**
 * A doctor's class and target come from the same segment: the one with the highest visit
 * target (DOMAIN.md §2), the better class breaking a tie — so a C "develop" (4–6) doctor is
 * measured against 4 visits, not against a B "nurture" minimum of 2.
 */
const doctorClass = (rows: { productId: string; usage: number; potential: number }[], grid: SegmentGrid) => {
  let best: { className: "A" | "B" | "C"; range: VisitRange } | null = null;
  for (const s of rows.filter(isScaled).map((r) => segmentView(r, grid))) {
    if (!s.class || !s.visitsPerMonth) continue;
    const cmp = best ? compareVisitRange(s.visitsPerMonth, best.range) : 1;
    if (cmp > 0 || (cmp === 0 && best && CLASS_RANK[s.class] > CLASS_RANK[best.className]))
      best = { className: s.class, range: s.visitsPerMonth };
  }
  return { className: best?.className ?? null, targetMin: best?.range.min ?? null };
};

/** The reps' doctors with their class and monthly target minimum. */
const doctorsOf = async (db: Db, repIds: string[], grid: SegmentGrid, productId?: string) => {
  const owned = and(
    inArray(customers.ownerId, repIds),
    eq(customers.kind, "doctor"),
    eq(customers.active, true),
    isNull(customers.erasedAt),
  );
  const docs = await db.select({ id: customers.id, ownerId: customers.ownerId }).from(customers).where(owned);
  const segs = await db
    .select()
    .from(segments)
    .where(
      and(
        inArray(segments.customerId, db.select({ id: customers.id }).from(customers).where(owned)),
        productId ? eq(segments.productId, productId) : undefined,
      ),
    );
  return docs.map(
    (d): SfeCustomer => ({
      ...d,
      ...doctorClass(
        segs.filter((s) => s.customerId === d.id),
        grid,
      ),
    }),
  );
};

/**
 * The month's visits (a day either side: the domain places each by its local date in the
 * company zone) with the products discussed.
 */
const visitsOf = async (db: Db, repIds: string[], month: string): Promise<SfeVisit[]> => {
  const where = and(
    inArray(visits.repId, repIds),
    eq(visits.status, "logged"),
    between(visits.date, addDays(firstDayOfMonth(month), -1), addDays(lastDayOfMonth(month), 1)),
  );
  const rows = await db
    .select({
      id: visits.id,
      repId: visits.repId,
      customerId: visits.customerId,
      at: visits.at,
      method: visits.method,
      planId: visits.planId,
    })
    .from(visits)
    .where(where);
  const links = await db
    .select()
    .from(visitProducts)
    .where(inArray(visitProducts.visitId, db.select({ id: visits.id }).from(visits).where(where)));
  const productsOf = new Map<string, string[]>();
  for (const l of links) productsOf.set(l.visitId, [...(productsOf.get(l.visitId) ?? []), l.productId]);
  return rows.map((r) => ({ ...r, at: new Date(r.at), productIds: productsOf.get(r.id) ?? [] }));
};

const plansOf = async (db: Db, repIds: string[], month: string) =>
  db
    .select({
      id: visitPlans.id,
      repId: visitPlans.repId,
      date: visitPlans.date,
      status: visitPlans.status,
      productIds: visitPlans.productIds,
    })
    .from(visitPlans)
    .where(
      and(
        inArray(visitPlans.repId, repIds),
        between(visitPlans.date, firstDayOfMonth(month), lastDayOfMonth(month)),
      ),
    );

/** SFE for a month (DOMAIN.md §3): rows fetched here, every figure computed by the domain. */
export const createSfeReportService = (ctx: FieldContext) => {
  const { db } = ctx.database;
  const run = async (req: SfeRequest): Promise<SfeReportView> => {
    const candidates = await repsAmong(db, req.userIds);
    const ids = candidates.map((r) => r.id);
    const [allVisits, allPlans, grid] = await Promise.all([
      ids.length ? visitsOf(db, ids, req.month) : [],
      ids.length ? plansOf(db, ids, req.month) : [],
      loadGrid(ctx.settings),
    ]);
    // A rep who has left still shows for a month in which they worked.
    const worked = new Set(allVisits.map((v) => v.repId));
    const reps = candidates.filter((r) => r.active || worked.has(r.id));
    const p = req.productId;
    const plans: SfePlan[] = allPlans.filter((pl) => !p || pl.productIds.includes(p));
    const report = sfeReport({
      month: req.month,
      timeZone: ctx.timeZone,
      repIds: reps.map((r) => r.id),
      visits: allVisits.filter((v) => !p || v.productIds.includes(p)),
      plans,
      customers: reps.length
        ? await doctorsOf(
            db,
            reps.map((r) => r.id),
            grid,
            p,
          )
        : [],
    });
    const nameOf = new Map(reps.map((r) => [r.id, r.name]));
    return {
      month: report.month,
      productId: p ?? null,
      reps: report.reps.map(({ repId, ...m }) => ({ repId, name: nameOf.get(repId) ?? "", ...m })),
      team: report.team,
    };
  };
  return { run };
};
