/**
 * Throughput sections: outbox emails into a local smtp-server (vs nodemailer straight),
 * and a purchases CSV through `POST /api/imports/purchases` (vs a raw multi-row INSERT).
 */
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { SCRATCH } from "./dataset";
import { ADMIN_ID, tokenOf } from "./dataset-rows";
import { importRows, toCsv } from "./import-rows";
import type { OutboxChildInput } from "./outbox-child";
import { runChild } from "./proc";
import { type BenchRow, row } from "./report";

/** An SMTP stand-in on 127.0.0.1 that accepts and counts every message. */
const startSmtp = async () => {
  const state = { received: 0 };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    maxClients: 50,
    onData(stream, _session, cb) {
      stream.on("data", () => {});
      stream.on("end", () => {
        state.received++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as { port: number }).port;
  return { port, state, close: () => new Promise<void>((r) => server.close(() => r())) };
};

type Timed = { runs: { ms: number; sent: number }[] };

export const outboxRows = async (
  messages: number,
  runs: number,
  log: (s: string) => void,
): Promise<BenchRow[]> => {
  const smtp = await startSmtp();
  try {
    const input = (mode: OutboxChildInput["mode"]): OutboxChildInput => ({
      file: join(SCRATCH, "outbox.db"),
      smtpPort: smtp.port,
      mode,
      messages,
      runs,
    });
    const app = (await runChild<Timed>("outbox-child.ts", input("outbox"))).runs;
    const floor = (await runChild<Timed>("outbox-child.ts", input("floor"))).runs;
    const rate = (r: { ms: number; sent: number }) => (r.sent * 1000) / r.ms;
    log(
      `  outbox: ${app.map((r) => `${r.sent} in ${Math.round(r.ms)} ms`).join(", ")}; smtp received ${smtp.state.received}`,
    );
    return [
      row({
        group: "outbox",
        name: `outbox → smtp-server (${messages} emails)`,
        unit: "emails/s",
        runs: app.map(rate),
        floorRuns: floor.map(rate),
        floorName: "nodemailer pool straight",
        detail: { sent: app.map((r) => r.sent), smtpReceived: smtp.state.received },
      }),
    ];
  } finally {
    await smtp.close();
  }
};

export const importRowsBench = async (o: {
  appUrl: string;
  file: string;
  rows: number;
  reps: number;
  runs: number;
  log: (s: string) => void;
}): Promise<BenchRow[]> => {
  const app: number[] = [];
  const imported: number[] = [];
  for (let k = 0; k < o.runs; k++) {
    const csv = toCsv(importRows(o.rows, o.reps, `IMP${Date.now().toString(36)}${k}`));
    const t0 = performance.now();
    const res = await fetch(`${o.appUrl}/api/imports/purchases`, {
      method: "POST",
      body: csv,
      headers: { "content-type": "text/csv", authorization: `Bearer ${tokenOf(ADMIN_ID)}` },
    });
    const body = (await res.json()) as { imported?: number; failed?: number };
    const ms = performance.now() - t0;
    if (res.status !== 200 || body.imported !== o.rows)
      throw new Error(`import answered ${res.status}: imported ${body.imported}, failed ${body.failed}`);
    app.push((o.rows * 1000) / ms);
    imported.push(body.imported);
  }
  const floor = (
    await runChild<{ runs: { ms: number; rows: number }[] }>("import-floor-child.ts", {
      file: o.file,
      rows: o.rows,
      reps: o.reps,
      tag: `RAW${Date.now().toString(36)}`,
      runs: o.runs,
    })
  ).runs.map((r) => (r.rows * 1000) / r.ms);
  o.log(`  import: ${app.map(Math.round).join(", ")} rows/s; raw ${floor.map(Math.round).join(", ")} rows/s`);
  return [
    row({
      group: "import",
      name: `POST /api/imports/purchases (${o.rows} rows CSV)`,
      unit: "rows/s",
      runs: app,
      floorRuns: floor,
      floorName: "raw multi-row INSERT",
      detail: { imported },
    }),
  ];
};
