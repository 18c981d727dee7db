import { z } from "zod";
import { isIsoDate } from "../domain/dates";

/** Building blocks shared by the API, the conversation steps and the CSV importers (rule 9). */
export const isoDate = z.string().refine(isIsoDate, "must be a date YYYY-MM-DD");
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");
export const cny = z
  .number("must be a number")
  .finite()
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, "must have at most 2 decimals");
export const nonNegativeCny = cny.refine((n) => n >= 0, "must not be negative");
export const positiveCny = cny.refine((n) => n > 0, "must be greater than 0");
export const idRef = z.string().trim().min(1, "must be an id").max(64);
export const name = z.string().trim().min(1, "must not be empty").max(200);
export const locale = z.enum(["zh-CN", "en"]);
export const email = z.email("must be an email address").max(254);
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,19}$/, "must be a phone number");
/**
 * A real calendar day: YYYY-MM-DD, or MM-DD when the year is not known. MM-DD is checked in
 * a leap year (2000), so 02-29 passes and 02-30 or 04-31 do not.
 */
export const birthday = z
  .string()
  .refine(
    (s) => (/^\d{2}-\d{2}$/.test(s) ? isIsoDate(`2000-${s}`) : isIsoDate(s)),
    "must be MM-DD or YYYY-MM-DD",
  );
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone");

/** `?limit=&cursor=` with CONTRACT.md's default 50 and maximum 500. */
export const pageQuery = z.object({
  limit: z.coerce.number().int("must be a whole number").min(1).max(500, "must be at most 500").default(50),
  cursor: z.string().max(200).optional(),
});

export const dateRangeQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  month: month.optional(),
});
