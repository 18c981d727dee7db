/**
 * Outbox throughput in its own process: 500 care emails queued in a fresh database and
 * delivered by the real outbox (compose's email channel, pooled SMTP) into the parent's
 * smtp-server; or the floor, nodemailer's pooled transport sending the same 500 straight.
 * Argument: JSON `{ file, smtpPort, mode, messages }`; answer: one JSON line.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createTransport } from "nodemailer";
import { compose } from "../src/compose";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { createLogger } from "../src/lib/log";
import type { OutboxMessage } from "../src/notify/types";
import { SCRATCH } from "./dataset";

export interface OutboxChildInput {
  file: string;
  smtpPort: number;
  mode: "outbox" | "floor";
  messages: number;
  runs: number;
}

const NOW = new Date("2026-09-25T02:00:00Z"); // 10:00 in Shanghai: inside the care window
const AT = NOW.toISOString();

const outboxRun = async (input: OutboxChildInput, file: string) => {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const database = await openDatabase(`file:${file}`);
  const { client } = database;
  await client.execute({
    sql: "insert into users (id, name, role, created_at, updated_at) values ('u-rep', '王小明', 'rep', ?, ?)",
    args: [AT, AT],
  });
  const ids = Array.from({ length: input.messages }, (_, i) => `c-${String(i).padStart(5, "0")}`);
  await client.batch(
    ids.map((id, i) => ({
      sql: `insert into customers (id, code, kind, name, owner_id, email, email_consent, preferred_channel, title, created_at, updated_at)
            values (?, ?, 'doctor', ?, 'u-rep', ?, 'granted', 'email', '主任', ?, ?)`,
      args: [id, `D${i}`, `张伟${i}`, `dr${i}@example.com`, AT, AT],
    })),
    "write",
  );
  const config = loadConfig(
    {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      DATABASE_URL: `file:${file}`,
      SCHEDULER: "off",
      SMTP_URL: `smtp://127.0.0.1:${input.smtpPort}`,
      MAIL_FROM: '"某某医药" <care@example.com>',
      PUBLIC_URL: "http://127.0.0.1:9",
    },
    join(SCRATCH, "data"),
  );
  const app = compose(config, database, createLogger("silent"), {
    appSecret: "bench-app-secret-0123456789",
    now: () => NOW,
  });
  const messages: OutboxMessage[] = ids.map((id, i) => ({
    channel: "email",
    recipientType: "customer",
    recipientId: id,
    template: "care_greeting",
    locale: "zh-CN",
    address: `dr${i}@example.com`,
    data: { customerName: `张伟${i}`, title: "主任", repName: "王小明", occasions: ["mid_autumn"] },
    dedupeKey: `care:${id}:2026-09-25:email:${id}`,
  }));
  await app.outbox.enqueue(messages);
  const t0 = performance.now();
  await app.outbox.drain();
  const ms = performance.now() - t0;
  const sent = Number(
    (await client.execute("select count(*) as n from outbox where status = 'sent'")).rows[0].n,
  );
  app.close();
  database.close();
  return { ms, sent };
};

const floorRun = async (input: OutboxChildInput) => {
  const transport = createTransport({
    host: "127.0.0.1",
    port: input.smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 5,
  });
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: input.messages }, (_, i) =>
      transport.sendMail({
        from: '"某某医药" <care@example.com>',
        to: `dr${i}@example.com`,
        subject: `张伟${i}主任，祝您中秋快乐`,
        text: `尊敬的张伟${i}主任：\n\n值此中秋佳节，祝您阖家团圆！\n\n王小明敬上`,
        html: `<p>尊敬的张伟${i}主任：</p><p>值此中秋佳节，祝您阖家团圆！</p><p>王小明敬上</p>`,
      }),
    ),
  );
  const ms = performance.now() - t0;
  transport.close();
  return { ms, sent: results.length };
};

const main = async () => {
  const input = JSON.parse(process.argv[2]) as OutboxChildInput;
  const runs: { ms: number; sent: number }[] = [];
  for (let k = 0; k < input.runs; k++)
    runs.push(input.mode === "outbox" ? await outboxRun(input, `${input.file}.${k}`) : await floorRun(input));
  process.stdout.write(`${JSON.stringify({ runs })}\n`);
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
