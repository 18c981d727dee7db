import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "pino";
import { createLeanFetch } from "../../lib/lean-fetch";
import type { SendResult } from "../../notify/types";

/** Bolt's and the Web API's logger, writing through pino (their chatter at debug). */
export const slackLogger = (log: Logger): SlackLogger => {
  let level = LogLevel.WARN;
  const line = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(" ");
  return {
    debug: (...msg: unknown[]) => log.debug(line(msg)),
    info: (...msg: unknown[]) => log.debug(line(msg)),
    warn: (...msg: unknown[]) => log.warn(line(msg)),
    error: (...msg: unknown[]) => log.error(line(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
};

/** One keep-alive connection pool for every Web API client of the process (made on first use). */
let leanFetch: typeof fetch | undefined;
const sharedFetch = (): typeof fetch => {
  leanFetch ??= createLeanFetch();
  return leanFetch;
};

/**
 * The options every Web API client of ours uses (STACK.md): no retries of its own and a 429
 * thrown at once — the outbox owns retries and Retry-After, one slow call never pauses a queue;
 * requests over node:http with keep-alive (`createLeanFetch`: a third of the CPU of a reply).
 */
export const webClientOptions = (apiUrl: string | undefined, log: Logger): WebClientOptions => ({
  fetch: sharedFetch(),
  ...(apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {}),
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
  timeout: 10_000,
  logger: slackLogger(log),
});

export const createWebClient = (token: string | undefined, apiUrl: string | undefined, log: Logger) =>
  new WebClient(token, webClientOptions(apiUrl, log));

/** The address is wrong for good: retrying cannot help, the row is suppressed. */
const INVALID_ADDRESS = new Set([
  "channel_not_found",
  "user_not_found",
  "not_in_channel",
  "is_archived",
  "cannot_dm_bot",
  "user_disabled",
]);
/** Slack's own transient failures, answered with ok:false rather than a 5xx. */
const TRANSIENT = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

interface ErrorShape {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
  message?: string;
}

/** A Web API failure as the outbox understands it. */
export const sendFailure = (e: unknown): SendResult => {
  const err = (e && typeof e === "object" ? e : {}) as ErrorShape;
  const message = err.message ?? String(e);
  switch (err.code) {
    case "slack_webapi_rate_limited_error":
      return { ok: false, retryable: true, retryAfterMs: (err.retryAfter ?? 1) * 1000, error: message };
    case "slack_webapi_http_error": {
      const status = err.statusCode ?? 0;
      const retryable = status >= 500 || status === 408 || status === 429;
      return { ok: false, retryable, error: `HTTP ${status}: ${message}` };
    }
    case "slack_webapi_request_error":
      return { ok: false, retryable: true, error: message };
    case "slack_webapi_platform_error": {
      const code = err.data?.error ?? "unknown";
      if (INVALID_ADDRESS.has(code))
        return { ok: false, retryable: false, invalidAddress: true, error: code };
      return { ok: false, retryable: TRANSIENT.has(code), error: code };
    }
    default:
      return { ok: false, retryable: true, error: message };
  }
};
