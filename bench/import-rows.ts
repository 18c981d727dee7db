/**
 * The 100,000 purchases of the import bench, against the data set's codes: the same rows
 * as a CSV (for `POST /api/imports/purchases`) and as raw insert rows (the floor).
 */
import { customerCode, customerId, PRODUCTS, pad, productCode, productId, type Row } from "./dataset-rows";

export interface ImportRow {
  rep: number;
  buyer: number;
  product: number;
  date: string;
  quantity: number;
  documentNo: string;
}

/** Rows of run `tag`: ERP sales (seller blank) to each rep's hospitals and pharmacies in Aug 2026. */
export const importRows = (count: number, reps: number, tag: string): ImportRow[] =>
  Array.from({ length: count }, (_, n) => ({
    rep: n % reps,
    buyer: [0, 1, 2, 3, 88, 89, 90][n % 7],
    product: 1 + (n % PRODUCTS),
    date: `2026-08-${pad(1 + (n % 18), 2)}`,
    quantity: 1 + (n % 40),
    documentNo: `${tag}-${pad(n, 6)}`,
  }));

export const toCsv = (rows: ImportRow[]) =>
  [
    "sellerCode,buyerCode,productCode,date,quantity,amountCny,documentNo",
    ...rows.map(
      (r) =>
        `,${customerCode(r.rep, r.buyer)},${productCode(r.product)},${r.date},${r.quantity},${r.quantity * 25},${r.documentNo}`,
    ),
  ].join("\n");

export const IMPORT_COLS = [
  "id",
  "seller_id",
  "buyer_id",
  "product_id",
  "date",
  "quantity",
  "amount_cny",
  "source",
  "document_no",
  "natural_key",
  "created_at",
  "updated_at",
] as const;

export const toInsertRows = (rows: ImportRow[], at: string): Row[] =>
  rows.map((r) => [
    `im-${r.documentNo}`,
    null,
    customerId(r.rep, r.buyer),
    productId(r.product),
    r.date,
    r.quantity,
    r.quantity * 25,
    "erp",
    r.documentNo,
    `|${customerCode(r.rep, r.buyer)}|${productCode(r.product)}|${r.date}|${r.quantity}|${r.documentNo}`,
    at,
    at,
  ]);
