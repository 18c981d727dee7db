import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { isValidMobile } from "../../domain/care/eligibility";
import {
  CARE_GREETING,
  parseCareGreeting,
  redactContacts,
  renderCareSms,
  smsSignature,
} from "../customer-templates";
import type { Channel, OutboxRow, SendResult } from "../types";

export interface SmsChannelOptions {
  provider: "log" | "http";
  httpUrl?: string;
  httpToken?: string;
  /** Company signature, 【某某医药】 (brackets added when missing). */
  signature?: string;
  /** The care template id registered with the gateway. */
  templateCare?: string;
  dataDir: string;
  log: Logger;
  timeoutMs?: number;
}

/** What goes to the gateway; `requestId` is the outbox id so the gateway can dedupe (rule 4). */
export interface SmsRequest {
  requestId: string;
  phone: string;
  templateId: string;
  params: Record<string, string>;
  signature: string;
  text: string;
}

/** Mainland numbers as gateways want them: 11 digits, no +86, no spaces. */
export const normalizePhone = (phone: string) => {
  const digits = phone.replace(/[^\d]/g, "");
  return digits.length === 13 && digits.startsWith("86") ? digits.slice(2) : digits;
};

const INVALID_NUMBER =
  /invalid[\s_-]*(phone|mobile|number|msisdn|recipient)|(phone|mobile)[\s_-]*(number[\s_-]*)?(invalid|illegal)|MOBILE_NUMBER_ILLEGAL|空号|停机|号码(无效|错误|格式)|手机号(码)?(无效|错误|格式)/i;

/** Retry-After is seconds or an HTTP date. */
export const retryAfterMs = (header: string | null, now = Date.now()): number | undefined => {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

const readBody = async (res: Response): Promise<Record<string, unknown>> => {
  const text = await res.text().catch(() => "");
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return text ? { message: text.slice(0, 300) } : {};
  }
};

/** A gateway answer as a send result (issue 8's mapping). */
export const gatewayResult = async (res: Response): Promise<SendResult> => {
  const body = await readBody(res);
  const ref = body.messageId ?? body.id ?? body.bizId;
  if (res.ok) return { ok: true, providerRef: ref === undefined ? undefined : { messageId: String(ref) } };
  const reason = redactContacts(
    [body.code, body.message ?? body.error].filter((v) => v !== undefined).join(": "),
  );
  const error = `HTTP ${res.status}${reason ? ` ${reason}` : ""}`;
  if (res.status === 429 || res.status >= 500)
    return { ok: false, retryable: true, retryAfterMs: retryAfterMs(res.headers.get("retry-after")), error };
  if (INVALID_NUMBER.test(reason)) return { ok: false, retryable: false, invalidAddress: true, error };
  return { ok: false, retryable: false, error };
};

/** The request for a row, or why it cannot be built (not retried: a retry builds the same thing). */
const buildRequest = (row: OutboxRow, opts: SmsChannelOptions): SmsRequest | SendResult => {
  const phone = normalizePhone(row.address ?? "");
  if (!isValidMobile(phone))
    return { ok: false, retryable: false, invalidAddress: true, error: "no valid mobile number" };
  if (row.template !== CARE_GREETING)
    return { ok: false, retryable: false, error: `no SMS template for "${row.template}"` };
  const data = parseCareGreeting(row.data);
  if (!data) return { ok: false, retryable: false, error: "care_greeting: data incomplete" };
  const { text, params } = renderCareSms(data, row.locale, opts.signature);
  return {
    requestId: row.id,
    phone,
    templateId: opts.templateCare ?? "",
    params,
    signature: smsSignature(opts.signature),
    text,
  };
};

/**
 * The SMS channel: `log` writes each message to `<dataDir>/outbox/<id>.sms.json`;
 * `http` posts JSON to a generic gateway with a bearer token.
 */
export const createSmsChannel = (opts: SmsChannelOptions): Channel => {
  const dir = join(opts.dataDir, "outbox");

  const writeLog = async (req: SmsRequest): Promise<SendResult> => {
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${req.requestId}.sms.json`);
    await writeFile(`${file}.tmp`, `${JSON.stringify({ ...req, at: new Date().toISOString() })}\n`);
    await rename(`${file}.tmp`, file);
    return { ok: true, providerRef: { file } };
  };

  const post = async (req: SmsRequest): Promise<SendResult> => {
    // Carriers refuse marketing texts without a signature or a registered template: never guess.
    if (!opts.signature || !opts.templateCare || !opts.httpUrl)
      return {
        ok: false,
        retryable: false,
        error: "SMS_SIGNATURE, SMS_TEMPLATE_CARE or SMS_HTTP_URL not set",
      };
    try {
      const res = await fetch(opts.httpUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(opts.httpToken ? { authorization: `Bearer ${opts.httpToken}` } : {}),
        },
        body: JSON.stringify(req),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
      return await gatewayResult(res);
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { ok: false, retryable: true, error: `gateway unreachable (${reason})` };
    }
  };

  return {
    name: "sms",
    send: async (row) => {
      const req = buildRequest(row, opts);
      if ("ok" in req) return req;
      const result = opts.provider === "http" ? await post(req) : await writeLog(req);
      // The number is never logged: the outbox id identifies the message.
      if (!result.ok) opts.log.debug({ outboxId: row.id, result }, "sms not accepted");
      return result;
    },
  };
};
