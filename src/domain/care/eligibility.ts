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

const PRICE_PATTERNS: readonly RegExp[] = [
  /[¥￥]\s*\d/,
  // 元旦 / 元宵 follow dates ("正月15元宵节"), they are not prices.
  /\d\s*(?:元(?![旦宵])|块钱|块|万元)/,
  /\d\s*(?:CNY|RMB)\b/i,
  /\b(?:CNY|RMB)\s*\d/i,
];

/** Benefit and inducement words (anti-inducement rules): money, gifts, discounts, kickbacks. */
const INDUCEMENT_WORDS: readonly string[] = [
  "红包",
  "优惠",
  "折扣",
  "打折",
  "返利",
  "返现",
  "回扣",
  "佣金",
  "礼品",
  "礼物",
  "礼包",
  "礼券",
  "赠送",
  "赠品",
  "免费",
  "现金",
  "购物卡",
  "代金券",
  "积分",
  "抽奖",
  "奖品",
  "福利",
  "补贴",
  "discount",
  "rebate",
  "gift",
  "coupon",
  "voucher",
  "cash",
  "commission",
  "prize",
  "free sample",
  "free trial",
  "reward",
  "kickback",
  "bonus",
];

/**
 * True when a care text names no product, price or inducement — the job's last guard
 * before a greeting leaves. Deliberately strict: a false alarm costs one greeting.
 */
export const isProductFree = (text: string, productNames: readonly string[]): boolean => {
  const t = text.normalize("NFKC").toLowerCase();
  const names = productNames.map((n) => n.normalize("NFKC").trim().toLowerCase()).filter((n) => n.length > 0);
  if (names.some((n) => t.includes(n))) return false;
  if (PRICE_PATTERNS.some((re) => re.test(t))) return false;
  return !INDUCEMENT_WORDS.some((w) => t.includes(w));
};
