import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config";
import { createLogger } from "../../../src/lib/log";
import { createEmailChannel } from "../../../src/notify/channels/email";
import {
  APP_SECRET,
  addDoctor,
  careMessage,
  customerOf,
  ledgerOf,
  rowsOf,
  startSmtp,
  startWorld,
  type World,
} from "./world";

const emailChannel = (config: Config) =>
  createEmailChannel({
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    appSecret: APP_SECRET,
    log: createLogger("silent"),
  });

describe("email channel", () => {
  let w: World;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  afterEach(async () => {
    await w?.close();
    await smtp?.close();
  });

  const setup = async () => {
    smtp = await startSmtp();
    w = await startWorld({ SMTP_URL: smtp.url, MAIL_FROM: '"某某医药" <care@example.com>' }, (c) => [
      emailChannel(c),
    ]);
  };

  it("delivers a Chinese care email with a Message-ID from the outbox id and a working unsubscribe link", async () => {
    await setup();
    const id = await addDoctor(w, { name: "张伟", email: "zhang@example.com" });
    await w.outbox.enqueue([careMessage("email", id, "zhang@example.com")]);
    await w.outbox.drain();
    const [row] = await rowsOf(w);
    expect(row.status).toBe("sent");
    expect(smtp.got).toHaveLength(1);
    const mail = smtp.got[0];
    expect(mail.subject).toBe("张伟主任，祝您中秋快乐");
    expect(mail.text).toContain("尊敬的张伟主任：");
    expect(mail.text).toContain("王小明敬上");
    expect(mail.html).toContain("中秋快乐");
    expect(mail.messageId).toBe(`<outbox-${row.id}@repmate>`);
    const header =
      mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line.replace(/\r?\n\s+/g, "") ?? "";
    const link = /href="([^"]+\/unsubscribe\?token=[^"]+)"/
      .exec(String(mail.html))![1]
      .replace(/&amp;/g, "&");
    expect(link.startsWith(`${w.url}/unsubscribe?token=`)).toBe(true);
    expect(header).toContain(link);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("您已退订关怀邮件");
    expect((await customerOf(w, id))!.emailConsent).toBe("withdrawn");
    const ledger = await ledgerOf(w, id);
    expect(ledger.filter((e) => e.channel === "email" && e.state === "withdrawn")).toMatchObject([
      { by: "customer", method: "unsubscribe_link" },
    ]);
    // Following it again adds nothing; a later email is suppressed as withdrawn.
    expect((await fetch(link)).status).toBe(200);
    expect((await ledgerOf(w, id)).filter((e) => e.state === "withdrawn")).toHaveLength(1);
    await w.outbox.enqueue([careMessage("email", id, "zhang@example.com")]);
    await w.outbox.drain();
    expect((await rowsOf(w)).find((r) => r.id !== row.id)).toMatchObject({
      status: "suppressed",
      suppressedReason: "withdrawn",
    });
    expect(smtp.got).toHaveLength(1);
  });

  it("answers an English page for an English customer, and 400 for a forged token", async () => {
    await setup();
    const id = await addDoctor(w, { name: "Jane Doe", email: "jane@example.com", locale: "en" });
    await w.outbox.enqueue([careMessage("email", id, "jane@example.com", { locale: "en" })]);
    await w.outbox.drain();
    expect(smtp.got[0].subject).toBe("Happy Mid-Autumn Festival, 主任 张伟");
    const link = /href="([^"]+)"/.exec(String(smtp.got[0].html))![1].replace(/&amp;/g, "&");
    const ok = await fetch(link);
    expect(await ok.text()).toContain("You have been unsubscribed");
    // RFC 8058 one-click, as mail clients send it.
    const oneClick = await fetch(link, {
      method: "POST",
      body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
    });
    expect(oneClick.status).toBe(200);
    const bad = await fetch(`${link.slice(0, -3)}xyz`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("该退订链接无效");
    expect((await fetch(`${w.url}/unsubscribe`)).status).toBe(400);
  });

  it("retries on 451 and delivers later; 550 is dead with the server's reason", async () => {
    await setup();
    const a = await addDoctor(w, { name: "张伟", email: "a@example.com" });
    smtp.state.answer = (n) => (n === 0 ? { code: 451, message: "4.3.0 greylisted, try later" } : null);
    await w.outbox.enqueue([careMessage("email", a, "a@example.com")]);
    await w.outbox.drain();
    let [row] = await rowsOf(w);
    expect(row.status).toBe("retrying");
    expect(row.error).toContain("451");
    expect(smtp.got).toHaveLength(0);
    w.clock.t += 60_000;
    await w.outbox.drain();
    [row] = await rowsOf(w);
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(smtp.got.map((m) => m.messageId)).toEqual([`<outbox-${row.id}@repmate>`]);

    smtp.state.answer = () => ({ code: 550, message: "5.7.1 message refused by policy" });
    const b = await addDoctor(w, { name: "李娜", email: "b@example.com" });
    await w.outbox.enqueue([careMessage("email", b, "b@example.com")]);
    await w.outbox.drain();
    const dead = (await rowsOf(w)).find((r) => r.recipientId === b)!;
    expect(dead.status).toBe("dead");
    expect(dead.attempts).toBe(1);
    expect(dead.error).toContain("550 5.7.1 message refused by policy");
  });

  it("suppresses a row without an address as invalid_address", async () => {
    await setup();
    const id = await addDoctor(w, { name: "张伟" });
    await w.outbox.enqueue([careMessage("email", id, "")]);
    await w.outbox.drain();
    expect((await rowsOf(w))[0]).toMatchObject({ status: "suppressed", suppressedReason: "invalid_address" });
  });

  it("writes an .eml file when SMTP_URL is unset", async () => {
    w = await startWorld({}, (c) => [emailChannel(c)]);
    const id = await addDoctor(w, { name: "张伟", email: "zhang@example.com" });
    await w.outbox.enqueue([careMessage("email", id, "zhang@example.com")]);
    await w.outbox.drain();
    const [row] = await rowsOf(w);
    expect(row.status).toBe("sent");
    const file = join(w.config.dataDir, "outbox", `${row.id}.eml`);
    expect(existsSync(file)).toBe(true);
    const raw = readFileSync(file);
    expect(raw.includes("\r\n")).toBe(true);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe("张伟主任，祝您中秋快乐");
    expect(mail.messageId).toBe(`<outbox-${row.id}@repmate>`);
    expect(mail.text).toContain("/unsubscribe?token=");
  });

  it("measures outbox throughput into the local SMTP server (500 emails, pooled)", async () => {
    await setup();
    const ids: string[] = [];
    for (let i = 0; i < 500; i++)
      ids.push(await addDoctor(w, { name: `医生${i}`, email: `d${i}@example.com` }));
    await w.outbox.enqueue(ids.map((id, i) => careMessage("email", id, `d${i}@example.com`)));
    const started = performance.now();
    await w.outbox.drain();
    const seconds = (performance.now() - started) / 1000;
    const rows = await rowsOf(w);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(new Set(smtp.got.map((m) => m.messageId)).size).toBe(500);
    console.log(
      `outbox → SMTP: 500 emails in ${seconds.toFixed(2)} s = ${(500 / seconds).toFixed(0)} emails/s`,
    );
  }, 120_000);
});
