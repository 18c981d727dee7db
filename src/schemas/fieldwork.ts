import { z } from "zod";
import { idRef, isoDate } from "./common";

/** Stock report lines as the API, chat and CSV import give them. */
export const stockLine = z.object({
  productId: idRef,
  quantity: z.number("must be a number").finite().min(0, "must not be negative"),
  batch: z.string().trim().max(64).nullable().optional(),
  expiry: isoDate.nullable().optional(),
});

export const stockReportCreate = z.object({
  repId: idRef.optional(),
  customerId: idRef,
  date: isoDate,
  lines: z.array(stockLine).min(1, "must have at least one line").max(200),
  /** For a closed month: the report is stored as an adjustment with this reason. */
  adjustmentReason: z.string().trim().min(1).max(500).optional(),
});
export type StockReportCreate = z.infer<typeof stockReportCreate>;

/** Lines one imported store-and-day count may have: a distributor's full count runs far past what a rep types. */
export const STOCK_IMPORT_MAX_LINES = 2000;

/** A report as the CSV import files it: the same shape, with room for a full count. */
export const stockReportImport = stockReportCreate.extend({
  lines: z
    .array(stockLine)
    .min(1, "must have at least one line")
    .max(STOCK_IMPORT_MAX_LINES, `must have at most ${STOCK_IMPORT_MAX_LINES} lines`),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");

export const visitCreate = z.object({
  repId: idRef.optional(),
  customerId: idRef,
  date: isoDate,
  time: hhmm.nullable().optional(),
  method: z.enum(["in_person", "phone", "wechat", "email", "meeting"]).default("in_person"),
  purposes: z
    .array(
      z.enum([
        "follow_up",
        "listing",
        "competitor_intel",
        "feedback",
        "promotion",
        "profile_update",
        "trial_tracking",
      ]),
    )
    .max(7)
    .default([]),
  productIds: z.array(idRef).max(20).default([]),
  rating: z.number().int("must be a whole number 1-7").min(1, "must be 1-7").max(7, "must be 1-7"),
  keyMessage: z.string().trim().max(1000).nullable().optional(),
  outcome: z.string().trim().max(1000).nullable().optional(),
  notes: z.string().trim().max(4000).nullable().optional(),
  samples: z.string().trim().max(1000).nullable().optional(),
  competitorInfo: z.string().trim().max(2000).nullable().optional(),
  nextStep: z.string().trim().max(1000).nullable().optional(),
  followUpOn: isoDate.nullable().optional(),
  attendees: z.number().int().min(0).max(1000).nullable().optional(),
  planId: idRef.nullable().optional(),
});
export type VisitCreate = z.infer<typeof visitCreate>;

export const coVisitCreate = z.object({
  score: z.number().int("must be a whole number 1-5").min(1, "must be 1-5").max(5, "must be 1-5"),
  report: z.string().trim().max(4000).optional(),
});

export const planCreate = z.object({
  repId: idRef.optional(),
  customerId: idRef,
  date: isoDate,
  slot: z.enum(["am", "pm"]),
  purpose: z.string().trim().max(500).nullable().optional(),
  productIds: z.array(idRef).max(20).default([]),
  status: z.enum(["temporary", "normal"]).default("normal"),
  coVisitManagerId: idRef.nullable().optional(),
});
export type PlanCreate = z.infer<typeof planCreate>;

export const planPatch = z
  .object({
    status: z.enum(["temporary", "normal", "void", "completed", "submitted"]).optional(),
    date: isoDate.optional(),
    slot: z.enum(["am", "pm"]).optional(),
    purpose: z.string().trim().max(500).nullable().optional(),
    coVisitManagerId: idRef.nullable().optional(),
  })
  .strict();

export const handoverInput = z.object({
  toUserId: idRef,
  mode: z.enum(["proxy", "transfer"]),
  until: isoDate.optional(),
});
