import { and, desc, eq, gt, inArray, lt, lte, or, sql } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch, type Statement } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { closedMonths } from "../db/repos/purchases";
import { adjustments, alerts, customers, products, purchases, stockLines, stockReports } from "../db/schema";
import type { StockFinding } from "../db/schema/stock-reports";
import { addDays, type IsoDate } from "../domain/dates";
import { fail, ok, type Result } from "../domain/result";
import { findDiscrepancies, findStockOuts, sellThrough, theoreticalStock } from "../domain/stock/flow";
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
    return {
      ...prev,
      lines: lines.map(({ productId, quantity, batch, expiry }) => ({ productId, quantity, batch, expiry })),
    };
  };

  /** Purchases touching the customer after `from` (exclusive) up to `to` (inclusive). */
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
      );

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
    const through: StockReportView["sellThrough"] = [];
    if (prev) {
      for (const productId of new Set(lines.map((l) => l.productId))) {
        const previous = prev.lines
          .filter((l) => l.productId === productId)
          .reduce((s, l) => s + l.quantity, 0);
        const inbound = delivered
          .filter((p) => p.productId === productId && p.buyerId === customerId)
          .reduce((s, p) => s + p.quantity, 0);
        const now = lines.filter((l) => l.productId === productId).reduce((s, l) => s + l.quantity, 0);
        through.push({ productId, units: sellThrough(previous, inbound, now), since: prev.date });
      }
    }
    return { findings, through };
  };

  /** One open alert per customer and type; a new report refreshes its data. */
  const alertStatements = (
    customerId: string,
    repId: string,
    reportId: string,
    findings: StockFinding[],
  ): Statement[] => {
    const at = nowIso();
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
            openedOn: at.slice(0, 10),
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
    const productIds = [...new Set(input.lines.map((l) => l.productId))];
    const known = new Set(
      (await db.select({ id: products.id }).from(products).where(inArray(products.id, productIds))).map(
        (p) => p.id,
      ),
    );
    const unknown = input.lines.findIndex((l) => !known.has(l.productId));
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
    const at = nowIso();
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

  /** Report rows with their lines, in one query for the lines. */
  const views = async (rows: (typeof stockReports.$inferSelect)[]): Promise<StockReportView[]> => {
    const ids = rows.map((r) => r.id);
    const lineRows = ids.length
      ? await db.select().from(stockLines).where(inArray(stockLines.reportId, ids))
      : [];
    return rows.map((r) => ({
      id: r.id,
      repId: r.repId,
      customerId: r.customerId,
      date: r.date,
      lines: lineRows
        .filter((l) => l.reportId === r.id)
        .map(({ productId, quantity, batch, expiry }) => ({ productId, quantity, batch, expiry })),
      findings: r.findings,
      sellThrough: [],
      adjustment: r.adjustsId !== null,
    }));
  };

  return { record, get, views };
};

export type StockService = ReturnType<typeof createStockService>;
