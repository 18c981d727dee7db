import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTransport } from "nodemailer";
import type { Logger } from "pino";
import { isValidEmail } from "../../domain/care/eligibility";
import {
  CARE_GREETING,
  parseCareGreeting,
  type RenderedEmail,
  redactContacts,
  renderCareEmail,
  unsubscribeUrl,
} from "../customer-templates";
import { renderChat } from "../templates";
import type { Channel, OutboxRow, SendResult } from "../types";

export interface EmailChannelOptions {
  /** Unset: every message is written as an .eml file under `<dataDir>/outbox/` instead. */
  smtpUrl?: string;
  mailFrom: string;
  dataDir: string;
  publicUrl: string;
  appSecret: string;
  log: Logger;
  /** SMTP connections kept open in parallel (the pool). */
  maxConnections?: number;
}

export interface EmailChannel extends Channel {
  /** Closes the SMTP pool (shutdown, tests). */
  close(): void;
}

interface Composed extends RenderedEmail {
  headers: Record<string, string>;
}

/** Receivers dedupe on this: a row re-sent after a crash carries the same Message-ID (rule 4). */
export const messageIdFor = (outboxId: string) => `<outbox-${outboxId}@repmate>`;

/** Subject and bodies of a row, or why it cannot be rendered (a bug in the job: not retried). */
const composeRow = (row: OutboxRow, opts: EmailChannelOptions): Composed | { error: string } => {
  if (row.recipientType === "customer") {
    if (row.template !== CARE_GREETING) return { error: `no customer email template "${row.template}"` };
    const data = parseCareGreeting(row.data);
    if (!data) return { error: "care_greeting: data incomplete" };
    const link = unsubscribeUrl(opts.publicUrl, opts.appSecret, row.recipientId);
    return {
      ...renderCareEmail(data, row.locale, link),
      // RFC 2369 + RFC 8058 one-click: mail clients show their own "unsubscribe" button.
      headers: { "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    };
  }
  // Staff notifications by email: the chat text, its first line as the subject.
  const text = renderChat(row.template, row.locale, row.data).text;
  const subject = text.split("\n")[0].slice(0, 78);
  return { subject, text, html: "", headers: {} };
};

interface SmtpError {
  message?: string;
  responseCode?: number;
  response?: string;
  code?: string;
}

/** SMTP 4xx → retry; 5xx → dead with the server's reason; no reply at all (network) → retry. */
export const smtpFailure = (err: unknown): SendResult => {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as SmtpError;
  const reason = redactContacts((e.response ?? e.message ?? "send failed").trim());
  const code = typeof e.responseCode === "number" ? e.responseCode : null;
  if (code !== null && code >= 500) return { ok: false, retryable: false, error: reason };
  return { ok: false, retryable: true, error: code !== null ? reason : `${e.code ?? "error"}: ${reason}` };
};

/**
 * The email channel (issue 8): nodemailer over SMTP_URL with a pooled transport, or .eml
 * files when no server is configured (development: open them in any mail client).
 */
export const createEmailChannel = (opts: EmailChannelOptions): EmailChannel => {
  const smtp = opts.smtpUrl
    ? createTransport({
        url: opts.smtpUrl,
        pool: true,
        maxConnections: opts.maxConnections ?? 5,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 60_000,
      })
    : null;
  const files = smtp ? null : createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const dir = join(opts.dataDir, "outbox");

  const writeEml = async (id: string, message: Buffer) => {
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${id}.eml`);
    // Write then rename: a crash never leaves half a message that looks complete.
    await writeFile(`${file}.tmp`, message);
    await rename(`${file}.tmp`, file);
    return file;
  };

  const send = async (row: OutboxRow): Promise<SendResult> => {
    const to = row.address?.trim() ?? "";
    if (!isValidEmail(to))
      return { ok: false, retryable: false, invalidAddress: true, error: "no valid email address" };
    const content = composeRow(row, opts);
    if ("error" in content) return { ok: false, retryable: false, error: content.error };
    const mail = {
      from: opts.mailFrom,
      to,
      subject: content.subject,
      text: content.text,
      ...(content.html ? { html: content.html } : {}),
      messageId: messageIdFor(row.id),
      headers: content.headers,
    };
    try {
      if (smtp) {
        const info = await smtp.sendMail(mail);
        return {
          ok: true,
          providerRef: { messageId: info.messageId, response: String(info.response ?? "") },
        };
      }
      const info = await files!.sendMail(mail);
      const file = await writeEml(row.id, info.message as Buffer);
      return { ok: true, providerRef: { messageId: info.messageId, file } };
    } catch (err) {
      const result = smtpFailure(err);
      // The outbox logs the failure; the address is never logged (personal data).
      opts.log.debug({ outboxId: row.id, result }, "email not accepted");
      return result;
    }
  };

  return {
    name: "email",
    send,
    close: () => {
      smtp?.close();
      files?.close();
    },
  };
};
