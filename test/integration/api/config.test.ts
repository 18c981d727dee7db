import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config";

const ROOT = resolve(import.meta.dirname, "../../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const MAIN = join(ROOT, "src/main.ts");

const configError = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe("loadConfig", () => {
  it("fills every default from an empty environment", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: "file:./data/app.db",
      port: 3000,
      publicUrl: "http://localhost:3000",
      nodeEnv: "development",
      timeZone: "Asia/Shanghai",
      mailFrom: '"Rep Assistant" <noreply@localhost>',
      sms: { provider: "log" },
      chatApi: true,
      scheduler: true,
      logLevel: "info",
    });
    expect(c.adminToken).toBeUndefined();
    expect(c.appSecret).toBeUndefined();
    expect(c.smtpUrl).toBeUndefined();
  });

  it("derives PUBLIC_URL from PORT and reads the switches", () => {
    const c = loadConfig({ PORT: "8080", CHAT_API: "off", SCHEDULER: "off", APP_TIMEZONE: "Europe/Berlin" });
    expect(c).toMatchObject({
      port: 8080,
      publicUrl: "http://localhost:8080",
      chatApi: false,
      scheduler: false,
      timeZone: "Europe/Berlin",
    });
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "nonsense" }, "DATABASE_URL"],
    [{ APP_TIMEZONE: "Mars/Base" }, "APP_TIMEZONE"],
    [{ NODE_ENV: "production", APP_SECRET: "s".repeat(32) }, "ADMIN_TOKEN"],
    [{ NODE_ENV: "production", ADMIN_TOKEN: "t".repeat(32) }, "APP_SECRET"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ SMS_PROVIDER: "http" }, "SMS_HTTP_URL"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("refuses %j with a ConfigError naming %s", (env, variable) => {
    const message = configError(env);
    expect(message).toContain(variable);
    expect(message).not.toContain("\n");
  });

  it("never repeats a secret or a URL in its message", () => {
    expect(configError({ ADMIN_TOKEN: "short-secret" })).not.toContain("short-secret");
    expect(configError({ DATABASE_URL: "nonsense" })).not.toContain("nonsense");
  });
});

/** Runs `tsx src/main.ts` in its own directory with only the given environment. */
const launch = (env: Record<string, string>, cwd: string) =>
  spawn(TSX, [MAIN], { cwd, env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env } });

const collect = (child: ChildProcess) => {
  const out = { stdout: "", stderr: "" };
  child.stdout?.on("data", (d) => {
    out.stdout += String(d);
  });
  child.stderr?.on("data", (d) => {
    out.stderr += String(d);
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { out, exited };
};

const freePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolvePort(port));
    });
  });

describe.concurrent("the real process", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), "repmate-start-"));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it.each([
    ["PORT", "abc"],
    ["DATABASE_URL", "nonsense"],
  ])("stops at start-up on %s=%s with one stderr line naming it", async (variable, value) => {
    const { out, exited } = collect(launch({ [variable]: value }, tempDir()));
    const code = await exited;
    expect(code).not.toBe(0);
    const lines = out.stderr.split("\n").filter((l) => l.trim() !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(out.stdout).toBe("");
  });

  it("starts on a free port, shows a generated admin token once, answers health, and exits 0 on SIGTERM", async () => {
    const dir = tempDir();
    const port = await freePort();
    const child = launch(
      { PORT: String(port), DATABASE_URL: `file:${join(dir, "app.db")}`, LOG_LEVEL: "warn" },
      dir,
    );
    const { out, exited } = collect(child);
    let exitCode: number | null | undefined;
    void exited.then((c) => {
      exitCode = c;
    });
    try {
      const deadline = Date.now() + 10_000;
      let health: Response | undefined;
      while (Date.now() < deadline && exitCode === undefined) {
        health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
        if (health?.status === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status, out.stderr).toBe(200);
      expect(await health?.json()).toMatchObject({ status: "ok", db: "ok" });

      const tokens = out.stdout.match(/rm_[\w-]{20,}/g) ?? [];
      expect(tokens).toHaveLength(1);
      expect(out.stdout).toContain(`localhost:${port}`);
      const me = await fetch(`http://127.0.0.1:${port}/api/users`, {
        headers: { authorization: `Bearer ${tokens[0]}` },
      });
      expect(me.status).toBe(200);
      expect(out.stderr).not.toContain(tokens[0]);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
