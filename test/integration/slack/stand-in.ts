import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "node:querystring";

export interface ApiCall {
  method: string;
  params: Record<string, any>;
  at: number;
  authorization?: string;
}

type Override = { status: number; retryAfter?: number; body?: unknown };

/**
 * A local stand-in for Slack's Web API: records every call (form-encoded bodies, `blocks` as
 * a JSON string, as the real client sends them) and can be told to fail the next calls.
 */
export const startStandIn = async () => {
  const calls: ApiCall[] = [];
  const overrides = new Map<string, Override[]>();
  const emails = new Map<string, string>();
  const files = new Map<string, Buffer>();
  let ts = 1_700_000_000;
  const read = (req: IncomingMessage) =>
    new Promise<string>((r) => {
      let s = "";
      req.on("data", (c) => (s += c));
      req.on("end", () => r(s));
    });
  const answer = (method: string, p: Record<string, any>): unknown => {
    switch (method) {
      case "chat.postMessage":
        return { ok: true, channel: String(p.channel).replace(/^U/, "D"), ts: `${++ts}.000100` };
      case "chat.update":
        return { ok: true, channel: p.channel, ts: p.ts };
      case "chat.postEphemeral":
        return { ok: true, message_ts: `${++ts}.000200` };
      case "views.open":
        return { ok: true, view: { id: `V${++ts}` } };
      case "users.info":
        return { ok: true, user: { id: p.user, locale: "zh-CN", profile: { email: emails.get(p.user) } } };
      case "auth.test":
        return { ok: true, user_id: "UBOT", bot_id: "BBOT" };
      default:
        return { ok: true };
    }
  };
  const server: Server = createServer(async (req, res) => {
    const url = req.url ?? "";
    if (req.method === "GET" && url.startsWith("/files/")) {
      const f = files.get(url.slice(7));
      calls.push({
        method: "file.get",
        params: { name: url.slice(7) },
        at: Date.now(),
        authorization: req.headers.authorization,
      });
      if (!f || !req.headers.authorization) return res.writeHead(404).end();
      return res.writeHead(200, { "content-type": "image/png" }).end(f);
    }
    const method = url.replace(/^\/api\//, "").split("?")[0];
    const raw = await read(req);
    const params: Record<string, any> = (req.headers["content-type"] ?? "").includes("json")
      ? JSON.parse(raw || "{}")
      : { ...parse(raw) };
    calls.push({ method, params, at: Date.now(), authorization: req.headers.authorization });
    const o = overrides.get(method)?.shift();
    if (o) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (o.retryAfter !== undefined) headers["retry-after"] = String(o.retryAfter);
      return res.writeHead(o.status, headers).end(JSON.stringify(o.body ?? { ok: false, error: "stand_in" }));
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(method, params)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    emails,
    files,
    failNext: (method: string, ...o: Override[]) =>
      overrides.set(method, [...(overrides.get(method) ?? []), ...o]),
    of: (method: string) => calls.filter((c) => c.method === method),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};
export type StandIn = Awaited<ReturnType<typeof startStandIn>>;
