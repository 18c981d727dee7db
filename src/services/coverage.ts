import { and, eq } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { nowIso } from "../db/ids";
import { coverage } from "../db/schema";
import { fail, ok, type Result } from "../domain/result";
import type { CoveragePut } from "../schemas/field";
import type { Actor } from "./context";
import type { FieldContext } from "./customer-computed";
import { checkFieldRefs } from "./segments";

export interface CoverageView {
  customerId: string;
  productId: string;
  listed: boolean;
  reason: string | null;
  updatedAt: string;
  updatedBy: string;
}

/**
 * Whether a hospital or pharmacy carries a product (进院/铺货, DOMAIN.md §8). A blank one
 * must say why: that reason is what the coverage report groups.
 */
export const createCoverageService = (ctx: FieldContext) => {
  const put = async (
    customerId: string,
    productId: string,
    input: CoveragePut,
    actor: Actor,
  ): Promise<Result<CoverageView>> => {
    const reason = input.listed ? null : (input.reason?.trim() ?? "");
    if (reason === "") return fail("validation", "coverage.reason_required", undefined, "reason");
    const refs = await checkFieldRefs(
      ctx,
      customerId,
      productId,
      ["hospital", "pharmacy"],
      "coverage.not_an_account",
    );
    if (!refs.ok) return refs;
    const row: CoverageView = {
      customerId,
      productId,
      listed: input.listed,
      reason,
      updatedAt: nowIso(),
      updatedBy: actor.id,
    };
    const key = and(eq(coverage.customerId, customerId), eq(coverage.productId, productId));
    await ctx.database.write(async (db) => {
      const before = await db.select().from(coverage).where(key).get();
      await db.batch([
        db
          .insert(coverage)
          .values(row)
          .onConflictDoUpdate({
            target: [coverage.customerId, coverage.productId],
            set: {
              listed: row.listed,
              reason: row.reason,
              updatedAt: row.updatedAt,
              updatedBy: row.updatedBy,
            },
          }),
        auditInsert(db, {
          actorId: actor.id,
          via: actor.via,
          action: before ? "update" : "create",
          entityType: "coverage",
          entityId: `${customerId}:${productId}`,
          before: before ? { listed: before.listed, reason: before.reason } : null,
          after: { customerId, productId, listed: row.listed, reason: row.reason },
        }),
      ]);
    });
    return ok(row);
  };
  return { put };
};

export type CoverageService = ReturnType<typeof createCoverageService>;
