import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { outbox } from "../../src/db/schema";

const ROWS = 500;
const KILL_AFTER = 100;
const LEASE_MS = 2_000;
const worker = join(import.meta.dirname, "fixtures", "outbox-worker.ts");

/** A real SMTP server on 127.0.0.1 counting each Message-ID it accepted. */
const startSmtp = async () => {
  const arrived = new Map<string, number>();
  const listeners: (() => void)[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    maxClients: 50,
    onData(stream, _session, cb) {
      simpleParser(stream).then((mail) => {
        const id = mail.messageId ?? "";
        arrived.set(id, (arrived.get(id) ?? 0) + 1);
        for (const l of listeners) l();
        cb();
      }, cb);
    },
  });
  // The worker killed mid-session resets its connections, which smtp-server reports as an
  // 'error' event: unheard, that is an uncaught exception in this process. Heard and counted.
  const socketErrors: string[] = [];
  server.on("error", (err: NodeJS.ErrnoException) => socketErrors.push(err.code ?? err.message));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrived,
    socketErrors,
    total: () => [...arrived.values()].reduce((a, b) => a + b, 0),
    onMail: (l: () => void) => listeners.push(l),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};

/** The worker process and its JSON lines as they come. */
const startWorker = (args: string[]) => {
  // Its own process group: tsx runs the script in a child node process, and kill -9 must hit both.
  const child = spawn("node_modules/.bin/tsx", [worker, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const events: { event: string; at: number }[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (!line.startsWith("{")) return;
    events.push(JSON.parse(line));
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const kill9 = () => process.kill(-child.pid!, "SIGKILL");
  const event = (name: string, timeoutMs: number) =>
    new Promise<{ event: string; at: number }>((resolve, reject) => {
      const check = () => {
        const found = events.find((e) => e.event === name);
        if (found) resolve(found);
      };
      waiters.push(check);
      check();
      setTimeout(() => reject(new Error(`no "${name}" from the worker in ${timeoutMs} ms`)), timeoutMs);
    });
  return { child, event, exited, kill9 };
};

const dir = mkdtempSync(join(tmpdir(), "repmate-kill-"));
const dbFile = join(dir, "app.db");
let child: ChildProcess | null = null;
afterAll(() => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("kill -9 while the outbox sends 500 emails", () => {
  it("ends with every row sent, every Message-ID arrived, and no more duplicates than rows in flight", async () => {
    const smtp = await startSmtp();
    try {
      // Phase 1: enqueue and send; SIGKILL once about 100 have arrived.
      const first = startWorker([dbFile, smtp.url, String(LEASE_MS), "enqueue", String(ROWS)]);
      child = first.child;
      await first.event("sending", 20_000);
      const phase1Start = Date.now();
      await new Promise<void>((resolve) => {
        const check = () => smtp.total() >= KILL_AFTER && resolve();
        smtp.onMail(check);
        check();
      });
      first.kill9();
      const killedAt = Date.now();
      await first.exited;

      const database = await openDatabase(`file:${dbFile}`);
      const atKill = await database.db.select({ id: outbox.id, status: outbox.status }).from(outbox);
      database.close();
      const inFlight = atKill.filter((r) => r.status === "sending").length;
      const sentAtKill = atKill.filter((r) => r.status === "sent").length;
      const arrivedAtKill = smtp.total();

      // Phase 2: the same script again, without enqueueing, until nothing is left unsent.
      const second = startWorker([dbFile, smtp.url, String(LEASE_MS)]);
      child = second.child;
      const started = await second.event("sending", 20_000);
      const done = await second.event("done", 60_000);
      expect(await second.exited).toBe(0);
      // Anything still in the parser when the worker said done.
      await new Promise((r) => setTimeout(r, 200));

      const after = await openDatabase(`file:${dbFile}`);
      const rows = await after.db.select({ id: outbox.id, status: outbox.status }).from(outbox);
      after.close();
      expect(rows).toHaveLength(ROWS);
      expect(rows.filter((r) => r.status !== "sent")).toEqual([]);

      const missing = rows.filter((r) => !smtp.arrived.has(`<outbox-${r.id}@repmate>`));
      expect(missing).toEqual([]);
      const arrived = smtp.total();
      const duplicates = arrived - smtp.arrived.size;
      const phase2Rows = ROWS - sentAtKill;
      const phase2Seconds = (done.at - started.at) / 1000;
      const report = {
        rows: ROWS,
        arrivedAtKill,
        sentAtKill,
        inFlightAtKill: inFlight,
        arrived,
        distinctMessageIds: smtp.arrived.size,
        duplicates,
        phase1EmailsPerSecond: Math.round(arrivedAtKill / ((killedAt - phase1Start) / 1000)),
        phase2Rows,
        phase2Seconds,
        phase2EmailsPerSecond: Math.round(phase2Rows / phase2Seconds),
        connectionsResetByTheKill: smtp.socketErrors.length,
      };
      process.stdout.write(`KILL-OUTBOX ${JSON.stringify(report)}\n`);
      expect(smtp.arrived.size).toBe(ROWS);
      expect(duplicates).toBeLessThanOrEqual(inFlight);
      // The kill may cut sessions; any other socket error is a finding.
      expect(smtp.socketErrors.filter((code) => code !== "ECONNRESET" && code !== "EPIPE")).toEqual([]);
    } finally {
      await smtp.close();
    }
  }, 120_000);
});
