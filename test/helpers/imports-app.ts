import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/api/app";
import { importRoutes } from "../../src/api/routes/imports";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/lib/log";
import { createServices } from "../../src/services";
import { type TestServer, tempDatabase } from "./app";

export interface ImportTestServer extends TestServer {
  /** POSTs bytes to /api/imports/<kind>: raw (default text/csv) or as multipart field `file`. */
  upload: (
    kind: string,
    token: string,
    data: Uint8Array | string,
    opts?: { query?: string; contentType?: string; multipart?: boolean },
  ) => Promise<{ status: number; body: any }>;
}

/** Like startTestServer, with the imports router mounted as the lead mounts it in app.ts. */
export const startImportServer = async (): Promise<ImportTestServer> => {
  const { dir, database, cleanup } = await tempDatabase();
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }, join(dir, "data"));
  const deps = {
    database,
    config,
    log: createLogger("silent"),
    services: createServices(database, config),
    platforms: () => ({ slack: "off" as const, wecom: "off" as const }),
  };
  const app = createApp(deps, { apiRoutes: [{ path: "/imports", router: importRoutes(deps) }] });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const parse = async (res: Response) => {
    const text = await res.text();
    try {
      return { status: res.status, body: text ? JSON.parse(text) : null };
    } catch {
      return { status: res.status, body: text as any };
    }
  };
  const request: TestServer["request"] = async (method, path, token, body) =>
    parse(
      await fetch(url + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
    );
  const upload: ImportTestServer["upload"] = async (kind, token, data, opts = {}) => {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const path = `/api/imports/${kind}${opts.query ? `?${opts.query}` : ""}`;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    let body: FormData | Uint8Array;
    if (opts.multipart) {
      const form = new FormData();
      form.append("file", new Blob([bytes], { type: "text/csv" }), `${kind}.csv`);
      body = form;
    } else {
      headers["content-type"] = opts.contentType ?? "text/csv";
      body = bytes;
    }
    return parse(await fetch(url + path, { method: "POST", headers, body }));
  };
  return {
    url,
    database,
    dir,
    request,
    upload,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      cleanup();
    },
  };
};
