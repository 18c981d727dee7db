import { and, desc, eq, gt, inArray, lt, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { auditInsert } from "../db/audit";
import { runBatch, type Statement } from "../db/client";
import { newId } from "../db/ids";
import { firstUnknownProduct } from "../db/repos/products";
import { closedMonths } from "../db/repos/purchases";
import { adjustments, alerts, customers, purchases, stockLines, stockReports } from "../db/schema";
import type { StockFinding } from "../db/schema/stock-reports";
import { addDays, type IsoDate, localDate } from "../domain/dates";
import { fail, ok, type Result } from "../domain/result";
import {
  findDiscrepancies,
  findStockOuts,
  type StockQuantity,
  sellThroughOf,
  theoreticalStock,
} from "../domain/stock/flow";
import type { StockReportCreate } from "../schemas/fieldwork";
import type { Actor, ServiceContext } from "./context";

export interface StockReportView {
  id: string;
  repId: string;
  customerId: string;
  date: IsoDate;
  lines: { productId: string; quantity: number; batch: string | null; expiry: string | null }[];
  findings: StockFinding[];
  /** Pharmacies: units sold per product since the previous count (previous + delivered − now). */
  sellThrough: { productId: string; units: number; since: IsoDate }[];
  adjustment: boolean;
}

type Line = StockReportView["lines"][number];
type PreviousReport = { id: string; date: string; lines: Line[] } | null;
type Row = typeof stockReports.$inferSelect;

const toLine = ({ productId, quantity, batch, expiry }: Line): Line => ({
  productId,
  quantity,
  batch,
  expiry,
});

/** Sell-through since the previous count; the same figures on record and on read. */
const throughSince = (
  prev: { date: string; lines: readonly Line[] },
  delivered: readonly StockQuantity[],
  lines: readonly Line[],
): StockReportView["sellThrough"] =>
  sellThroughOf(prev.lines, delivered, lines).map((t) => ({ ...t, since: prev.date }));

const CARRIED_LOOKBACK_DAYS = 90;

/** Stock reports (DOMAIN.md §4): findings computed at once, alerts opened, closed months respected. */
export const createStockService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  const previousReport = async (customerId: string, date: IsoDate): Promise<PreviousReport> => {
    const prev = await db
      .select({ id: stockReports.id, date: stockReports.date })
      .from(stockReports)
      .where(and(eq(stockReports.customerId, customerId), lt(stockReports.date, date)))
      .orderBy(desc(stockReports.date), desc(stockReports.id))
      .limit(1)
      .get();
    if (!prev) return null;
    const lines = await db.select().from(stockLines).where(eq(stockLines.reportId, prev.id));
    return { ...prev, lines: lines.map(toLine) };
  };

  /**
   * Purchases touching the customer after `from` (exclusive) up to `to` (inclusive), in a
   * fixed order so that sums of fractional quantities come out the same on read (`views`).
   */
  const flowBetween = (customerId: string, from: IsoDate | null, to: IsoDate) =>
    db
      .select({
        sellerId: purchases.sellerId,
        buyerId: purchases.buyerId,
        productId: purchases.productId,
        quantity: purchases.quantity,
      })
      .from(purchases)
      .where(
        and(
          or(eq(purchases.buyerId, customerId), eq(purchases.sellerId, customerId)),
          from ? gt(purchases.date, from) : undefined,
          lte(purchases.date, to),
        ),
      )
      .orderBy(purchases.date, purchases.id);

  const distributorFindings = async (
    customerId: string,
    date: IsoDate,
    lines: Line[],
    prev: PreviousReport,
  ) => {
    const flow = await flowBetween(customerId, prev?.date ?? null, date);
    const expected = theoreticalStock({ opening: prev?.lines ?? [], purchases: flow }, customerId);
    const thresholds = {
      units: await ctx.settings.get("stock.discrepancyUnits"),
      ratio: await ctx.settings.get("stock.discrepancyRatio"),
    };
    return findDiscrepancies(lines, expected, thresholds);
  };

  const pharmacyFindings = async (customerId: string, date: IsoDate, lines: Line[], prev: PreviousReport) => {
    const since = prev?.date ?? addDays(date, -CARRIED_LOOKBACK_DAYS);
    const delivered = await flowBetween(customerId, since, date);
    const carried = new Set([
      ...(prev?.lines ?? []).map((l) => l.productId),
      ...delivered.map((p) => p.productId),
    ]);
    const findings = findStockOuts(lines, carried);
    const inbound = delivered.filter((p) => p.buyerId === customerId);
    return { findings, through: prev ? throughSince(prev, inbound, lines) : [] };
  };

  /** One open alert per customer and type; a new report refreshes its data. */
  const alertStatements = (
    customerId: string,
    repId: string,
    reportId: string,
    findings: StockFinding[],
  ): Statement[] => {
    const at = ctx.now().toISOString();
    const out: Statement[] = [];
    for (const type of ["stock_discrepancy", "stock_out"] as const) {
      const mine = findings.filter((f) =>
        type === "stock_out" ? f.kind === "stock_out" : f.kind === "discrepancy",
      );
      if (mine.length === 0) continue;
      const data = { reportId, findings: mine };
      out.push(
        db
          .insert(alerts)
          .values({
            id: newId(),
            type,
            customerId,
            repId,
            severity: "warn",
            openedAt: at,
            // The company's date, as churn alerts and the alert filters use: not UTC's.
            openedOn: localDate(new Date(at), ctx.timeZone),
            data,
            updatedAt: at,
          })
          .onConflictDoUpdate({
            target: [alerts.customerId, alerts.type],
            targetWhere: sql`closed_at is null`,
            set: { data, updatedAt: at, repId },
          }),
      );
    }
    return out;
  };

  const record = async (
    input: StockReportCreate & { repId: string; id?: string },
    actor: Actor,
  ): Promise<Result<StockReportView>> => {
    // A chat confirm replayed after a crash carries the same id: answer with what was stored.
    const replay = input.id ? await get(input.id) : null;
    if (replay) return replay.repId === input.repId ? ok(replay) : fail("conflict", "common.duplicate_id");
    const customer = await db.select().from(customers).where(eq(customers.id, input.customerId)).get();
    if (!customer) return fail("not_found", "stock.store_not_found", undefined, "customerId");
    if (customer.kind !== "pharmacy" && customer.kind !== "distributor")
      return fail("validation", "stock.not_a_store", { kind: customer.kind }, "customerId");
    // An unknown product would fail the lines' foreign key inside the batch (a 500, not a 400).
    const unknown = await firstUnknownProduct(
      db,
      input.lines.map((l) => l.productId),
    );
    if (unknown >= 0) return fail("validation", "product.not_found", undefined, `lines.${unknown}.productId`);
    const month = input.date.slice(0, 7);
    const locked = (await closedMonths(db)).has(month);
    if (locked && !input.adjustmentReason) return fail("locked", "month.locked", { month }, "date");
    const lines: Line[] = input.lines.map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      batch: l.batch ?? null,
      expiry: l.expiry ?? null,
    }));
    const prev = await previousReport(customer.id, input.date);
    const { findings, through } =
      customer.kind === "distributor"
        ? { findings: await distributorFindings(customer.id, input.date, lines, prev), through: [] }
        : await pharmacyFindings(customer.id, input.date, lines, prev);
    const id = input.id ?? newId();
    const at = ctx.now().toISOString();
    const row = {
      id,
      repId: input.repId,
      customerId: customer.id,
      date: input.date,
      findings,
      via: actor.via,
      createdAt: at,
      adjustsId: locked ? (prev?.id ?? id) : null,
    };
    const statements: Statement[] = [
      db.insert(stockReports).values(row),
      ...lines.map((l) => db.insert(stockLines).values({ id: newId(), reportId: id, ...l })),
      ...alertStatements(customer.id, input.repId, id, findings),
      auditInsert(db, {
        actorId: actor.id,
        via: actor.via,
        action: "create",
        entityType: "stock_report",
        entityId: id,
        after: { ...row, lines },
      }),
    ];
    if (locked)
      statements.push(
        db.insert(adjustments).values({
          id: newId(),
          month,
          entityType: "stock_report",
          entityId: id,
          change: { lines },
          reason: input.adjustmentReason!,
          by: actor.id,
          createdAt: at,
        }),
      );
    await ctx.database.write((db) => runBatch(db, statements));
    return ok({
      id,
      repId: input.repId,
      customerId: customer.id,
      date: input.date,
      lines,
      findings,
      sellThrough: through,
      adjustment: locked,
    });
  };

  const get = async (id: string): Promise<StockReportView | null> => {
    const r = await db.select().from(stockReports).where(eq(stockReports.id, id)).get();
    if (!r) return null;
    return (await views([r]))[0];
  };

  /**
   * For each pharmacy report, the previous count `record` used: the store's latest report
   * dated before it (ties by id, as `previousReport`). One query for the whole page.
   */
  const previousOf = async (ids: string[]) => {
    const prev = alias(stockReports, "prev");
    const rows = await db
      .select({ id: stockReports.id, prevId: prev.id, prevDate: prev.date })
      .from(stockReports)
      .innerJoin(customers, eq(customers.id, stockReports.customerId))
      .innerJoin(
        prev,
        eq(
          prev.id,
          sql`(select p.id from stock_reports p where p.customer_id = ${stockReports.customerId}
            and p.date < ${stockReports.date} order by p.date desc, p.id desc limit 1)`,
        ),
      )
      .where(and(inArray(stockReports.id, ids), eq(customers.kind, "pharmacy")));
    return new Map(rows.map((r) => [r.id, { id: r.prevId, date: r.prevDate }]));
  };

  /** Deliveries to the stores in their windows, one query: one date span per store. */
  const deliveriesTo = async (
    windows: { customerId: string; from: string; to: string }[],
    productIds: string[],
  ) => {
    const span = new Map<string, { from: string; to: string }>();
    for (const w of windows) {
      const s = span.get(w.customerId) ?? w;
      span.set(w.customerId, { from: [w.from, s.from].sort()[0], to: [w.to, s.to].sort()[1] });
    }
    if (span.size === 0 || productIds.length === 0) return [];
    return db
      .select({
        buyerId: purchases.buyerId,
        productId: purchases.productId,
        date: purchases.date,
        quantity: purchases.quantity,
      })
      .from(purchases)
      .where(
        and(
          or(
            ...[...span].map(([customerId, s]) =>
              and(eq(purchases.buyerId, customerId), gt(purchases.date, s.from), lte(purchases.date, s.to)),
            ),
          ),
          inArray(purchases.productId, productIds),
        ),
      )
      .orderBy(purchases.date, purchases.id);
  };

  /**
   * Report rows with their lines and sell-through, in three queries (previous counts, lines,
   * deliveries) whatever the page size. Sell-through is rebuilt from dated facts — the previous count and the deliveries
   * dated after it up to the report — so a later report or delivery never changes it; only
   * a record back-dated into its period does, and then the answer shows the corrected history.
   */
  const views = async (rows: Row[]): Promise<StockReportView[]> => {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const prevOf = await previousOf(ids);
    const prevIds = [...prevOf.values()].map((p) => p.id);
    const lineRows = await db
      .select()
      .from(stockLines)
      .where(inArray(stockLines.reportId, [...new Set([...ids, ...prevIds])]));
    const linesOf = new Map<string, Line[]>();
    for (const l of lineRows) {
      const list = linesOf.get(l.reportId);
      if (list) list.push(toLine(l));
      else linesOf.set(l.reportId, [toLine(l)]);
    }
    const counted = rows.filter((r) => prevOf.has(r.id));
    const delivered = await deliveriesTo(
      counted.map((r) => ({ customerId: r.customerId, from: prevOf.get(r.id)!.date, to: r.date })),
      [...new Set(counted.flatMap((r) => (linesOf.get(r.id) ?? []).map((l) => l.productId)))],
    );
    return rows.map((r) => {
      const lines = linesOf.get(r.id) ?? [];
      const prev = prevOf.get(r.id);
      const inbound = prev
        ? delivered.filter((p) => p.buyerId === r.customerId && p.date > prev.date && p.date <= r.date)
        : [];
      return {
        id: r.id,
        repId: r.repId,
        customerId: r.customerId,
        date: r.date,
        lines,
        findings: r.findings,
        sellThrough: prev
          ? throughSince({ date: prev.date, lines: linesOf.get(prev.id) ?? [] }, inbound, lines)
          : [],
        adjustment: r.adjustsId !== null,
      };
    });
  };

  return { record, get, views };
};

export type StockService = ReturnType<typeof createStockService>;
