import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { type Composition, compose } from "../../src/compose";
import { loadConfig } from "../../src/config";
import { type Database, openDatabase } from "../../src/db/client";
import { newId, nowIso } from "../../src/db/ids";
import { apiTokens, users } from "../../src/db/schema";
import { createLogger } from "../../src/lib/log";
import { generateToken, hashToken } from "../../src/lib/secrets";

/** A fresh database on a temp file (never :memory:: each connection would be its own database). */
export const tempDatabase = async () => {
  const dir = mkdtempSync(join(tmpdir(), "repmate-test-"));
  const database = await openDatabase(`file:${join(dir, "app.db")}`);
  return {
    dir,
    database,
    cleanup: () => {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

export type Role = "admin" | "manager" | "finance" | "rep";

/** Creates a user and a bearer token for it, straight in the database. */
export const createUser = async (
  database: Database,
  fields: { name: string; role: Role; managerId?: string | null; locale?: "zh-CN" | "en"; email?: string },
) => {
  const at = nowIso();
  const id = newId();
  const token = generateToken();
  await database.db.insert(users).values({
    id,
    name: fields.name,
    role: fields.role,
    managerId: fields.managerId ?? null,
    locale: fields.locale ?? "zh-CN",
    email: fields.email ?? null,
    createdAt: at,
    updatedAt: at,
  });
  await database.db
    .insert(apiTokens)
    .values({ id: newId(), userId: id, tokenHash: hashToken(token), createdAt: at });
  return { id, token, name: fields.name };
};

export interface TestServer {
  url: string;
  database: Database;
  dir: string;
  request: (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ) => Promise<{ status: number; body: any }>;
  /** The raw bytes (a CSV's BOM survives; `Response.text()` would strip it) and content type. */
  raw: (
    path: string,
    token: string,
  ) => Promise<{ status: number; bytes: Buffer; contentType: string | null }>;
  close: () => Promise<void>;
  composition: Composition;
}

/** The real Hono app on a random port over a temp-file database. */
export const startTestServer = async (
  env: Record<string, string> = {},
  opts: { now?: () => Date } = {},
): Promise<TestServer> => {
  const { dir, database, cleanup } = await tempDatabase();
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env }, join(dir, "data"));
  const log = createLogger("silent");
  const composition = compose(config, database, log, { now: opts.now });
  const server = serve({ fetch: composition.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body: parsed as any };
  };
  return {
    url,
    database,
    dir,
    request,
    raw: async (path, token) => {
      const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      return {
        status: res.status,
        bytes: Buffer.from(await res.arrayBuffer()),
        contentType: res.headers.get("content-type"),
      };
    },
    composition,
    close: async () => {
      await composition.outbox.stop();
      composition.close();
      await new Promise<void>((r) => server.close(() => r()));
      cleanup();
    },
  };
};
