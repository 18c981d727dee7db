import { timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type Locale, translate } from "../../conversations/messages";
import { customers } from "../../db/schema";
import { isOptOutReply } from "../../domain/care/consent";
import { verifySigned } from "../../lib/secrets";
import { escapeHtml } from "../../notify/customer-templates";
import { createConsentService } from "../../services/consent";
import type { ApiDeps } from "../deps";
import { errorBody } from "../errors";

interface Unsubscribe {
  customerId: string;
  channel: "email" | "sms";
}

/** The customer and channel a link was signed for, or null for a forged or damaged token. */
const readToken = (secret: string, token: string | undefined): Unsubscribe | null => {
  const payload = token ? verifySigned(secret, token) : null;
  if (!payload) return null;
  try {
    const v = JSON.parse(payload) as { c?: unknown; ch?: unknown };
    if (typeof v.c !== "string" || (v.ch !== "email" && v.ch !== "sms")) return null;
    return { customerId: v.c, channel: v.ch };
  } catch {
    return null;
  }
};

const page = (locales: Locale[], titleKey: string, bodyKey: string) => {
  const lang = locales[0];
  const sections = locales
    .map((l) => `<h1>${escapeHtml(translate(l, titleKey))}</h1>\n<p>${escapeHtml(translate(l, bodyKey))}</p>`)
    .join("\n");
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(translate(lang, titleKey))}</title></head>\n<body style="font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.6">\n${sections}\n</body></html>`;
};

const secretMatches = (expected: string | undefined, given: string | undefined) => {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** `{phone, text}` as JSON or a form, whichever the gateway sends. */
const inboundBody = async (c: Context): Promise<{ phone: string; text: string }> => {
  const type = c.req.header("content-type") ?? "";
  const raw: Record<string, unknown> = type.includes("application/json")
    ? await c.req.json<Record<string, unknown>>().catch(() => ({}))
    : await c.req.parseBody().catch(() => ({}));
  const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
  return { phone: str(raw.phone).trim(), text: str(raw.text) };
};

/**
 * Public opt-out endpoints (no login; mounted at `/`): the unsubscribe link of care emails
 * (GET shows the page, POST is RFC 8058 one-click from mail clients) and the SMS gateway's
 * inbound hook, which honours R / T / TD / 退订 / 拒收.
 */
export const optOutRoutes = (deps: ApiDeps) => {
  const app = new Hono();
  const consent = createConsentService(deps.services);

  const unsubscribe = async (c: Context) => {
    const target = readToken(deps.services.appSecret, c.req.query("token"));
    const row = target
      ? await deps.database.db
          .select({ id: customers.id, locale: customers.locale })
          .from(customers)
          .where(eq(customers.id, target.customerId))
          .get()
      : undefined;
    if (!target || !row)
      return c.html(page(["zh-CN", "en"], "care.unsubscribe_invalid_title", "care.unsubscribe_invalid"), 400);
    const changed = await consent.withdraw(row.id, target.channel, {
      by: "customer",
      method: "unsubscribe_link",
      evidence: c.req.header("user-agent")?.slice(0, 200) ?? null,
    });
    deps.log.info({ customerId: row.id, channel: target.channel, changed }, "unsubscribed");
    return c.html(page([row.locale], "care.unsubscribe_title", `care.unsubscribed_${target.channel}`));
  };
  app.get("/unsubscribe", unsubscribe);
  app.post("/unsubscribe", unsubscribe);

  app.post(
    "/hooks/sms-inbound",
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json(errorBody("too_large", "body: too large"), 413) }),
    async (c) => {
      const given = c.req.header("x-hook-secret") ?? c.req.query("secret");
      if (!secretMatches(deps.config.sms.inboundSecret, given))
        return c.json(errorBody("unauthorized", "X-Hook-Secret: missing or wrong"), 401);
      const { phone, text } = await inboundBody(c);
      if (!phone)
        return c.json(
          errorBody("validation", "phone: is required", [{ field: "phone", message: "is required" }]),
          400,
        );
      if (!isOptOutReply(text)) return c.json({ withdrawn: 0 });
      const withdrawn = await consent.withdrawByPhone(phone, {
        by: "customer",
        method: "sms_reply",
        evidence: text.slice(0, 200),
      });
      // The number stays out of the log (personal data); the count says what happened.
      deps.log.info({ withdrawn }, "sms opt-out reply");
      return c.json({ withdrawn });
    },
  );
  return app;
};
