import { z } from "zod";
import { type Locale, translator } from "../conversations/messages";
import { sign } from "../lib/secrets";
import { registerChatTemplate } from "./templates";

/** The outbox template name of a care greeting (services/care.ts enqueues it). */
export const CARE_GREETING = "care_greeting";

export const careOccasions = [
  "birthday",
  "spring_festival",
  "lantern",
  "dragon_boat",
  "mid_autumn",
  "new_year",
  "national_day",
  "doctors_day",
  "nurses_day",
] as const;

/** What the care job puts in the outbox row's `data` (the locale is the row's). */
const careGreetingData = z.object({
  customerName: z.string().min(1),
  title: z.string().nullish(),
  repName: z.string().min(1),
  occasions: z.array(z.enum(careOccasions)).min(1),
});

export type CareGreetingData = z.infer<typeof careGreetingData>;

/** The row's data as a greeting, or null when the job wrote something else (a bug: dead, not retried). */
export const parseCareGreeting = (data: unknown): CareGreetingData | null => {
  const parsed = careGreetingData.safeParse(data);
  return parsed.success ? parsed.data : null;
};

const localeOf = (locale: string): Locale => (locale === "en" ? "en" : "zh-CN");
// Most Chinese greetings have no space at all: skip the replacements (the care job renders thousands).
const squash = (s: string) =>
  /\s/.test(s)
    ? s
        .replace(/\s{2,}/g, " ")
        .replace(/\s+([,，：:!！])/g, "$1")
        .trim()
    : s;

/** Salutation and wishes shared by the SMS and the email. */
const parts = (d: CareGreetingData, locale: string) => {
  const t = translator(localeOf(locale));
  const title = d.title?.trim() ?? "";
  const name = d.customerName.trim();
  const wishes = [...new Set(d.occasions)].map((o) => t(`care.wish.${o}`)).join(t("care.wish.joiner"));
  return {
    t,
    name,
    title,
    wishes,
    rep: d.repName.trim(),
    salutation: squash(t("care.salutation", { name, title })),
  };
};

/**
 * What a customer would read of a greeting on its channel, for the care job's product check
 * before it queues the row. Left out, as no product can enter them: the SMS signature (fixed
 * configuration, not the job's to know), the unsubscribe link (a placeholder here, the
 * channel signs the real one) and the e-mail's HTML (the same body as its text, escaped).
 */
export const careGreetingTexts = (
  d: CareGreetingData,
  locale: string,
  channel: "sms" | "email",
): string[] => {
  if (channel === "sms") return [renderCareSms(d, locale, undefined).text];
  const mail = careEmailText(d, locale, "");
  return [mail.subject, mail.text];
};

/** The company signature as carriers want it: 【…】, first in the text. */
export const smsSignature = (signature: string | undefined): string => {
  const s = (signature ?? "").trim().replace(/^【|】$/g, "");
  return s ? `【${s}】` : "";
};

/** Signature first, a personal greeting, and always the Chinese opt-out line last. */
export const renderCareSms = (d: CareGreetingData, locale: string, signature: string | undefined) => {
  const p = parts(d, locale);
  const body = squash(p.t("care.sms", { salutation: p.salutation, wishes: p.wishes, rep: p.rep }));
  return {
    text: `${smsSignature(signature)}${body}${localeOf(locale) === "en" ? " " : ""}${p.t("care.sms_opt_out")}`,
    /** The registered template's variables (the gateway fills its own fixed text). */
    params: { name: p.name, title: p.title, wishes: p.wishes, rep: p.rep },
  };
};

/** The signed value of an unsubscribe link: who, and which channel. */
export const unsubscribeToken = (appSecret: string, customerId: string, channel: "email" | "sms" = "email") =>
  sign(appSecret, JSON.stringify({ c: customerId, ch: channel }));

export const unsubscribeUrl = (publicUrl: string, appSecret: string, customerId: string) =>
  `${publicUrl.replace(/\/$/, "")}/unsubscribe?token=${encodeURIComponent(unsubscribeToken(appSecret, customerId))}`;

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch,
  );

/**
 * A receiver's error text without email addresses or mobile numbers: it is stored on the
 * row and logged, and servers often echo the recipient ("550 <a@b.cn> unknown").
 */
export const redactContacts = (s: string) =>
  s
    .replace(/[^\s<>"'()@,;:]+@[^\s<>"'()@,;:]+/g, "[email]")
    .replace(/(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)/g, "[phone]");

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Subject and plain text: all the words of the email, which the HTML repeats escaped. */
const careEmailText = (d: CareGreetingData, locale: string, unsubscribe: string) => {
  const p = parts(d, locale);
  const subject = squash(p.t("care.email_subject", { name: p.name, title: p.title, wishes: p.wishes }));
  const body = p.t("care.email_body", { salutation: p.salutation, wishes: p.wishes, rep: p.rep }).trim();
  const text = `${body}\n\n--\n${p.t("care.email_unsubscribe", { link: unsubscribe })}\n`;
  return { p, subject, body, text };
};

export const renderCareEmail = (d: CareGreetingData, locale: string, unsubscribe: string): RenderedEmail => {
  const { p, subject, body, text } = careEmailText(d, locale, unsubscribe);
  const paragraphs = body
    .split(/\n{2,}/)
    .map((para) => `<p>${escapeHtml(para).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  const html = [
    `<!doctype html><html lang="${localeOf(locale)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="font-family:sans-serif;line-height:1.6">`,
    paragraphs,
    `<hr><p style="font-size:12px;color:#666">${escapeHtml(p.t("care.email_unsubscribe_lead"))}`,
    ` <a href="${escapeHtml(unsubscribe)}">${escapeHtml(p.t("care.email_unsubscribe_label"))}</a></p>`,
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
};

/** The rep's chat notice of greetings held back by the product check (scheduler/jobs/care.ts). */
export const CARE_HELD = "care_held";

const listOf = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

registerChatTemplate(CARE_HELD, (d, t) => ({
  text: [
    t("care.held_title", { date: String(d.date ?? "") }),
    ...listOf(d.items).map((i, n) => t("care.held_item", { n: n + 1, name: String(i.name ?? "") })),
    t("care.held_hint"),
  ].join("\n"),
}));
