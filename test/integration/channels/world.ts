import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import type { Hono } from "hono";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { optOutRoutes } from "../../../src/api/routes/opt-out";
import { type Composition, compose } from "../../../src/compose";
import { type Config, loadConfig } from "../../../src/config";
import { runBatch } from "../../../src/db/client";
import { customerInsertStatements } from "../../../src/db/repos/customers";
import { consentEvents, customers, outbox } from "../../../src/db/schema";
import { createLogger } from "../../../src/lib/log";
import type { Channel, OutboxMessage } from "../../../src/notify/types";
import { createUser, tempDatabase } from "../../helpers/app";

export const APP_SECRET = "test-app-secret-0123456789abcdef";
export const HOOK_SECRET = "hook-secret-0123456789";

/** A real SMTP server on 127.0.0.1; `answer` scripts a reply per message (null = accept). */
export const startSmtp = async () => {
  const got: ParsedMail[] = [];
  const state = { answer: (_n: number): { code: number; message: string } | null => null, n: 0 };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    maxClients: 50,
    onData(stream, _session, cb) {
      simpleParser(stream).then((mail) => {
        const reply = state.answer(state.n++);
        if (!reply) {
          got.push(mail);
          return cb();
        }
        cb(Object.assign(new Error(reply.message), { responseCode: reply.code }));
      }, cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    got,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};

export interface GatewayCall {
  body: Record<string, unknown>;
  authorization?: string;
}

/** A stand-in SMS gateway; `answer` scripts the HTTP reply per request. */
export const startGateway = async () => {
  const calls: GatewayCall[] = [];
  const state = {
    answer: (_body: Record<string, unknown>, _n: number) => ({
      status: 200,
      body: { messageId: "gw-1" } as Record<string, unknown>,
      headers: {} as Record<string, string>,
    }),
  };
  const read = async (req: IncomingMessage) => {
    let s = "";
    for await (const chunk of req) s += chunk;
    return JSON.parse(s) as Record<string, unknown>;
  };
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const a = state.answer(body, calls.length);
    calls.push({ body, authorization: req.headers.authorization });
    res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
    res.end(JSON.stringify(a.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  return { url, calls, state, close: () => new Promise<void>((r) => server.close(() => r())) };
};

/**
 * The real app (compose) with the opt-out routes mounted, on a random port, a fake clock,
 * and the channels the test builds from the final config (PUBLIC_URL is this server).
 */
export const startWorld = async (
  env: Record<string, string>,
  channels: (config: Config) => Channel[],
  start = "2026-09-25T02:00:00Z", // 10:00 in Shanghai
) => {
  const { dir, database, cleanup } = await tempDatabase();
  const clock = { t: Date.parse(start) };
  const now = () => new Date(clock.t);
  let app: Hono | null = null;
  const server = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig(
    { NODE_ENV: "test", LOG_LEVEL: "silent", PUBLIC_URL: url, SMS_INBOUND_SECRET: HOOK_SECRET, ...env },
    join(dir, "data"),
  );
  const built = channels(config);
  const composition: Composition = compose(config, database, createLogger("silent"), {
    now,
    appSecret: APP_SECRET,
    channels: built,
  });
  composition.app.route("/", optOutRoutes(composition.deps));
  app = composition.app;
  const rep = await createUser(database, { name: "王小明", role: "rep" });
  return {
    url,
    dir,
    config,
    database,
    clock,
    composition,
    outbox: composition.outbox,
    rep,
    close: async () => {
      await composition.outbox.stop();
      await new Promise<void>((r) => server.close(() => r()));
      for (const c of built) (c as { close?: () => void }).close?.();
      cleanup();
    },
  };
};

export type World = Awaited<ReturnType<typeof startWorld>>;

/** A doctor with consent on the given channels. */
export const addDoctor = async (
  w: World,
  fields: {
    name: string;
    phone?: string;
    email?: string;
    locale?: "zh-CN" | "en";
    consent?: ("sms" | "email")[];
  },
) => {
  const grant = { state: "granted" as const, method: "paper_form", evidence: "signed form" };
  const consent = Object.fromEntries((fields.consent ?? ["sms", "email"]).map((ch) => [ch, grant]));
  const { id, statements } = customerInsertStatements(
    w.database.db,
    {
      kind: "doctor",
      name: fields.name,
      ownerId: w.rep.id,
      phone: fields.phone ?? null,
      email: fields.email ?? null,
      title: "主任",
      locale: fields.locale ?? "zh-CN",
      consent,
    },
    w.rep.id,
  );
  await runBatch(w.database.db, [...statements]);
  return id;
};

let seq = 0;
/** A care greeting as the care job enqueues it (address set by the job). */
export const careMessage = (
  channel: "email" | "sms",
  customerId: string,
  address: string,
  over: Partial<OutboxMessage> = {},
): OutboxMessage => ({
  channel,
  recipientType: "customer",
  recipientId: customerId,
  template: "care_greeting",
  locale: "zh-CN",
  data: { customerName: "张伟", title: "主任", repName: "王小明", occasions: ["mid_autumn"] },
  dedupeKey: `care:${customerId}:2026-09-25:${seq++}:${channel}:${customerId}`,
  address,
  ...over,
});

export const rowsOf = (w: World) => w.database.db.select().from(outbox);
export const customerOf = (w: World, id: string) =>
  w.database.db.select().from(customers).where(eq(customers.id, id)).get();
export const ledgerOf = (w: World, id: string) =>
  w.database.db.select().from(consentEvents).where(eq(consentEvents.customerId, id));
