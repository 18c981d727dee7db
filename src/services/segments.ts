import { and, eq } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { nowIso } from "../db/ids";
import { customers, products, segments } from "../db/schema";
import { fail, ok, type Result } from "../domain/result";
import type { SegmentPut } from "../schemas/field";
import type { Actor } from "./context";
import { type FieldContext, loadGrid, type SegmentView, segmentView } from "./customer-computed";

/** The customer (of the right kind) and product a field judgement is about, checked before any write. */
export const checkFieldRefs = async (
  ctx: FieldContext,
  customerId: string,
  productId: string,
  kinds: readonly string[],
  kindKey: string,
): Promise<Result<true>> => {
  const { db } = ctx.database;
  const customer = await db
    .select({ kind: customers.kind })
    .from(customers)
    .where(eq(customers.id, customerId))
    .get();
  if (!customer) return fail("not_found", "customer.not_found", undefined, "customerId");
  if (!kinds.includes(customer.kind))
    return fail("validation", kindKey, { kind: customer.kind }, "customerId");
  const product = await db.select({ id: products.id }).from(products).where(eq(products.id, productId)).get();
  if (!product) return fail("not_found", "product.not_found", undefined, "productId");
  return ok(true);
};

/**
 * A doctor's usage × potential for one product (DOMAIN.md §2). Class, strategy and
 * visit target are not stored: they come from the grid setting at read time.
 */
export const createSegmentService = (ctx: FieldContext) => {
  const put = async (
    customerId: string,
    productId: string,
    input: SegmentPut,
    actor: Actor,
  ): Promise<Result<SegmentView>> => {
    const refs = await checkFieldRefs(ctx, customerId, productId, ["doctor"], "segment.not_a_doctor");
    if (!refs.ok) return refs;
    const at = nowIso();
    const key = and(eq(segments.customerId, customerId), eq(segments.productId, productId));
    await ctx.database.write(async (db) => {
      const before = await db.select().from(segments).where(key).get();
      const row = { customerId, productId, usage: input.usage, potential: input.potential };
      await db.batch([
        db
          .insert(segments)
          .values({ ...row, updatedAt: at, updatedBy: actor.id })
          .onConflictDoUpdate({
            target: [segments.customerId, segments.productId],
            set: { usage: input.usage, potential: input.potential, updatedAt: at, updatedBy: actor.id },
          }),
        auditInsert(db, {
          actorId: actor.id,
          via: actor.via,
          action: before ? "update" : "create",
          entityType: "segment",
          entityId: `${customerId}:${productId}`,
          before: before ? { usage: before.usage, potential: before.potential } : null,
          after: row,
        }),
      ]);
    });
    return ok(segmentView({ productId, ...input }, await loadGrid(ctx.settings)));
  };
  return { put };
};

export type SegmentService = ReturnType<typeof createSegmentService>;
