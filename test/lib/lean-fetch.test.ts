import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeanFetch } from "../../src/lib/lean-fetch";

let server: Server;
let base: string;
const seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === "/empty") return res.writeHead(204).end();
      if (req.url === "/slow") return setTimeout(() => res.end("late"), 2_000);
      res.writeHead(req.url === "/limited" ? 429 : 200, {
        "content-type": "application/json",
        "retry-after": "7",
      });
      res.end(JSON.stringify({ ok: true, echo: body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("lean fetch", () => {
  const leanFetch = createLeanFetch();

  it("posts a string body with its headers and answers a standard Response", async () => {
    const res = await leanFetch(`${base}/api/chat.postMessage`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: "Bearer x" },
      body: "channel=D1&text=%E4%BD%A0%E5%A5%BD",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ ok: true, echo: "channel=D1&text=%E4%BD%A0%E5%A5%BD" });
    const last = seen.at(-1)!;
    expect(last.method).toBe("POST");
    expect(last.headers.authorization).toBe("Bearer x");
    expect(last.headers["content-length"]).toBe(String(last.body.length));
  });

  it("keeps a 429 and its Retry-After, and a 204 without a body", async () => {
    const limited = await leanFetch(`${base}/limited`, { method: "POST", body: "a=1" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    const empty = await leanFetch(`${base}/empty`, { method: "POST", body: "" });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("gives up when its signal aborts", async () => {
    await expect(
      leanFetch(`${base}/slow`, { method: "POST", body: "x", signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
  });

  it("hands a FormData upload to the global fetch", async () => {
    const form = new FormData();
    form.append("file", new Blob(["bytes"]), "r.txt");
    const res = await leanFetch(`${base}/upload`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(seen.at(-1)!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  });
});
