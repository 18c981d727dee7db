import { z } from "zod";
import { birthday, email, idRef, locale, name, nonNegativeCny, phone, timeZone } from "./common";

export const customerKind = z.enum(["hospital", "department", "doctor", "pharmacy", "distributor"]);
export const customerStage = z.enum(["to_identify", "new", "intent", "purchasing", "complete"]);
export const channel = z.enum(["sms", "email"]);

/** What a client sends about consent: the server fills `at` and `by` and appends to the ledger. */
export const consentInput = z.object({
  state: z.enum(["granted", "withdrawn"]),
  method: z.string().trim().min(1, "must say how consent was obtained (e.g. paper_form, verbal)").max(60),
  evidence: z.string().trim().max(1000).optional(),
});

const count = z.number().int("must be a whole number").min(0, "must not be negative");

export const customerCreate = z.object({
  code: z.string().trim().min(1).max(64).optional(),
  kind: customerKind,
  name,
  parentId: idRef.nullable().optional(),
  ownerId: idRef.optional(),
  city: z.string().trim().max(50).nullable().optional(),
  cityTier: z
    .union([z.literal(1), z.literal(2), z.literal(3)])
    .nullable()
    .optional(),
  area: z.string().trim().max(100).nullable().optional(),
  address: z.string().trim().max(300).nullable().optional(),
  phone: phone.nullable().optional(),
  email: email.nullable().optional(),
  birthday: birthday.nullable().optional(),
  timezone: timeZone.nullable().optional(),
  locale: locale.optional(),
  preferences: z.string().trim().max(1000).nullable().optional(),
  bestVisitSlot: z.enum(["am", "pm"]).nullable().optional(),
  stage: customerStage.optional(),
  preferredChannel: channel.nullable().optional(),
  consent: z.object({ sms: consentInput.optional(), email: consentInput.optional() }).optional(),
  beds: count.nullable().optional(),
  dailyOutpatients: count.nullable().optional(),
  monthlyPurchaseCny: nonNegativeCny.nullable().optional(),
  monthlySalesCny: nonNegativeCny.nullable().optional(),
  ourMonthlySalesCny: nonNegativeCny.nullable().optional(),
  chain: z.string().trim().max(100).nullable().optional(),
  department: z.string().trim().max(100).nullable().optional(),
  title: z.string().trim().max(100).nullable().optional(),
  kol: z.boolean().optional(),
  tier: z.enum(["first", "second"]).nullable().optional(),
  active: z.boolean().optional(),
});
export type CustomerCreate = z.infer<typeof customerCreate>;

export const customerPatch = customerCreate.omit({ kind: true }).partial().strict();
export type CustomerPatch = z.infer<typeof customerPatch>;

/** Which parent kinds each kind may hang under. */
export const allowedParents: Record<z.infer<typeof customerKind>, readonly string[]> = {
  hospital: [],
  distributor: [],
  pharmacy: ["pharmacy"], // a store under its chain
  department: ["hospital"],
  doctor: ["department", "hospital"],
};
