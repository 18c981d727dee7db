import { and, eq, inArray } from "drizzle-orm";
import { type Actor, canSee, type Role, visibleUserIds, writableUserIds } from "../api/auth";
import type { Database, Db } from "../db/client";
import { customers, stockLines, stockReports, users } from "../db/schema";
import type { StockFinding } from "../db/schema/stock-reports";
import type { DomainError } from "../domain/result";
import { isoDate } from "../schemas/common";
import { STOCK_IMPORT_MAX_LINES, stockLine, stockReportImport } from "../schemas/fieldwork";
import type { StockService } from "../services/stock";
import { type AliasTable, columnError, readSheet, type SheetRow } from "./headers";
import { issueText, loadProductLookup, loadUserLookup, type UserRef } from "./lookups";
import { closeImportBatch, type ImportSummary, openImportBatch, type RowOutcome, summarize } from "./outcome";
import { dateCell, numberCell } from "./values";

type Field = "storeCode" | "productCode" | "quantity" | "batch" | "expiry" | "date" | "rep";

export const stockColumns: AliasTable<Field> = {
  storeCode: ["门店编码", "客户编码", "门店", "store", "store code", "customerCode"],
  productCode: ["产品编码", "产品", "产品名称", "product", "product code"],
  quantity: ["数量", "库存", "库存数量", "qty"],
  batch: ["批号", "lot"],
  expiry: ["有效期", "效期", "expiry date"],
  date: ["日期", "盘点日期"],
  rep: ["代表", "repId"],
};

type Line = { productId: string; quantity: number; batch: string | null; expiry: string | null };
type Group = { customerId: string; date: string; repId: string; rows: number[]; lines: Line[] };
type Store = { id: string; code: string; kind: string; ownerId: string };

interface Ctx {
  stores: Map<string, Store>;
  product: Awaited<ReturnType<typeof loadProductLookup>>;
  user: Awaited<ReturnType<typeof loadUserLookup>>;
  /** Whose stores and reps this actor may import for (null = anyone). */
  scope: string[] | null;
  /** Whose customers a rep may record for (null = anyone; none for finance), once per rep. */
  bookOf: (repId: string) => Promise<string[] | null>;
  col: (f: Field, why: string) => string;
}

type Planned = { key: Omit<Group, "rows" | "lines">; line: Line; store: Store; rep: UserRef | null };

const inScope = (ctx: Ctx, userId: string) => ctx.scope === null || ctx.scope.includes(userId);

/** One row → its report key and line, or why not; each row stands alone. */
const planRow = (ctx: Ctx, { values: v }: SheetRow<Field>): Planned | string => {
  const errors: string[] = [];
  const store = v.storeCode ? ctx.stores.get(v.storeCode) : undefined;
  if (!store)
    errors.push(ctx.col("storeCode", v.storeCode ? `no customer with code ${v.storeCode}` : "is required"));
  else if (!inScope(ctx, store.ownerId))
    errors.push(ctx.col("storeCode", `${store.code} is not one of your stores`));
  let repId = store?.ownerId;
  let rep: UserRef | null = null;
  if (v.rep) {
    const named = ctx.user(v.rep);
    if (typeof named === "string") errors.push(ctx.col("rep", named));
    else if (!inScope(ctx, named.id)) errors.push(ctx.col("rep", `${named.name} is outside your team`));
    else {
      rep = named;
      repId = named.id;
    }
  }
  const product = v.productCode ? ctx.product(v.productCode) : "is required";
  if (typeof product === "string") errors.push(ctx.col("productCode", product));
  const date = isoDate.safeParse(dateCell(v.date) ?? "");
  if (!date.success) errors.push(ctx.col("date", date.error.issues[0].message));
  const line = stockLine.safeParse(
    {
      productId: typeof product === "string" ? "?" : product.id,
      quantity: numberCell(v.quantity),
      batch: v.batch ?? null,
      expiry: dateCell(v.expiry) ?? null,
    },
    { reportInput: true },
  );
  if (!line.success)
    for (const i of line.error.issues) errors.push(ctx.col(String(i.path[0]) as Field, issueText(i)));
  if (errors.length > 0 || !store || !repId || !date.success || !line.success) return errors.join("; ");
  const l = line.data;
  return {
    key: { customerId: store.id, date: date.data, repId },
    line: { productId: l.productId, quantity: l.quantity, batch: l.batch ?? null, expiry: l.expiry ?? null },
    store,
    rep,
  };
};

/**
 * POST /api/stock-reports' rule (assertCustomerOfRep), per row: a count is filed under a rep
 * whose book holds the store (a manager's: their team's), so a manager cannot file one team
 * member's count at another's store, nor anyone file one under finance, who records none.
 */
const outsideBook = async (ctx: Ctx, p: Planned): Promise<string | null> => {
  const book = await ctx.bookOf(p.key.repId);
  if (canSee(book, p.store.ownerId)) return null;
  const field: Field = p.rep ? "rep" : "storeCode";
  const who = p.rep ? p.rep.name : "the store's owner";
  if (book?.length === 0) return ctx.col(field, `${who} may not record stock counts`);
  return ctx.col(field, `${p.store.code} is not a customer of ${who} or their team`);
};

const lineKey = (l: Line) => [l.productId, l.quantity, l.batch ?? "", l.expiry ?? ""].join("|");
const sameLines = (a: Line[], b: Line[]) =>
  a.length === b.length && a.map(lineKey).sort().join("\n") === b.map(lineKey).sort().join("\n");

/** The same report imported again (same store, date, rep and lines) is recognised, not recorded twice. */
const existingReport = async (db: Db, g: Group): Promise<string | null> => {
  const reports = await db
    .select({ id: stockReports.id })
    .from(stockReports)
    .where(
      and(
        eq(stockReports.customerId, g.customerId),
        eq(stockReports.date, g.date),
        eq(stockReports.repId, g.repId),
      ),
    );
  if (reports.length === 0) return null;
  const lines = await db
    .select()
    .from(stockLines)
    .where(
      inArray(
        stockLines.reportId,
        reports.map((r) => r.id),
      ),
    );
  const match = reports.find((r) =>
    sameLines(
      lines.filter((l) => l.reportId === r.id),
      g.lines,
    ),
  );
  return match?.id ?? null;
};

const domainErrorText = (ctx: Ctx, e: DomainError) => {
  if (e.messageKey === "month.locked") return ctx.col("date", `month ${String(e.params?.month)} is closed`);
  if (e.messageKey === "stock.not_a_store")
    return ctx.col("storeCode", `is a ${String(e.params?.kind)}, not a pharmacy or distributor`);
  return ctx.col((e.field === "customerId" ? "storeCode" : (e.field ?? "storeCode")) as Field, e.messageKey);
};

export interface StockImportSummary extends ImportSummary {
  reports: { id: string; customerId: string; date: string; repId: string; findings: StockFinding[] }[];
}

/** Stock counts, one report per (store, date, rep), each through the stock service (findings, alerts). */
export const importStock = async (
  database: Database,
  service: StockService,
  text: string,
  actor: Pick<Actor, "id" | "role" | "managerId" | "name" | "locale" | "timezone">,
): Promise<StockImportSummary> => {
  const sheet = readSheet<Field>(text, stockColumns, [
    ["storeCode"],
    ["productCode"],
    ["quantity"],
    ["date"],
  ]);
  const { db } = database;
  const stores = await db
    .select({ id: customers.id, code: customers.code, kind: customers.kind, ownerId: customers.ownerId })
    .from(customers);
  const roles = new Map(
    (await db.select({ id: users.id, role: users.role }).from(users)).map((u) => [u.id, u.role as Role]),
  );
  const books = new Map<string, Promise<string[] | null>>();
  const ctx: Ctx = {
    stores: new Map(stores.map((s) => [s.code, s])),
    product: await loadProductLookup(db),
    user: await loadUserLookup(db),
    scope: await visibleUserIds(db, actor),
    bookOf: (repId) => {
      let book = books.get(repId);
      if (!book) {
        const rep = { id: repId, role: roles.get(repId) ?? "rep" } as Actor;
        book = writableUserIds(db, rep);
        books.set(repId, book);
      }
      return book;
    },
    col: (f, why) => columnError(sheet.columnOf, f, why),
  };
  const outcomes: RowOutcome[] = [];
  const groups = new Map<string, Group>();
  for (const r of sheet.rows) {
    const planned = planRow(ctx, r);
    const p = typeof planned === "string" ? planned : ((await outsideBook(ctx, planned)) ?? planned);
    if (typeof p === "string") {
      outcomes.push({ row: r.row, status: "error", error: p });
      continue;
    }
    const k = `${p.key.customerId}|${p.key.date}|${p.key.repId}`;
    const g = groups.get(k) ?? { ...p.key, rows: [], lines: [] };
    g.rows.push(r.row);
    g.lines.push(p.line);
    groups.set(k, g);
  }
  const batchId = await openImportBatch(database, "stock", actor);
  const reports: StockImportSummary["reports"] = [];
  for (const g of groups.values())
    outcomes.push(...(await recordGroup(ctx, database, service, g, actor, reports)));
  const summary = summarize(outcomes, sheet.ignored);
  await closeImportBatch(database, batchId, actor, summary);
  return { ...summary, reports };
};

const recordGroup = async (
  ctx: Ctx,
  database: Database,
  service: StockService,
  g: Group,
  actor: Pick<Actor, "id" | "role">,
  reports: StockImportSummary["reports"],
): Promise<RowOutcome[]> => {
  const all = (o: Omit<RowOutcome, "row">) => g.rows.map((row) => ({ row, ...o }));
  // Every line was checked with its row; what is left to refuse is the count as a whole.
  if (g.lines.length > STOCK_IMPORT_MAX_LINES)
    return all({
      status: "error",
      error: ctx.col(
        "storeCode",
        `has ${g.lines.length} lines on ${g.date}; an import takes at most ${STOCK_IMPORT_MAX_LINES} lines per store and day`,
      ),
    });
  const input = stockReportImport.safeParse({
    repId: g.repId,
    customerId: g.customerId,
    date: g.date,
    lines: g.lines,
  });
  if (!input.success) {
    const i = input.error.issues[0];
    return all({
      status: "error",
      error: ctx.col(i.path[0] === "lines" ? "productCode" : "storeCode", i.message),
    });
  }
  const existing = await existingReport(database.db, g);
  if (existing) return all({ status: "updated", id: existing });
  const result = await service.record(
    { ...input.data, repId: g.repId },
    { id: actor.id, role: actor.role, via: "import" },
  );
  if (!result.ok) return all({ status: "error", error: domainErrorText(ctx, result.error) });
  const r = result.value;
  reports.push({ id: r.id, customerId: r.customerId, date: r.date, repId: r.repId, findings: r.findings });
  return all({ status: "ok", id: r.id });
};
