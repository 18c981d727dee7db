import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, consentEvents, customers } from "../../../src/db/schema";
import { unsubscribeToken } from "../../../src/notify/customer-templates";
import { startTestServer, type TestServer } from "../../helpers/app";
import { buildHierarchy, expectValidation, type Hierarchy } from "./fixtures";

/**
 * The public opt-out endpoints (DOMAIN.md §7, §9): `GET|POST /unsubscribe?token=…` from a care
 * email and `POST /hooks/sms-inbound` from the SMS gateway. No bearer token: the signed
 * link or the shared secret is the authority.
 */
const HOOK_SECRET = "hook-secret-0123456789";
const UA = "Mozilla/5.0 (iPhone) MailApp";

let server: TestServer;
let h: Hierarchy;
let secret: string;
let seq = 0;

const created = async (res: { status: number; body: any }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
/** A doctor of repA1 who granted both channels on a paper form. */
const doctor = async (name: string, phone: string, extra: object = {}) =>
  (
    await created(
      await server.request("POST", "/api/customers", h.repA1.token, {
        kind: "doctor",
        name,
        phone,
        email: `doctor${++seq}@example.cn`,
        consent: {
          sms: { state: "granted", method: "paper_form", evidence: "签字表" },
          email: { state: "granted", method: "paper_form", evidence: "签字表" },
        },
        ...extra,
      }),
    )
  ).id as string;

const customerRow = async (id: string) =>
  (await server.database.db.select().from(customers).where(eq(customers.id, id)).get())!;
const ledger = (id: string) =>
  server.database.db.select().from(consentEvents).where(eq(consentEvents.customerId, id));
const withdrawals = async (id: string) => (await ledger(id)).filter((e) => e.state === "withdrawn");
/** Everything an opt-out may write, to prove a refused one wrote nothing. */
const snapshot = async () =>
  JSON.stringify([
    await server.database.db.select().from(customers),
    await server.database.db.select().from(consentEvents),
    await server.database.db.select().from(auditLog),
  ]);

const unsubscribe = (token: string | null, method = "GET") =>
  fetch(`${server.url}/unsubscribe${token === null ? "" : `?token=${encodeURIComponent(token)}`}`, {
    method,
    headers: { "user-agent": UA },
    ...(method === "POST" ? { body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) } : {}),
  });
const smsReply = (body: unknown, secretHeader: string | null = HOOK_SECRET) =>
  fetch(`${server.url}/hooks/sms-inbound`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secretHeader === null ? {} : { "x-hook-secret": secretHeader }),
    },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  server = await startTestServer({ SMS_INBOUND_SECRET: HOOK_SECRET });
  h = await buildHierarchy(server);
  secret = server.composition.services.appSecret;
});
afterAll(() => server.close());

describe("GET|POST /unsubscribe", () => {
  it("withdraws email consent for a valid link and records it in the ledger, the customer and the audit", async () => {
    const id = await doctor("李华", "13800000001");
    const res = await unsubscribe(unsubscribeToken(secret, id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain("您已退订关怀邮件");

    expect(await customerRow(id)).toMatchObject({ emailConsent: "withdrawn", smsConsent: "granted" });
    expect(await withdrawals(id)).toMatchObject([
      {
        channel: "email",
        state: "withdrawn",
        by: "customer",
        method: "unsubscribe_link",
        evidence: UA,
      },
    ]);
    const [granted] = (await ledger(id)).filter((e) => e.channel === "email" && e.state === "granted");
    const [withdrawn] = await withdrawals(id);
    expect(Date.parse(withdrawn.at)).toBeGreaterThanOrEqual(Date.parse(granted.at));
    const read = await server.request("GET", `/api/customers/${id}`, h.repA1.token);
    expect(read.body.consent.email).toMatchObject({ state: "withdrawn", method: "unsubscribe_link" });
    expect(read.body.consent.sms).toMatchObject({ state: "granted", method: "paper_form" });
    const audit = (await server.database.db.select().from(auditLog).where(eq(auditLog.entityId, id))).filter(
      (a) => a.action === "consent_withdrawn",
    );
    expect(audit).toMatchObject([
      { actorId: null, via: "unsubscribe_link", entityType: "customer", after: { channel: "email" } },
    ]);
  });

  it("is harmless to follow twice: 200 again, nothing added", async () => {
    const id = await doctor("周敏", "13800000002");
    const token = unsubscribeToken(secret, id);
    expect((await unsubscribe(token)).status).toBe(200);
    const before = await snapshot();
    const again = await unsubscribe(token);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("您已退订关怀邮件");
    expect(await snapshot()).toBe(before);
    // The one-click POST of the same link is just as harmless.
    expect((await unsubscribe(token, "POST")).status).toBe(200);
    expect(await snapshot()).toBe(before);
  });

  it("takes the RFC 8058 one-click POST, and an SMS link withdraws SMS only", async () => {
    const id = await doctor("Jane Doe", "13800000003", { locale: "en" });
    const res = await unsubscribe(unsubscribeToken(secret, id, "sms"), "POST");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<html lang="en">');
    expect(await customerRow(id)).toMatchObject({ smsConsent: "withdrawn", emailConsent: "granted" });
    expect((await withdrawals(id)).map((e) => [e.channel, e.method])).toEqual([["sms", "unsubscribe_link"]]);
  });

  it("refuses a forged, tampered or damaged token with 400 and changes nothing", async () => {
    const victim = await doctor("王芳", "13800000004");
    const other = await doctor("赵磊", "13800000005");
    const good = unsubscribeToken(secret, other);
    const [, mac] = good.split(".");
    const body = (payload: object) => Buffer.from(JSON.stringify(payload)).toString("base64url");
    const forged = [
      // the victim's id under another customer's signature
      `${body({ c: victim, ch: "email" })}.${mac}`,
      // signed with the wrong secret
      unsubscribeToken("not-the-app-secret-at-all", victim),
      // a signature over a payload of the wrong shape
      `${body({ customer: victim })}.${createHmac("sha256", secret)
        .update(body({ customer: victim }))
        .digest("base64url")}`,
      // damaged in transit
      good.slice(0, -4),
      `${good}x`,
      good.split(".")[0],
      "",
      "....",
    ];
    const before = await snapshot();
    for (const token of forged) {
      const res = await unsubscribe(token);
      expect(res.status, token).toBe(400);
      expect(await res.text()).toContain("该退订链接无效");
    }
    expect((await unsubscribe(null)).status).toBe(400);
    expect((await unsubscribe(forged[0], "POST")).status).toBe(400);
    expect(await snapshot()).toBe(before);
    expect(await customerRow(victim)).toMatchObject({ emailConsent: "granted", smsConsent: "granted" });
  });

  it("refuses a validly signed link to a customer that does not exist", async () => {
    const before = await snapshot();
    expect((await unsubscribe(unsubscribeToken(secret, "no-such-customer"))).status).toBe(400);
    expect(await snapshot()).toBe(before);
  });
});

describe("POST /hooks/sms-inbound", () => {
  it("withdraws SMS consent on 退订 for every record with that number, whatever its format", async () => {
    const a = await doctor("孙丽", "+86 139-1111-2222");
    const b = await doctor("孙丽(门诊)", "13911112222");
    const bystander = await doctor("钱进", "13911113333");
    const res = await smsReply({ phone: "+8613911112222", text: " 退订 " });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ withdrawn: 2 });
    for (const id of [a, b]) {
      expect(await customerRow(id)).toMatchObject({ smsConsent: "withdrawn", emailConsent: "granted" });
      expect(await withdrawals(id)).toMatchObject([
        { channel: "sms", by: "customer", method: "sms_reply", evidence: " 退订 " },
      ]);
    }
    expect((await customerRow(bystander)).smsConsent).toBe("granted");
    expect(await withdrawals(bystander)).toEqual([]);

    // The same reply again withdraws nothing more.
    const before = await snapshot();
    expect(await (await smsReply({ phone: "13911112222", text: "退订" })).json()).toEqual({ withdrawn: 0 });
    expect(await snapshot()).toBe(before);
  });

  it.each(["R", "t", "TD", "ｔｄ", "拒收", "拒收。"])("takes %j as an opt-out", async (text) => {
    const phone = `1370000${1000 + seq}`;
    const id = await doctor(`客户${text}`, phone);
    expect(await (await smsReply({ phone, text })).json()).toEqual({ withdrawn: 1 });
    expect((await customerRow(id)).smsConsent).toBe("withdrawn");
  });

  it("ignores any other reply", async () => {
    const id = await doctor("吴刚", "13822223333");
    const before = await snapshot();
    for (const text of ["谢谢", "R U there?", "不要退订", ""])
      expect(await (await smsReply({ phone: "13822223333", text })).json()).toEqual({ withdrawn: 0 });
    expect(await snapshot()).toBe(before);
    expect((await customerRow(id)).smsConsent).toBe("granted");
  });

  it("refuses a missing or wrong secret with 401 and changes nothing", async () => {
    const id = await doctor("郑爽", "13833334444");
    const before = await snapshot();
    for (const s of [null, "wrong", `${HOOK_SECRET}x`]) {
      const res = await smsReply({ phone: "13833334444", text: "退订" }, s);
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.code).toBe("unauthorized");
    }
    expect(await snapshot()).toBe(before);
    expect((await customerRow(id)).smsConsent).toBe("granted");
  });

  it("answers a reply without a phone with a validation error naming it", async () => {
    const res = await smsReply({ text: "退订" });
    expectValidation({ status: res.status, body: await res.json() }, "phone");
  });

  it("does not touch an erased customer", async () => {
    const id = await doctor("冯敏", "13844445555");
    expect((await server.request("POST", `/api/customers/${id}/erase`, h.admin.token)).status).toBe(200);
    const before = await snapshot();
    expect(await (await smsReply({ phone: "13844445555", text: "TD" })).json()).toEqual({ withdrawn: 0 });
    expect((await unsubscribe(unsubscribeToken(secret, id))).status).toBe(200);
    expect(await snapshot()).toBe(before);
  });
});
