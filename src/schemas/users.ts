import { z } from "zod";
import { email, idRef, isoDate, locale, name, phone, timeZone } from "./common";

export const role = z.enum(["admin", "manager", "finance", "rep"]);

export const userCreate = z.object({
  name,
  role,
  managerId: idRef.nullable().optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  locale: locale.default("zh-CN"),
  timezone: timeZone.nullable().optional(),
  territory: z.string().trim().max(100).nullable().optional(),
  slackUserId: z.string().trim().max(64).nullable().optional(),
  wecomUserId: z.string().trim().max(128).nullable().optional(),
  active: z.boolean().default(true),
});

export const userPatch = userCreate.partial().strict();

export const delegationInput = z.object({ toUserId: idRef, until: isoDate });
