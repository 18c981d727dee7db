import { z } from "zod";
import { email, idRef, isoDate, locale, name, phone, timeZone } from "./common";

export const role = z.enum(["admin", "manager", "finance", "rep"]);

const userFields = z.object({
  name,
  role,
  managerId: idRef.nullable().optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  locale,
  timezone: timeZone.nullable().optional(),
  territory: z.string().trim().max(100).nullable().optional(),
  slackUserId: z.string().trim().max(64).nullable().optional(),
  wecomUserId: z.string().trim().max(128).nullable().optional(),
  active: z.boolean(),
});

export const userCreate = userFields.extend({
  locale: locale.default("zh-CN"),
  active: z.boolean().default(true),
});

/** Built from the fields without defaults: zod applies defaults inside optional, which would reset them. */
export const userPatch = userFields.partial().strict();

export const delegationInput = z.object({ toUserId: idRef, until: isoDate });
