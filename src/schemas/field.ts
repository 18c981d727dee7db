import { z } from "zod";
import { idRef, month } from "./common";

/** The rep's own 0–4 judgement (DOMAIN.md §2); never derived from prescription counts. */
const scale = z
  .number("must be a whole number 0-4")
  .int("must be a whole number 0-4")
  .min(0, "must be 0-4")
  .max(4, "must be 0-4");

/** `PUT /api/customers/{id}/segments/{productId}` */
export const segmentPut = z.object({ usage: scale, potential: scale });
export type SegmentPut = z.infer<typeof segmentPut>;

/**
 * `PUT /api/customers/{id}/coverage/{productId}`: a blank customer needs the rep's reason
 * (DOMAIN.md §8 — get the product in or record why not).
 */
export const coveragePut = z
  .object({
    listed: z.boolean("must be true or false"),
    reason: z.string().trim().max(500, "must be at most 500 characters").nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.listed && !v.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "is required when listed is false" });
  });
export type CoveragePut = z.infer<typeof coveragePut>;

/** `GET /api/reports/{sfe|coverage}` */
export const fieldReportQuery = z.object({
  month: month.optional(),
  repId: idRef.optional(),
  managerId: idRef.optional(),
  productId: idRef.optional(),
  format: z.enum(["json", "csv"]).optional(),
});
export type FieldReportQuery = z.infer<typeof fieldReportQuery>;
