import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { verifySlackRequest } from "@slack/bolt";
import { Hono } from "hono";
import type { Logger } from "pino";
import { parseBody, retryNumOf, wellFormed } from "./parse";

export interface HonoReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** Slack gives up after 3 s; a request nobody acknowledged is answered empty by then. */
  ackTimeoutMs?: number;
  maxBodyBytes?: number;
}

const answer = (body: unknown): Response => {
  if (body === undefined || body === null || body === "") return new Response(null, { status: 200 });
  if (typeof body === "string")
    return new Response(body, { status: 200, headers: { "content-type": "text/plain" } });
  return Response.json(body, { status: 200 });
};

/** Bolt's signature check (v0 HMAC, 5-minute window); false rather than a throw. */
const verified = (
  secret: string,
  raw: string,
  signature: string | undefined,
  timestamp: string | undefined,
) => {
  try {
    verifySlackRequest({
      signingSecret: secret,
      body: raw,
      headers: { "x-slack-signature": signature ?? "", "x-slack-request-timestamp": Number(timestamp) },
    });
    return true;
  } catch {
    return false;
  }
};

/**
 * A Bolt receiver living on the app's one Hono port at POST /slack/events. It answers Slack
 * the moment a listener calls ack() — the work runs after the HTTP answer left — and hands
 * Bolt the retry headers. Unsigned, stale or forged requests get 401 and reach nothing.
 */
export const createHonoReceiver = (o: HonoReceiverOptions) => {
  let app: App | null = null;
  const receiver: Receiver = {
    init: (a: App) => {
      app = a;
    },
    start: async () => undefined,
    stop: async () => undefined,
  };
  const maxBody = o.maxBodyBytes ?? 4 * 1024 * 1024;

  const router = new Hono();
  router.post("/events", async (c) => {
    if (Number(c.req.header("content-length") ?? 0) > maxBody) return c.text("too large", 413);
    const raw = await c.req.text();
    const contentType = c.req.header("content-type");
    // Slack's connectivity probe carries no signature and must carry nothing else.
    if (contentType?.includes("x-www-form-urlencoded") && /^ssl_check=1(&|$)/.test(raw))
      return c.body(null, 200);
    if (
      !verified(
        o.signingSecret,
        raw,
        c.req.header("x-slack-signature"),
        c.req.header("x-slack-request-timestamp"),
      )
    )
      return c.text("invalid signature", 401);
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, contentType);
    } catch {
      return c.text("bad body", 400);
    }
    if (body.type === "url_verification") return c.json({ challenge: body.challenge });
    if (!wellFormed(body)) {
      o.log.warn({ type: body.type }, "slack payload malformed; acknowledged and dropped");
      return c.body(null, 200);
    }
    if (!app) return c.text("not ready", 503);
    return dispatch(app, body, c.req.header("x-slack-retry-num"), c.req.header("x-slack-retry-reason"));
  });

  const dispatch = (bolt: App, body: Record<string, unknown>, retryNum?: string, retryReason?: string) =>
    new Promise<Response>((resolve) => {
      let done = false;
      const finish = (r: Response) => {
        if (done) return false;
        done = true;
        clearTimeout(timer);
        resolve(r);
        return true;
      };
      const timer = setTimeout(() => {
        if (finish(answer(undefined)))
          o.log.warn({ type: body.type }, "slack request not acknowledged in time");
      }, o.ackTimeoutMs ?? 2_500);
      const event: ReceiverEvent = {
        body,
        retryNum: retryNumOf(retryNum),
        retryReason,
        ack: async (response?: unknown) => {
          if (!finish(answer(response))) o.log.warn({ type: body.type }, "slack ack called twice");
        },
      };
      bolt.processEvent(event).catch((err: unknown) => {
        o.log.error({ err, type: body.type }, "slack event failed");
        // Not acknowledged yet: a 500 lets Slack deliver it again.
        finish(new Response(null, { status: 500 }));
      });
    });

  return { receiver, router };
};
