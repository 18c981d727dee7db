import { z } from "zod";
import { cny, idRef, isoDate, name } from "./common";

const productFields = z.object({
  code: z.string().trim().min(1).max(64).optional(),
  name,
  nameEn: z.string().trim().max(200).nullable().optional(),
  unit: z.string().trim().min(1).max(10),
  rx: z.boolean(),
  aliases: z.array(z.string().trim().min(1).max(50)).max(20),
  active: z.boolean(),
});
export const productCreate = productFields.extend({
  unit: productFields.shape.unit.default("盒"),
  rx: z.boolean().default(false),
  aliases: productFields.shape.aliases.default([]),
  active: z.boolean().default(true),
});
/** Built from the fields without defaults: zod applies defaults inside optional, which would reset them. */
export const productPatch = productFields.partial().strict();

const quantity = z
  .number("must be a number")
  .finite()
  .refine((n) => n !== 0, "must not be 0 (negative = a return)");

/**
 * Who may buy (DOMAIN.md §4): a distributor from the company, a hospital or pharmacy from a
 * distributor. A doctor or a department prescribes but never buys; a sale booked to one
 * would count twice against its hospital.
 */
export const purchaseBuyerKinds: readonly string[] = ["hospital", "pharmacy", "distributor"];

/** A purchase; `customerId` is accepted as a synonym of `buyerId` (CONTRACT.md). */
export const purchaseCreate = z
  .object({
    sellerId: idRef.nullable().optional(),
    buyerId: idRef.optional(),
    customerId: idRef.optional(),
    productId: idRef,
    date: isoDate,
    quantity,
    amountCny: cny.default(0),
    source: z.enum(["erp", "flow", "manual"]).default("manual"),
    documentNo: z.string().trim().max(64).nullable().optional(),
  })
  .refine((p) => p.buyerId || p.customerId, { path: ["buyerId"], message: "is required (or customerId)" })
  .transform(({ customerId, ...p }) => ({ ...p, buyerId: (p.buyerId ?? customerId) as string }));
export type PurchaseCreate = z.output<typeof purchaseCreate>;

export const holidayPut = z.object({
  kind: z.enum(["off", "work"]),
  name: z.string().trim().max(100).nullable().optional(),
});
