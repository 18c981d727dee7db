import type { InStatement } from "@libsql/client";
import { eq, inArray } from "drizzle-orm";
import { type AuditEntry, auditStatements } from "../db/audit";
import { bulkInsert } from "../db/bulk-insert";
import { type Database, type Db, statementOf } from "../db/client";
import { newId, nowIso } from "../db/ids";
import { closedMonths, purchaseNaturalKey } from "../db/repos/purchases";
import { customers, purchases } from "../db/schema";
import { purchaseBuyerKinds, purchaseCreate } from "../schemas/catalog";
import { type AliasTable, columnError, readSheet, type SheetRow } from "./headers";
import { issueText, loadProductLookup, type ProductRef } from "./lookups";
import {
  chunks,
  closeImportBatch,
  type ImportActor,
  type ImportSummary,
  openImportBatch,
  type RowOutcome,
  summarize,
} from "./outcome";
import { dateCell, numberCell, sourceCell } from "./values";

type Field =
  | "sellerCode"
  | "buyerCode"
  | "productCode"
  | "productName"
  | "date"
  | "quantity"
  | "amountCny"
  | "documentNo"
  | "source";

export const purchaseColumns: AliasTable<Field> = {
  sellerCode: ["卖方编码", "供货方", "供货方编码", "卖方", "seller", "seller code"],
  buyerCode: ["买方编码", "客户编码", "买方", "buyer", "buyer code", "customerCode", "customer code"],
  productCode: ["产品编码", "product code", "sku"],
  productName: ["产品名称", "产品", "品名", "product", "product name"],
  date: ["日期", "销售日期", "单据日期"],
  quantity: ["数量", "qty"],
  amountCny: ["金额", "金额(元)", "amount", "amount cny"],
  documentNo: ["单据号", "单号", "document no", "documentNumber"],
  source: ["来源"],
};

const REQUIRED: (readonly Field[])[] = [
  ["buyerCode"],
  ["productCode", "productName"],
  ["date"],
  ["quantity"],
];

/** Schema field → the CSV column it came from, for error messages. */
const COLUMN_OF_FIELD: Record<string, Field> = {
  sellerId: "sellerCode",
  buyerId: "buyerCode",
  productId: "productCode",
};

type CustomerRef = { id: string; code: string; kind: string };
type Planned = {
  row: number;
  key: string;
  value: {
    sellerId: string | null;
    buyerId: string;
    productId: string;
    date: string;
    quantity: number;
    amountCny: number;
    source: "erp" | "flow" | "manual";
    documentNo: string | null;
  };
};

interface Refs {
  byCode: Map<string, CustomerRef>;
  product: (cell: string) => ProductRef | string;
  closed: Set<string>;
  asOf: string | null;
  col: (f: Field, why: string) => string;
}

const loadRefs = async (db: Db, asOf: string | null, col: Refs["col"]): Promise<Refs> => {
  const rows = await db
    .select({ id: customers.id, code: customers.code, kind: customers.kind })
    .from(customers);
  return {
    byCode: new Map(rows.map((r) => [r.code, r])),
    product: await loadProductLookup(db),
    closed: await closedMonths(db),
    asOf,
    col,
  };
};

const resolveProduct = (v: SheetRow<Field>["values"], refs: Refs): ProductRef | string => {
  const byCode = v.productCode ? refs.product(v.productCode) : null;
  if (byCode && typeof byCode !== "string") return byCode;
  const byName = v.productName ? refs.product(v.productName) : null;
  if (byName && typeof byName !== "string") return byName;
  return refs.col(v.productCode ? "productCode" : "productName", (byCode ?? byName) as string);
};

/** Validates one row alone: every reason it cannot be imported, each naming its column. */
const planRow = ({ row, values: v }: SheetRow<Field>, refs: Refs): Planned | string => {
  const errors: string[] = [];
  const customer = (f: "sellerCode" | "buyerCode") => {
    const code = v[f];
    if (!code) return null;
    const c = refs.byCode.get(code);
    if (!c) errors.push(refs.col(f, `no customer with code ${code}`));
    return c ?? null;
  };
  const seller = customer("sellerCode");
  if (seller && seller.kind !== "distributor")
    errors.push(
      refs.col(
        "sellerCode",
        `${seller.code} is a ${seller.kind}; the seller must be a distributor (empty = the company)`,
      ),
    );
  const buyer = customer("buyerCode");
  if (!v.buyerCode) errors.push(refs.col("buyerCode", "is required"));
  else if (buyer && !purchaseBuyerKinds.includes(buyer.kind))
    errors.push(
      refs.col(
        "buyerCode",
        `${buyer.code} is a ${buyer.kind}; the buyer must be a hospital, pharmacy or distributor`,
      ),
    );
  const product = resolveProduct(v, refs);
  if (typeof product === "string") errors.push(product);
  const parsed = purchaseCreate.safeParse(
    {
      sellerId: seller?.id ?? null,
      buyerId: buyer?.id ?? "?",
      productId: typeof product === "string" ? "?" : product.id,
      date: dateCell(v.date),
      quantity: numberCell(v.quantity),
      amountCny: numberCell(v.amountCny),
      source: sourceCell(v.source) ?? (v.sellerCode ? "flow" : "erp"),
      documentNo: v.documentNo ?? null,
    },
    { reportInput: true },
  );
  if (!parsed.success)
    for (const i of parsed.error.issues) {
      const field = String(i.path[0] ?? "row");
      errors.push(refs.col((COLUMN_OF_FIELD[field] ?? field) as Field, issueText(i)));
    }
  if (errors.length > 0 || !parsed.success || !buyer || typeof product === "string") return errors.join("; ");
  const p = parsed.data;
  const month = p.date.slice(0, 7);
  if (refs.closed.has(month)) return refs.col("date", `month ${month} is closed`);
  if (refs.asOf && p.date > refs.asOf) return refs.col("date", `${p.date} is after asOf ${refs.asOf}`);
  const documentNo = p.documentNo ?? null;
  const key = purchaseNaturalKey({
    sellerCode: seller?.code ?? null,
    buyerCode: buyer.code,
    productCode: product.code,
    date: p.date,
    quantity: p.quantity,
    documentNo,
  });
  return { row, key, value: { ...p, sellerId: p.sellerId ?? null, amountCny: p.amountCny, documentNo } };
};

type Known = { id: string; amountCny: number; source: string; importBatchId: string | null };
type Writer = { db: Db; client: Database["client"] };

/**
 * One write batch: which rows are new, which update a known purchase. Purchases and their
 * audit rows (via import, as POST /api/purchases leaves one) go in one batch of multi-row
 * inserts: plain SQL, since drizzle's builder costs more per row than the write at 100,000 rows.
 */
const writeChunk = async (
  { db, client }: Writer,
  chunk: Planned[],
  known: Map<string, Known>,
  batchId: string,
  actor: ImportActor,
) => {
  // Changes are staged and merged into `known` only once the batch is saved.
  const next = new Map<string, Known>();
  const fresh = chunk.filter((p) => !known.has(p.key)).map((p) => p.key);
  if (fresh.length > 0) {
    const rows = await db
      .select({
        id: purchases.id,
        naturalKey: purchases.naturalKey,
        amountCny: purchases.amountCny,
        source: purchases.source,
        importBatchId: purchases.importBatchId,
      })
      .from(purchases)
      .where(inArray(purchases.naturalKey, fresh));
    for (const r of rows) next.set(r.naturalKey, r);
  }
  const at = nowIso();
  const inserts: (typeof purchases.$inferInsert)[] = [];
  const updates: InStatement[] = [];
  const audit: AuditEntry[] = [];
  const outcomes: RowOutcome[] = [];
  const entry = { actorId: actor.id, via: "import", entityType: "purchase" } as const;
  for (const p of chunk) {
    const prior = next.get(p.key) ?? known.get(p.key);
    if (!prior) {
      const id = newId();
      const row = { ...p.value, id, naturalKey: p.key, importBatchId: batchId, createdAt: at, updatedAt: at };
      inserts.push(row);
      audit.push({ ...entry, action: "create", entityId: id, after: row });
      next.set(p.key, { id, amountCny: p.value.amountCny, source: p.value.source, importBatchId: batchId });
      outcomes.push({ row: p.row, status: "ok", id });
      continue;
    }
    outcomes.push({ row: p.row, status: "updated", id: prior.id });
    // Unchanged rows count as updated but cost no write.
    if (prior.amountCny === p.value.amountCny && prior.source === p.value.source) continue;
    const set = {
      amountCny: p.value.amountCny,
      source: p.value.source,
      importBatchId: batchId,
      updatedAt: at,
    };
    updates.push(statementOf(db.update(purchases).set(set).where(eq(purchases.id, prior.id))));
    const { id: _id, ...before } = prior;
    audit.push({ ...entry, action: "update", entityId: prior.id, before, after: set });
    next.set(p.key, { ...prior, amountCny: set.amountCny, source: set.source, importBatchId: batchId });
  }
  const statements = [...bulkInsert(purchases, inserts), ...updates, ...auditStatements(audit)];
  if (statements.length > 0) await client.batch(statements, "write");
  for (const [k, v] of next) known.set(k, v);
  return outcomes;
};

/** A batch the database refuses is retried row by row, so one bad row never sinks the others. */
const saveChunk = async (
  database: Database,
  chunk: Planned[],
  known: Map<string, Known>,
  batchId: string,
  actor: ImportActor,
) => {
  const write = (rows: Planned[]) =>
    database.write((db) => writeChunk({ db, client: database.client }, rows, known, batchId, actor));
  try {
    return await write(chunk);
  } catch {
    const out: RowOutcome[] = [];
    for (const p of chunk)
      out.push(
        ...(await write([p]).catch((e: Error): RowOutcome[] => [
          { row: p.row, status: "error", error: `could not be saved: ${e.message}` },
        ])),
      );
    return out;
  }
};

export interface PurchaseImportOptions {
  asOf: string | null;
}

const batchExtra = (planned: Planned[], asOf: string | null) => {
  const dates = planned.map((p) => p.value.date).sort();
  const sellers = new Set(planned.map((p) => p.value.sellerId));
  const flow = asOf !== null || planned.some((p) => p.value.source === "flow");
  const only = sellers.size === 1 ? [...sellers][0] : null;
  return {
    source: flow ? ("flow" as const) : ("erp" as const),
    sellerId: only,
    periodFrom: dates[0] ?? null,
    // Without ?asOf= a flow file is taken to cover up to its last dated row.
    asOf: asOf ?? (flow ? (dates.at(-1) ?? null) : null),
  };
};

/** Purchases from an ERP export or a distributor's flow file (流向), re-importable by natural key. */
export const importPurchases = async (
  database: Database,
  text: string,
  actor: ImportActor,
  opts: PurchaseImportOptions,
): Promise<ImportSummary> => {
  const sheet = readSheet(text, purchaseColumns, REQUIRED);
  const refs = await loadRefs(database.db, opts.asOf, (f, why) => columnError(sheet.columnOf, f, why));
  const outcomes: RowOutcome[] = [];
  const planned: Planned[] = [];
  for (const r of sheet.rows) {
    const p = planRow(r, refs);
    if (typeof p === "string") outcomes.push({ row: r.row, status: "error", error: p });
    else planned.push(p);
  }
  const batchId = await openImportBatch(database, "purchases", actor);
  const known = new Map<string, Known>();
  for (const chunk of chunks(planned))
    outcomes.push(...(await saveChunk(database, chunk, known, batchId, actor)));
  const summary = summarize(outcomes, sheet.ignored);
  const failed = new Set(summary.rows.filter((o) => o.status === "error").map((o) => o.row));
  const saved = planned.filter((p) => !failed.has(p.row));
  await closeImportBatch(database, batchId, actor, summary, batchExtra(saved, opts.asOf));
  return summary;
};
