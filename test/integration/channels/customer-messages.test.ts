import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config";
import { customers } from "../../../src/db/schema";
import { createLogger } from "../../../src/lib/log";
import { createEmailChannel } from "../../../src/notify/channels/email";
import { createSmsChannel } from "../../../src/notify/channels/sms";
import {
  APP_SECRET,
  addDoctor,
  careMessage,
  customerOf,
  HOOK_SECRET,
  rowsOf,
  startGateway,
  startSmtp,
  startWorld,
  type World,
} from "./world";

const channels = (config: Config) => [
  createEmailChannel({
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    appSecret: APP_SECRET,
    log: createLogger("silent"),
  }),
  createSmsChannel({
    provider: config.sms.provider,
    httpUrl: config.sms.httpUrl,
    httpToken: config.sms.httpToken,
    signature: config.sms.signature,
    templateCare: config.sms.templateCare,
    dataDir: config.dataDir,
    log: createLogger("silent"),
  }),
];

describe("customer messages through the real channels", () => {
  let w: World;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let gw: Awaited<ReturnType<typeof startGateway>>;
  afterEach(async () => {
    await w?.close();
    await smtp?.close();
    await gw?.close();
  });

  const setup = async (start?: string) => {
    smtp = await startSmtp();
    gw = await startGateway();
    w = await startWorld(
      {
        SMTP_URL: smtp.url,
        MAIL_FROM: '"某某医药" <care@example.com>',
        SMS_PROVIDER: "http",
        SMS_HTTP_URL: gw.url,
        SMS_HTTP_TOKEN: "gw-token",
        SMS_SIGNATURE: "某某医药",
        SMS_TEMPLATE_CARE: "SMS_CARE_001",
      },
      channels,
      start,
    );
  };
  const reply = (phone: string, text: string) =>
    fetch(`${w.url}/hooks/sms-inbound`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hook-secret": HOOK_SECRET },
      body: JSON.stringify({ phone, text }),
    });
  const byRecipient = async () => new Map((await rowsOf(w)).map((r) => [r.recipientId, r]));
  const unsubscribeLink = (html: string) =>
    /href="([^"]+\/unsubscribe\?token=[^"]+)"/.exec(html)![1].replace(/&amp;/g, "&");

  it("suppresses greetings queued before the customer replied Ｒ or followed an unsubscribe link", async () => {
    await setup();
    const a = await addDoctor(w, { name: "张伟", phone: "13800138001", email: "a@example.com" });
    const b = await addDoctor(w, { name: "李娜", phone: "13800138002", email: "b@example.com" });
    // First greetings go out, with the links the customers will use.
    await w.outbox.enqueue([careMessage("email", b, "b@example.com")]);
    await w.outbox.drain();
    const link = unsubscribeLink(String(smtp.got[0].html));

    await w.outbox.enqueue([
      careMessage("sms", a, "13800138001", { notBefore: new Date(w.clock.t + 3_600_000) }),
      careMessage("email", b, "b@example.com", { notBefore: new Date(w.clock.t + 3_600_000) }),
    ]);
    expect(await (await reply("+86 138 0013 8001", "Ｒ")).json()).toEqual({ withdrawn: 1 });
    expect((await fetch(link)).status).toBe(200);
    w.clock.t += 3_600_000;
    await w.outbox.drain();
    const rows = (await rowsOf(w)).filter((r) => r.status !== "sent");
    expect(rows.map((r) => [r.recipientId, r.channel, r.status, r.suppressedReason]).sort()).toEqual(
      [
        [a, "sms", "suppressed", "withdrawn"],
        [b, "email", "suppressed", "withdrawn"],
      ].sort(),
    );
    expect(gw.calls).toHaveLength(0);
    expect(smtp.got).toHaveLength(1);
    // Each withdrawal touched its own channel only.
    expect(await customerOf(w, a)).toMatchObject({ smsConsent: "withdrawn", emailConsent: "granted" });
    expect(await customerOf(w, b)).toMatchObject({ smsConsent: "granted", emailConsent: "withdrawn" });
  });

  it("sends nothing on a channel the customer never consented to, nor to an erased customer", async () => {
    await setup();
    const smsOnly = await addDoctor(w, {
      name: "王芳",
      phone: "13800138003",
      email: "c@example.com",
      consent: ["sms"],
    });
    const erased = await addDoctor(w, { name: "赵强", phone: "13800138004", email: "d@example.com" });
    await w.outbox.enqueue([
      careMessage("email", smsOnly, "c@example.com"),
      careMessage("sms", erased, "13800138004"),
    ]);
    await w.composition.services.privacy.eraseCustomer(erased, { id: w.rep.id, role: "admin", via: "api" });
    await w.outbox.drain();
    const rows = await byRecipient();
    expect(rows.get(smsOnly)).toMatchObject({ status: "suppressed", suppressedReason: "no_consent" });
    expect(rows.get(erased)).toMatchObject({ status: "suppressed", suppressedReason: "erased" });
    expect(gw.calls).toHaveLength(0);
    expect(smtp.got).toHaveLength(0);
  });

  it("ends every SMS with the opt-out line and gives every email an unsubscribe link, in Chinese and English", async () => {
    await setup();
    const zh = await addDoctor(w, { name: "张伟", phone: "13800138005", email: "zh@example.com" });
    const en = await addDoctor(w, {
      name: "Jane Smith",
      phone: "13800138006",
      email: "en@example.com",
      locale: "en",
    });
    const enData = { customerName: "Jane Smith", title: "Dr.", repName: "Tom Lee", occasions: ["new_year"] };
    await w.outbox.enqueue([
      careMessage("sms", zh, "13800138005"),
      careMessage("email", zh, "zh@example.com"),
      careMessage("sms", en, "13800138006", { locale: "en", data: enData }),
      careMessage("email", en, "en@example.com", { locale: "en", data: enData }),
    ]);
    await w.outbox.drain();
    expect((await rowsOf(w)).every((r) => r.status === "sent")).toBe(true);
    const texts = gw.calls.map((c) => String(c.body.text)).sort();
    expect(texts).toHaveLength(2);
    for (const text of texts) {
      expect(text.startsWith("【某某医药】"), text).toBe(true);
      expect(text.endsWith("拒收请回复R"), text).toBe(true);
    }
    expect(texts.find((t) => t.includes("Jane Smith"))).toContain("Reply R to opt out.");
    expect(smtp.got).toHaveLength(2);
    for (const mail of smtp.got) {
      const english = mail.subject?.includes("Happy") ?? false;
      const link = unsubscribeLink(String(mail.html));
      expect(mail.text).toContain(link);
      expect(mail.text).toContain(english ? "Unsubscribe:" : "点击退订");
      const header = mail.headerLines
        .find((h) => h.key === "list-unsubscribe")
        ?.line.replace(/\r?\n\s+/g, "");
      expect(header).toContain(link);
      const page = await (await fetch(link)).text();
      expect(page).toContain(english ? "You have been unsubscribed" : "您已退订关怀邮件");
    }
    // The links withdrew email only: SMS consent stands.
    for (const id of [zh, en])
      expect(await customerOf(w, id)).toMatchObject({ emailConsent: "withdrawn", smsConsent: "granted" });
  });

  it("waits for 08:00 in the customer's own zone, and expires at 21:00 there", async () => {
    await setup("2026-09-25T01:30:00Z"); // 09:30 in Shanghai, 07:30 in Urumqi
    const id = await addDoctor(w, { name: "艾力", phone: "13800138007" });
    const late = await addDoctor(w, { name: "古丽", phone: "13800138008" });
    await w.database.db.update(customers).set({ timezone: "Asia/Urumqi" }).where(eq(customers.id, id));
    await w.database.db.update(customers).set({ timezone: "Asia/Urumqi" }).where(eq(customers.id, late));
    await w.outbox.enqueue([
      careMessage("sms", id, "13800138007", { expiresAt: new Date("2026-09-25T15:00:00Z") }),
    ]);
    await w.outbox.drain();
    expect((await byRecipient()).get(id)).toMatchObject({
      status: "pending",
      notBefore: "2026-09-25T02:00:00.000Z",
    });
    expect(gw.calls).toHaveLength(0);
    w.clock.t = Date.parse("2026-09-25T02:00:00Z");
    await w.outbox.drain();
    expect((await byRecipient()).get(id)!.status).toBe("sent");

    // 22:00 in Shanghai is 20:00 in Urumqi: still its day there, so it goes.
    w.clock.t = Date.parse("2026-09-25T14:00:00Z");
    await w.outbox.enqueue([
      careMessage("sms", late, "13800138008", { expiresAt: new Date("2026-09-25T15:00:00Z") }),
    ]);
    await w.outbox.drain();
    expect((await byRecipient()).get(late)!.status).toBe("sent");
    expect(gw.calls).toHaveLength(2);
  });

  it.each(["R", "t", "TD", "退订", "拒收", "拒收。"])(
    "withdraws SMS consent on the reply %s",
    async (text) => {
      await setup();
      const id = await addDoctor(w, { name: "张伟", phone: "13800138009", email: "e@example.com" });
      expect(await (await reply("13800138009", text)).json()).toEqual({ withdrawn: 1 });
      expect(await customerOf(w, id)).toMatchObject({ smsConsent: "withdrawn", emailConsent: "granted" });
    },
  );

  it("never sends an SMS without the registered template id, and never guesses one", async () => {
    gw = await startGateway();
    smtp = await startSmtp();
    w = await startWorld({ SMS_PROVIDER: "http", SMS_HTTP_URL: gw.url, SMS_SIGNATURE: "某某医药" }, channels);
    const id = await addDoctor(w, { name: "张伟", phone: "13800138010" });
    await w.outbox.enqueue([careMessage("sms", id, "13800138010")]);
    await w.outbox.drain();
    expect((await byRecipient()).get(id)).toMatchObject({ status: "dead" });
    expect(gw.calls).toHaveLength(0);
  });
});
