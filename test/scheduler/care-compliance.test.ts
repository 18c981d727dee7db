import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { careSkips, customers, outbox, users } from "../../src/db/schema";
import { isProductFree } from "../../src/domain/care/eligibility";
import { createLogger } from "../../src/lib/log";
import type { JobDefinition } from "../../src/scheduler/job";
import { careGreetingsJob } from "../../src/scheduler/jobs/care";
import { createJobRunner } from "../../src/scheduler/runner";
import { createConsentService } from "../../src/services/consent";
import { D, type JobWorld, jobWorld, PRODUCT_NAMES } from "./world";

const silent = createLogger("silent");
const at = "2026-01-01T00:00:00.000Z";

let world: JobWorld | null = null;
const open = async (start?: string) => {
  world = await jobWorld(start);
  return world;
};
afterEach(async () => {
  await world?.close();
  world = null;
});

/** A customer of 王小明 straight in the database (the fixture's style). */
const addCustomer = async (w: JobWorld, id: string, fields: Partial<typeof customers.$inferInsert> = {}) => {
  await w.database.db.insert(customers).values({
    id,
    code: id.toUpperCase(),
    kind: "doctor",
    name: id,
    ownerId: "u-rep1",
    createdAt: at,
    updatedAt: at,
    ...fields,
  });
  return id;
};

const careRows = async (w: JobWorld) => (await w.rows()).filter((r) => r.template === "care_greeting");
const rowOf = async (w: JobWorld, customerId: string) =>
  (await careRows(w)).filter((r) => r.recipientId === customerId);
const outboxDir = (w: JobWorld) => join(w.config.dataDir, "outbox");
/** What the SMS channel (log provider) handed over for a row, or null when nothing left. */
const smsSent = (w: JobWorld, id: string): { text: string } | null => {
  const file = join(outboxDir(w), `${id}.sms.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
};
/** The email the channel wrote (.eml, SMTP_URL unset) for a row, or null. */
const emailSent = async (w: JobWorld, id: string) => {
  const file = join(outboxDir(w), `${id}.eml`);
  return existsSync(file) ? simpleParser(readFileSync(file)) : null;
};
const at10 = (date: string) => Date.parse(`${date}T02:00:00Z`); // 10:00 in Shanghai

describe("consent before any customer message", () => {
  it("queues nothing without consent or after withdrawal, and uses the other channel only when it alone is granted", async () => {
    const w = await open();
    const bd = { birthday: "09-15" };
    await addCustomer(w, "c-none", { ...bd, phone: "13800000011", email: "none@example.com" });
    await addCustomer(w, "c-withdrawn", { ...bd, phone: "13800000012", smsConsent: "withdrawn" });
    await addCustomer(w, "c-mail-only", {
      ...bd,
      phone: "13800000013",
      email: "mailonly@example.com",
      preferredChannel: "sms",
      smsConsent: "none",
      emailConsent: "granted",
    });
    await addCustomer(w, "c-sms-only", {
      ...bd,
      phone: "13800000014",
      email: "smsonly@example.com",
      preferredChannel: "email",
      smsConsent: "granted",
      emailConsent: "withdrawn",
    });
    await addCustomer(w, "c-no-address", {
      ...bd,
      phone: "13800000015",
      emailConsent: "granted",
      preferredChannel: "email",
    });
    await w.jobs.run("care-greetings", D, "", "cron");
    const rows = await careRows(w);
    const byCustomer = new Map(rows.map((r) => [r.recipientId, r]));
    expect(byCustomer.has("c-none")).toBe(false);
    expect(byCustomer.has("c-withdrawn")).toBe(false);
    expect(byCustomer.has("c-no-address")).toBe(false);
    expect(byCustomer.get("c-mail-only")).toMatchObject({
      channel: "email",
      address: "mailonly@example.com",
    });
    expect(byCustomer.get("c-sms-only")).toMatchObject({ channel: "sms", address: "13800000014" });
    // 陈静 (fixture) has a birthday today and no consent.
    expect(byCustomer.has("c-d3")).toBe(false);
    expect(rows.filter((r) => r.recipientId === "c-mail-only")).toHaveLength(1);
  });

  it("suppresses at send time a greeting whose channel was withdrawn after it was queued", async () => {
    const w = await open("2026-09-14T23:00:00Z"); // 07:00: queued, waiting for 08:00
    await w.jobs.run("care-greetings", D, "", "manual");
    expect((await careRows(w)).map((r) => r.recipientId).sort()).toEqual(["c-d1", "c-d2"]);
    const consent = createConsentService({ database: w.database, now: w.now });
    expect(
      await consent.withdraw("c-d1", "sms", { by: "customer", method: "sms_reply", evidence: "R" }),
    ).toBe(true);
    expect(
      await consent.withdraw("c-d2", "email", { by: "customer", method: "unsubscribe_link", evidence: null }),
    ).toBe(true);
    w.clock.t = Date.parse("2026-09-15T00:00:00Z"); // 08:00
    await w.composition.outbox.drain();
    const rows = await careRows(w);
    expect(rows.map((r) => [r.recipientId, r.status, r.suppressedReason])).toEqual([
      ["c-d1", "suppressed", "withdrawn"],
      ["c-d2", "suppressed", "withdrawn"],
    ]);
    for (const r of rows) {
      expect(smsSent(w, r.id)).toBeNull();
      expect(await emailSent(w, r.id)).toBeNull();
    }
  });

  it("never messages a customer erased after the greeting was queued", async () => {
    const w = await open("2026-09-14T23:00:00Z");
    await w.jobs.run("care-greetings", D, "", "manual");
    await w.services.privacy.eraseCustomer("c-d1", { id: "u-admin", role: "admin", via: "api" });
    w.clock.t = Date.parse("2026-09-15T00:30:00Z");
    await w.composition.outbox.drain();
    const [row] = await rowOf(w, "c-d1");
    expect(row).toMatchObject({ status: "suppressed", suppressedReason: "erased", address: null });
    expect(smsSent(w, row.id)).toBeNull();
    // And an erased customer is no candidate the next time.
    expect(await w.services.care.greetingsToSend("2026-10-01")).not.toContainEqual(
      expect.objectContaining({ customer: expect.objectContaining({ id: "c-d1" }) }),
    );
  });
});

describe("what a customer receives", () => {
  it("ends every SMS with 「拒收请回复R」 and carries an unsubscribe link in every email, in Chinese and English", async () => {
    const w = await open();
    await addCustomer(w, "c-en-sms", {
      name: "Jane Smith",
      title: "Dr.",
      birthday: "09-15",
      phone: "13800000021",
      smsConsent: "granted",
      locale: "en",
    });
    await addCustomer(w, "c-en-mail", {
      name: "John Doe",
      birthday: "09-15",
      email: "john@example.com",
      emailConsent: "granted",
      preferredChannel: "email",
      locale: "en",
    });
    await w.jobs.run("care-greetings", D, "", "cron");
    await w.composition.outbox.drain();
    const rows = await careRows(w);
    expect(rows.map((r) => [r.recipientId, r.channel, r.locale, r.status])).toEqual([
      ["c-d1", "sms", "zh-CN", "sent"],
      ["c-d2", "email", "zh-CN", "sent"],
      ["c-en-mail", "email", "en", "sent"],
      ["c-en-sms", "sms", "en", "sent"],
    ]);
    const sms = (id: string) => smsSent(w, rows.find((r) => r.recipientId === id)!.id)!.text;
    expect(sms("c-d1").endsWith("拒收请回复R")).toBe(true);
    expect(sms("c-en-sms")).toMatch(/Reply R to opt out\. 拒收请回复R$/);
    expect(sms("c-en-sms")).toContain("Jane Smith");
    for (const [id, lead] of [
      ["c-d2", "点击退订"],
      ["c-en-mail", "Unsubscribe"],
    ]) {
      const mail = (await emailSent(w, rows.find((r) => r.recipientId === id)!.id))!;
      expect(mail.text).toContain(lead);
      expect(mail.text).toMatch(/\/unsubscribe\?token=\S+/);
      expect(String(mail.html)).toMatch(/<a href="[^"]+\/unsubscribe\?token=[^"]+">/);
      const header = mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
      expect(header).toContain("/unsubscribe?token=");
    }
  });

  it("names no product even for a customer with product segments and purchases", async () => {
    const w = await open();
    await w.jobs.run("care-greetings", D, "", "cron");
    await w.composition.outbox.drain();
    const rows = await careRows(w);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(JSON.stringify(r.data)).not.toMatch(/感冒灵|维生素|p-gml|p-vc/);
      const text = smsSent(w, r.id)?.text ?? (await emailSent(w, r.id))?.text ?? "";
      expect(text.length).toBeGreaterThan(0);
      expect(isProductFree(text, PRODUCT_NAMES), text).toBe(true);
    }
  });

  it("sends no greeting that names a product, even when the rep's display name carries one", async () => {
    const w = await open();
    // Reps often carry their product line in their WeCom display name.
    await w.database.db
      .update(users)
      .set({ name: `王小明（${PRODUCT_NAMES[0]}）` })
      .where(eq(users.id, "u-rep1"));
    const run = await w.jobs.run("care-greetings", D, "", "cron");
    await w.composition.outbox.drain();
    const texts: string[] = [];
    for (const r of await careRows(w)) {
      const sms = smsSent(w, r.id);
      if (sms) texts.push(sms.text);
      const mail = await emailSent(w, r.id);
      if (mail) texts.push(mail.subject ?? "", mail.text ?? "", String(mail.html));
    }
    for (const text of texts) expect(isProductFree(text, PRODUCT_NAMES), text).toBe(true);
    // Held, not dropped silently: counted in the run, and the rep is told once whom it concerns.
    expect(await careRows(w)).toEqual([]);
    expect(run.counts.held).toBe(2);
    const notices = (await w.rows()).filter((r) => r.template === "care_held");
    expect(notices.map((r) => [r.recipientId, r.status])).toEqual([["u-rep1", "sent"]]);
    expect(notices[0].data.items).toEqual([
      { customerId: "c-d1", name: "张伟" },
      { customerId: "c-d2", name: "李娜" },
    ]);
    // Tom Lee's customer is greeted as usual the next day.
    w.clock.t = at10("2026-09-16");
    await w.jobs.run("care-greetings", "2026-09-16", "", "cron");
    expect((await careRows(w)).map((r) => r.recipientId)).toEqual(["c-d4"]);
  });

  it("holds a greeting whose customer title carries a product code, but not a code inside a word", async () => {
    const w = await open();
    await addCustomer(w, "c-code", {
      name: "周明",
      birthday: "09-15",
      title: "GML专员",
      phone: "13800000025",
      smsConsent: "granted",
    });
    await addCustomer(w, "c-word", {
      name: "Vcenta Gmlova",
      birthday: "09-15",
      phone: "13800000026",
      smsConsent: "granted",
      locale: "en",
    });
    const run = await w.jobs.run("care-greetings", D, "", "cron");
    expect((await careRows(w)).map((r) => r.recipientId)).toEqual(["c-d1", "c-d2", "c-word"]);
    expect(run.counts.held).toBe(1);
  });

  it("shares one message between a birthday and 中秋 on the same day", async () => {
    const w = await open("2026-09-25T02:00:00Z");
    await addCustomer(w, "c-both", { birthday: "1975-09-25", phone: "13800000031", smsConsent: "granted" });
    await w.jobs.run("care-greetings", "2026-09-25", "", "cron");
    const rows = await rowOf(w, "c-both");
    expect(rows).toHaveLength(1);
    expect(rows[0].data.occasions).toEqual(["birthday", "mid_autumn"]);
  });
});

describe("quiet hours and the customer's time zone", () => {
  it("holds a greeting until 08:00 in the customer's own zone", async () => {
    const w = await open("2026-09-15T01:30:00Z"); // 09:30 in Shanghai, 07:30 in Urumqi
    await addCustomer(w, "c-urumqi", {
      birthday: "09-15",
      phone: "13800000041",
      smsConsent: "granted",
      timezone: "Asia/Urumqi",
    });
    await w.jobs.run("care-greetings", D, "", "cron");
    const [row] = await rowOf(w, "c-urumqi");
    expect(row.notBefore).toBe("2026-09-15T02:00:00.000Z"); // 08:00 in Urumqi
    expect(row.expiresAt).toBe("2026-09-15T15:00:00.000Z"); // 21:00 in Urumqi
    await w.composition.outbox.drain();
    expect((await rowOf(w, "c-urumqi"))[0].status).toBe("pending");
    expect((await rowOf(w, "c-d1"))[0].status).toBe("sent");
    w.clock.t = Date.parse("2026-09-15T01:59:00Z");
    await w.composition.outbox.drain();
    expect(smsSent(w, row.id)).toBeNull();
    w.clock.t = Date.parse("2026-09-15T02:00:00Z");
    await w.composition.outbox.drain();
    expect((await rowOf(w, "c-urumqi"))[0].status).toBe("sent");
  });

  it("drops a greeting not delivered by 21:00 on its day as expired, never sending it the next morning", async () => {
    const w = await open("2026-09-15T13:30:00Z"); // 21:30: a late catch-up run
    await w.jobs.run("care-greetings", D, "", "catch_up");
    await w.composition.outbox.drain();
    w.clock.t = Date.parse("2026-09-16T00:30:00Z"); // 08:30 the next day
    await w.composition.outbox.drain();
    const rows = await careRows(w);
    expect(rows.map((r) => [r.recipientId, r.status])).toEqual([
      ["c-d1", "expired"],
      ["c-d2", "expired"],
    ]);
    for (const r of rows) expect(smsSent(w, r.id)).toBeNull();
  });

  it("greets a customer in a western zone once a day by their own calendar (birthday, then New Year's Day)", async () => {
    const w = await open("2026-12-31T02:00:00Z");
    await addCustomer(w, "c-la", {
      birthday: "12-31",
      phone: "13800000051",
      smsConsent: "granted",
      timezone: "America/Los_Angeles",
    });
    await w.jobs.run("care-greetings", "2026-12-31", "", "cron");
    w.clock.t = at10("2027-01-01");
    await w.jobs.run("care-greetings", "2027-01-01", "", "cron");
    const rows = await rowOf(w, "c-la");
    // 31 Dec and 1 Jan are two days in Los Angeles: one greeting on each.
    expect(rows.map((r) => r.data.occasions)).toEqual([["birthday"], ["new_year"]]);
  });
});

describe("caps, holidays and birthdays", () => {
  it("sends at most 2 care messages a month: the third occasion of February 2027 is not greeted", async () => {
    const w = await open("2027-02-06T02:00:00Z");
    await addCustomer(w, "c-feb", { birthday: "02-10", phone: "13800000061", smsConsent: "granted" });
    for (const date of ["2027-02-06", "2027-02-10", "2027-02-20"]) {
      w.clock.t = at10(date);
      await w.jobs.run("care-greetings", date, "", "cron");
      await w.composition.outbox.drain();
    }
    const rows = await rowOf(w, "c-feb");
    expect(rows.map((r) => [r.data.date, r.data.occasions, r.status])).toEqual([
      ["2027-02-06", ["spring_festival"], "sent"],
      ["2027-02-10", ["birthday"], "sent"],
    ]);
    expect(
      (await w.services.care.dueGreetings("2027-02-20")).find((g) => g.customer.id === "c-feb"),
    ).toMatchObject({ occasions: ["lantern"], suppressed: "cap_reached" });
  });

  it("greets on a festival falling on a Saturday (春节 2027-02-06) and previews it on the Friday", async () => {
    const w = await open("2027-02-05T08:00:00Z"); // Friday 16:00
    const preview = await w.jobs.run("care-preview", "2027-02-05", "", "cron");
    expect(preview.skipped).toBeUndefined();
    const items = (await w.rows()).find((r) => r.template === "care_preview" && r.recipientId === "u-rep1")!
      .data.items as { customerId: string; occasions: string[] }[];
    expect(items).toEqual([
      expect.objectContaining({ customerId: "c-d1", occasions: ["spring_festival"] }),
      expect.objectContaining({ customerId: "c-d2", occasions: ["spring_festival"] }),
    ]);
    w.clock.t = at10("2027-02-06");
    const run = await w.jobs.run("care-greetings", "2027-02-06", "", "cron");
    expect(run.skipped).toBeUndefined();
    expect((await careRows(w)).map((r) => r.recipientId)).toEqual(["c-d1", "c-d2", "c-d4"]);
  });

  it.each([
    ["2026-02-17", "spring_festival"],
    ["2027-02-06", "spring_festival"],
    ["2026-09-25", "mid_autumn"],
    ["2027-09-15", "mid_autumn"],
    ["2026-06-19", "dragon_boat"],
    ["2027-02-20", "lantern"],
  ])("finds the lunar festival on %s (%s) and not the day before", async (date, festival) => {
    const w = await open();
    const due = (await w.services.care.dueGreetings(date)).find((g) => g.customer.id === "c-d1");
    expect(due?.occasions).toContain(festival);
    const dayBefore = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const before = (await w.services.care.dueGreetings(dayBefore)).find((g) => g.customer.id === "c-d1");
    expect(before?.occasions ?? []).not.toContain(festival);
  });

  it("greets a 29 February birthday on 28 February in a common year and on 29 February in a leap year", async () => {
    const w = await open();
    await addCustomer(w, "c-leap", { birthday: "1988-02-29", phone: "13800000071", smsConsent: "granted" });
    const occasions = async (date: string) =>
      (await w.services.care.greetingsToSend(date)).find((g) => g.customer.id === "c-leap")?.occasions ?? [];
    expect(await occasions("2027-02-28")).toEqual(["birthday"]);
    expect(await occasions("2027-03-01")).toEqual([]);
    expect(await occasions("2028-02-28")).toEqual([]);
    expect(await occasions("2028-02-29")).toEqual(["birthday"]);
  });
});

describe("the rep's stop and the jobs' idempotence", () => {
  it("does not send a queued greeting the rep stopped before it went out", async () => {
    const w = await open("2026-09-15T01:30:00Z"); // 09:30 Shanghai, 07:30 in Urumqi
    await addCustomer(w, "c-urumqi", {
      birthday: "09-15",
      phone: "13800000081",
      smsConsent: "granted",
      timezone: "Asia/Urumqi",
    });
    await w.jobs.run("care-greetings", D, "", "cron");
    expect(await rowOf(w, "c-urumqi")).toHaveLength(1);
    // 09:40: the rep taps 「不发」 on yesterday's preview; the text is still waiting for 08:00 in Urumqi.
    w.clock.t = Date.parse("2026-09-15T01:40:00Z");
    expect((await w.services.care.skip("c-urumqi", D, "u-rep1")).ok).toBe(true);
    w.clock.t = Date.parse("2026-09-15T02:30:00Z");
    await w.composition.outbox.drain();
    const [row] = await rowOf(w, "c-urumqi");
    expect(smsSent(w, row.id)).toBeNull();
    expect(row).toMatchObject({ status: "suppressed", suppressedReason: "skipped_by_rep" });
    // The others of the day still go out.
    expect((await rowOf(w, "c-d1"))[0].status).toBe("sent");
  });

  it("does not send a greeting queued from what the job read just before the rep's stop", async () => {
    const w = await open("2026-09-14T23:00:00Z"); // 07:00: queued, waiting for 08:00
    await w.jobs.run("care-greetings", D, "", "manual");
    // The stop lands as if between the job's read and its write: the row is queued, not yet suppressed.
    await w.database.db.insert(careSkips).values({
      id: "sk-1",
      customerId: "c-d1",
      date: D,
      by: "u-rep1",
      createdAt: "2026-09-14T23:01:00.000Z",
    });
    w.clock.t = Date.parse("2026-09-15T00:30:00Z");
    await w.composition.outbox.drain();
    const rows = await careRows(w);
    expect(rows.map((r) => [r.recipientId, r.status, r.suppressedReason])).toEqual([
      ["c-d1", "suppressed", "skipped_by_rep"],
      ["c-d2", "sent", null],
    ]);
    expect(smsSent(w, rows[0].id)).toBeNull();
  });

  it("queues each greeting once when the job runs twice, and resumes a crashed run without duplicates", async () => {
    const w = await open();
    for (let i = 0; i < 3; i++)
      await addCustomer(w, `c-bd${i}`, { birthday: "09-15", phone: `1380000009${i}`, smsConsent: "granted" });
    let n = 0;
    const failing: JobDefinition = {
      ...careGreetingsJob,
      itemFor: async (ctx, id) => {
        if (++n > 2) throw new Error("crashed");
        return careGreetingsJob.itemFor(ctx, id);
      },
    };
    const broken = await createJobRunner(w.services, [failing], silent).run("care-greetings", D, "", "cron");
    expect(broken).toMatchObject({ error: "crashed", done: 2, queued: 2 });
    const resumed = await w.jobs.run("care-greetings", D, "", "cron");
    expect(resumed.error).toBeUndefined();
    const again = await w.jobs.run("care-greetings", D, "", "cron");
    expect(again.queued).toBe(0);
    const rows = await careRows(w);
    expect(rows.map((r) => r.recipientId).sort()).toEqual(["c-bd0", "c-bd1", "c-bd2", "c-d1", "c-d2"]);
    await w.composition.outbox.drain();
    const sent = await w.database.db.select().from(outbox).where(eq(outbox.status, "sent"));
    expect(sent).toHaveLength(5);
  });
});
