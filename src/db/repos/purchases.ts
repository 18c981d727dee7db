import { eq, inArray } from "drizzle-orm";
import { type PurchaseCreate, purchaseBuyerKinds } from "../../schemas/catalog";
import type { Db } from "../client";
import { customers, monthCloses, products } from "../schema";

/** `sellerCode|buyerCode|productCode|date|quantity|documentNo` — a re-import updates, never duplicates. */
export const purchaseNaturalKey = (p: {
  sellerCode: string | null;
  buyerCode: string;
  productCode: string;
  date: string;
  quantity: number;
  documentNo: string | null | undefined;
}) =>
  [p.sellerCode ?? "", p.buyerCode, p.productCode, p.date, String(p.quantity), p.documentNo ?? ""].join("|");

export class PurchaseRefError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Resolves the codes behind a purchase's ids for its natural key, and checks the references. */
export const resolvePurchaseKey = async (db: Db, p: PurchaseCreate) => {
  const ids = [p.buyerId, ...(p.sellerId ? [p.sellerId] : [])];
  const rows = await db
    .select({ id: customers.id, code: customers.code, kind: customers.kind })
    .from(customers)
    .where(inArray(customers.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const buyer = byId.get(p.buyerId);
  if (!buyer) throw new PurchaseRefError("buyerId", "no such customer");
  if (!purchaseBuyerKinds.includes(buyer.kind))
    throw new PurchaseRefError(
      "buyerId",
      `is a ${buyer.kind}; the buyer must be a hospital, pharmacy or distributor`,
    );
  const seller = p.sellerId ? byId.get(p.sellerId) : null;
  if (p.sellerId && !seller) throw new PurchaseRefError("sellerId", "no such customer");
  if (seller && seller.kind !== "distributor")
    throw new PurchaseRefError("sellerId", "must be a distributor (or null for the company)");
  const product = await db
    .select({ code: products.code })
    .from(products)
    .where(eq(products.id, p.productId))
    .get();
  if (!product) throw new PurchaseRefError("productId", "no such product");
  return purchaseNaturalKey({
    sellerCode: seller?.code ?? null,
    buyerCode: buyer.code,
    productCode: product.code,
    date: p.date,
    quantity: p.quantity,
    documentNo: p.documentNo,
  });
};

export const closedMonths = async (db: Db): Promise<Set<string>> =>
  new Set((await db.select({ month: monthCloses.month }).from(monthCloses)).map((r) => r.month));
