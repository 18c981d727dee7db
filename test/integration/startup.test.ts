/**
 * Issue 2's start-up acceptance, on the real process (`tsx src/main.ts`, what `npm start`
 * runs). test/integration/api/config.test.ts already covers bad variables, a first start
 * showing one token that works, and exit 0 on SIGTERM; this file adds what it leaves out:
 * the measured time to a healthy server, a restart on the same database (no second token,
 * the first still valid), Ctrl-C (SIGINT) as well as SIGTERM, and both within 5 s.
 *
 * Slack with an unreachable SLACK_API_URL is not tested here: src/main.ts wires no chat
 * platform yet (`platformsFor` returns none), so those variables change nothing at start-up.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const MAIN = join(ROOT, "src/main.ts");
const TOKEN = /rm_[\w-]{20,}/g;
// The banner's last line: once it is out, everything main.ts prints at start-up is.
const BANNER_END = "npm run chat";

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => ok(typeof address === "object" && address ? address.port : 0));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  child: ChildProcess;
  port: number;
  out: { stdout: string; stderr: string };
  exit: Promise<number | null>;
  exited: () => boolean;
}

/** Starts the app the way `npm start` does, in `dir`, with only these variables set. */
const start = async (dir: string): Promise<Running> => {
  const port = await freePort();
  const child = spawn(TSX, [MAIN], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      NODE_ENV: "development",
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, "app.db")}`,
    },
  });
  const out = { stdout: "", stderr: "" };
  child.stdout?.on("data", (d) => {
    out.stdout += String(d);
  });
  child.stderr?.on("data", (d) => {
    out.stderr += String(d);
  });
  let done = false;
  const exit = new Promise<number | null>((r) =>
    child.once("exit", (code) => {
      done = true;
      r(code);
    }),
  );
  return { child, port, out, exit, exited: () => done };
};

/** Milliseconds from now until GET /api/health answers 200 (polled every 50 ms), or null. */
const timeToHealthy = async (app: Running, limitMs: number): Promise<number | null> => {
  const started = performance.now();
  while (performance.now() - started < limitMs && !app.exited()) {
    const res = await fetch(`http://127.0.0.1:${app.port}/api/health`).catch(() => undefined);
    if (res?.status === 200) return Math.round(performance.now() - started);
    await sleep(50);
  }
  return null;
};

const bannerShown = async (app: Running) => {
  for (let i = 0; i < 100 && !app.out.stdout.includes(BANNER_END) && !app.exited(); i++) await sleep(50);
  expect(app.out.stdout, app.out.stderr).toContain(BANNER_END);
};

/** Sends the signal; resolves to the exit code and how long the process took to go. */
const stop = async (app: Running, signal: NodeJS.Signals) => {
  const sent = performance.now();
  app.child.kill(signal);
  const code = await Promise.race([app.exit, sleep(5_000).then(() => "still running" as const)]);
  if (code === "still running") app.child.kill("SIGKILL");
  return { code, ms: Math.round(performance.now() - sent) };
};

const listUsers = (app: Running, token: string) =>
  fetch(`http://127.0.0.1:${app.port}/api/users`, { headers: { authorization: `Bearer ${token}` } });

describe("npm start on a fresh database, then again on the same one", () => {
  let dir: string;
  let token: string;
  const running: Running[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "repmate-startup-"));
  });
  afterAll(() => {
    for (const app of running) if (!app.exited()) app.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers GET /api/health with 200 within 10 s of a fresh start, shows one token, and stops on SIGTERM within 5 s", async () => {
    const app = await start(dir);
    running.push(app);
    const ms = await timeToHealthy(app, 15_000);
    console.log(`fresh start: GET /api/health answered 200 after ${ms} ms`);
    expect(ms, app.out.stderr).not.toBeNull();
    expect(ms).toBeLessThan(10_000);

    await bannerShown(app);
    const tokens = app.out.stdout.match(TOKEN) ?? [];
    expect(tokens).toHaveLength(1);
    token = tokens[0] ?? "";
    // Shown once: never again in a log line on either stream.
    expect(`${app.out.stdout}${app.out.stderr}`.split(token)).toHaveLength(2);
    expect((await listUsers(app, token)).status).toBe(200);

    const stopped = await stop(app, "SIGTERM");
    console.log(`SIGTERM: exited with ${stopped.code} after ${stopped.ms} ms`);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5_000);
  }, 30_000);

  it("shows no token on a second start, keeps the first one working, and stops on Ctrl-C (SIGINT) within 5 s", async () => {
    expect(token).toMatch(TOKEN);
    const app = await start(dir);
    running.push(app);
    const ms = await timeToHealthy(app, 15_000);
    console.log(`restart: GET /api/health answered 200 after ${ms} ms`);
    expect(ms, app.out.stderr).not.toBeNull();
    expect(ms).toBeLessThan(10_000);

    await bannerShown(app);
    expect(app.out.stdout).toContain(`localhost:${app.port}`);
    expect(app.out.stdout.match(TOKEN)).toBeNull();
    expect(app.out.stdout).not.toContain("admin token was generated");
    expect((await listUsers(app, token)).status).toBe(200);
    expect((await listUsers(app, "rm_not-a-token-of-this-database-at-all")).status).toBe(401);

    const stopped = await stop(app, "SIGINT");
    console.log(`SIGINT: exited with ${stopped.code} after ${stopped.ms} ms`);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5_000);
  }, 30_000);
});
