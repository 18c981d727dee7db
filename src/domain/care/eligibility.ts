/**
 * Whether and how a customer may be greeted (DOMAIN.md §7): holiday and birthday texts
 * are marketing, so explicit per-channel consent, caps, a daytime window and a text
 * free of products, prices and inducements.
 */
import { type IsoDate, zonedInstant } from "../dates";
import type { ConsentChannel, ConsentState } from "./consent";

export type SuppressReason =
  | "no_consent"
  | "withdrawn"
  | "cap_reached"
  | "invalid_address"
  | "skipped_by_rep"
  | "erased";

export interface CareCaps {
  perMonth: number;
  perDay: number;
}

export interface EligibilityInput {
  customer: {
    consent: Record<ConsentChannel, { state: ConsentState | "none" }>;
    preferredChannel?: ConsentChannel | null;
    phone?: string | null;
    email?: string | null;
    erased?: boolean;
  };
  sentThisMonth: number;
  sentToday: number;
  /** The rep stopped this greeting in the preview. */
  skipped: boolean;
  caps: CareCaps;
}

export type Eligibility = { channel: ConsentChannel } | { suppressed: SuppressReason };

/** Mainland mobile numbers only: care goes out by SMS, a landline cannot receive it. */
export const isValidMobile = (phone: string | null | undefined): boolean =>
  /^(?:\+?86)?1[3-9]\d{9}$/.test((phone ?? "").replace(/[\s-]/g, ""));

export const isValidEmail = (email: string | null | undefined): boolean =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test((email ?? "").trim());

export const careEligibility = (input: EligibilityInput): Eligibility => {
  const { customer } = input;
  if (customer.erased) return { suppressed: "erased" };
  if (input.skipped) return { suppressed: "skipped_by_rep" };
  if (input.sentToday >= input.caps.perDay || input.sentThisMonth >= input.caps.perMonth) {
    return { suppressed: "cap_reached" };
  }
  const preferred = customer.preferredChannel ?? "sms";
  const order: ConsentChannel[] = preferred === "sms" ? ["sms", "email"] : ["email", "sms"];
  const reachable = (ch: ConsentChannel) =>
    ch === "sms" ? isValidMobile(customer.phone) : isValidEmail(customer.email);
  const granted = order.filter((ch) => customer.consent[ch]?.state === "granted");
  const channel = granted.find(reachable);
  if (channel) return { channel };
  // Most actionable reason first: consent exists but the address is bad.
  if (granted.length > 0) return { suppressed: "invalid_address" };
  if (order.some((ch) => customer.consent[ch]?.state === "withdrawn")) return { suppressed: "withdrawn" };
  return { suppressed: "no_consent" };
};

export interface CareWindowSetting {
  from: string; // "HH:MM" local
  to: string;
}

export interface CareWindow {
  notBefore: Date;
  /** Not delivered by then → dropped as `expired`, never sent a day late. */
  expiresAt: Date;
}

const hm = (s: string): [number, number] => {
  const [h, m] = s.split(":").map(Number);
  return [h, m];
};

export const careWindow = (date: IsoDate, timeZone: string, w: CareWindowSetting): CareWindow => ({
  notBefore: zonedInstant(date, ...hm(w.from), timeZone),
  expiresAt: zonedInstant(date, ...hm(w.to), timeZone),
});

/** Where an instant falls against a day's window: wait for it, send now, or drop. */
export const careWindowStatus = (now: Date, window: CareWindow): "wait" | "open" | "expired" => {
  if (now.getTime() >= window.expiresAt.getTime()) return "expired";
  return now.getTime() < window.notBefore.getTime() ? "wait" : "open";
};

// The text check lives in product-free.ts; kept importable from here, where callers look for it.
export { isProductFree, type ProductTerms, productFreeCheck } from "./product-free";
