import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config";
import { isProductFree } from "../../../src/domain/care/eligibility";
import { createLogger } from "../../../src/lib/log";
import { createSmsChannel } from "../../../src/notify/channels/sms";
import {
  addDoctor,
  careMessage,
  customerOf,
  HOOK_SECRET,
  ledgerOf,
  rowsOf,
  startGateway,
  startWorld,
  type World,
} from "./world";

const PRODUCTS = ["立普妥", "阿托伐他汀钙片", "Lipitor"];

const smsChannel = (config: Config) =>
  createSmsChannel({
    provider: config.sms.provider,
    httpUrl: config.sms.httpUrl,
    httpToken: config.sms.httpToken,
    signature: config.sms.signature,
    templateCare: config.sms.templateCare,
    dataDir: config.dataDir,
    log: createLogger("silent"),
  });

const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => ({
  status,
  body,
  headers,
});

describe("sms channel", () => {
  let w: World;
  let gw: Awaited<ReturnType<typeof startGateway>>;
  afterEach(async () => {
    await w?.close();
    await gw?.close();
  });

  const setup = async (start?: string) => {
    gw = await startGateway();
    w = await startWorld(
      {
        SMS_PROVIDER: "http",
        SMS_HTTP_URL: gw.url,
        SMS_HTTP_TOKEN: "gw-token",
        SMS_SIGNATURE: "【某某医药】",
        SMS_TEMPLATE_CARE: "SMS_CARE_001",
      },
      (c) => [smsChannel(c)],
      start,
    );
  };
  const hook = (body: unknown, secret: string | null = HOOK_SECRET, query = "") =>
    fetch(`${w.url}/hooks/sms-inbound${query}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret === null ? {} : { "x-hook-secret": secret }),
      },
      body: JSON.stringify(body),
    });

  it("posts signature, template id, the outbox id and 「拒收请回复R」, naming no product", async () => {
    await setup();
    const id = await addDoctor(w, { name: "张伟", phone: "+86 138-0013-8000" });
    await w.outbox.enqueue([
      careMessage("sms", id, "+86 138-0013-8000", {
        data: {
          customerName: "张伟",
          title: "主任",
          repName: "王小明",
          occasions: ["birthday", "mid_autumn"],
        },
      }),
    ]);
    await w.outbox.drain();
    const [row] = await rowsOf(w);
    expect(row).toMatchObject({ status: "sent", providerRef: { messageId: "gw-1" } });
    expect(gw.calls).toHaveLength(1);
    const { body, authorization } = gw.calls[0];
    expect(authorization).toBe("Bearer gw-token");
    expect(body).toMatchObject({
      requestId: row.id,
      phone: "13800138000",
      templateId: "SMS_CARE_001",
      signature: "【某某医药】",
    });
    const text = String(body.text);
    expect(text).toBe(
      "【某某医药】尊敬的张伟主任：祝您生日快乐、中秋快乐，身体健康，阖家幸福！王小明敬上。拒收请回复R",
    );
    expect(isProductFree(text, PRODUCTS)).toBe(true);
    expect(body.params).toMatchObject({ name: "张伟", title: "主任", rep: "王小明" });
  });

  it("honours 429 Retry-After, retries 5xx, suppresses an invalid number and kills other 4xx", async () => {
    await setup();
    const a = await addDoctor(w, { name: "张伟", phone: "13800138000" });
    gw.state.answer = (_b, n) =>
      n === 0
        ? answer(429, { message: "rate limited" }, { "retry-after": "120" })
        : answer(200, { id: "gw-2" });
    await w.outbox.enqueue([careMessage("sms", a, "13800138000")]);
    await w.outbox.drain();
    let [row] = await rowsOf(w);
    expect(row.status).toBe("retrying");
    expect(Date.parse(row.notBefore) - w.clock.t).toBe(120_000);
    w.clock.t += 119_000;
    await w.outbox.drain();
    expect(gw.calls).toHaveLength(1);
    w.clock.t += 1_000;
    await w.outbox.drain();
    [row] = await rowsOf(w);
    expect(row).toMatchObject({ status: "sent", attempts: 2, providerRef: { messageId: "gw-2" } });

    const b = await addDoctor(w, { name: "李娜", phone: "13900000000" });
    gw.state.answer = () => answer(400, { code: "INVALID_MOBILE", message: "invalid phone number" });
    await w.outbox.enqueue([careMessage("sms", b, "13900000000")]);
    const c = await addDoctor(w, { name: "赵强", phone: "13700000000" });
    await w.outbox.drain();
    expect((await rowsOf(w)).find((r) => r.recipientId === b)).toMatchObject({
      status: "suppressed",
      suppressedReason: "invalid_address",
    });
    gw.state.answer = () =>
      answer(400, { code: "TEMPLATE_PARAMS_MISMATCH", message: "template params mismatch" });
    await w.outbox.enqueue([careMessage("sms", c, "13700000000")]);
    await w.outbox.drain();
    const dead = (await rowsOf(w)).find((r) => r.recipientId === c)!;
    expect(dead.status).toBe("dead");
    expect(dead.error).toContain("TEMPLATE_PARAMS_MISMATCH: template params mismatch");

    gw.state.answer = () => answer(503, { message: "maintenance" });
    const d = await addDoctor(w, { name: "孙丽", phone: "13600000000" });
    await w.outbox.enqueue([careMessage("sms", d, "13600000000")]);
    await w.outbox.drain();
    expect((await rowsOf(w)).find((r) => r.recipientId === d)!.status).toBe("retrying");
  });

  it("holds a text due at 22:00 to 08:00 only while still its occasion day, else expires it", async () => {
    await setup("2026-09-25T14:00:00Z"); // 22:00 in Shanghai
    const id = await addDoctor(w, { name: "张伟", phone: "13800138000" });
    const today21 = new Date("2026-09-25T13:00:00Z"); // the occasion day's 21:00
    const todayEnd = new Date("2026-09-25T16:00:00Z"); // the occasion day's midnight
    const tomorrow21 = new Date("2026-09-26T13:00:00Z"); // tomorrow is the occasion day
    await w.outbox.enqueue([
      careMessage("sms", id, "13800138000", { dedupeKey: "care:today21", expiresAt: today21 }),
      careMessage("sms", id, "13800138000", { dedupeKey: "care:todayEnd", expiresAt: todayEnd }),
      careMessage("sms", id, "13800138000", { dedupeKey: "care:tomorrow", expiresAt: tomorrow21 }),
    ]);
    await w.outbox.drain();
    const byKey = async () => new Map((await rowsOf(w)).map((r) => [r.dedupeKey, r]));
    let rows = await byKey();
    expect(rows.get("care:today21")!.status).toBe("expired");
    expect(rows.get("care:todayEnd")!.status).toBe("expired");
    expect(rows.get("care:tomorrow")).toMatchObject({
      status: "pending",
      notBefore: "2026-09-26T00:00:00.000Z",
    });
    w.clock.t = Date.parse("2026-09-25T23:59:00Z"); // 07:59
    await w.outbox.drain();
    expect(gw.calls).toHaveLength(0);
    w.clock.t = Date.parse("2026-09-26T00:00:00Z"); // 08:00
    await w.outbox.drain();
    rows = await byKey();
    expect(rows.get("care:tomorrow")!.status).toBe("sent");
    expect(gw.calls).toHaveLength(1);
  });

  it("退订 through the inbound hook withdraws SMS consent; the next send is suppressed as withdrawn", async () => {
    await setup();
    const a = await addDoctor(w, { name: "张伟", phone: "+86 138-0013-8000" });
    const b = await addDoctor(w, { name: "张伟", phone: "13800138000" }); // a duplicate record
    const other = await addDoctor(w, { name: "李娜", phone: "13900000000" });
    expect((await hook({ phone: "13800138000", text: "退订" }, "wrong")).status).toBe(401);
    expect((await hook({ phone: "13800138000", text: "退订" }, null)).status).toBe(401);
    expect((await customerOf(w, a))!.smsConsent).toBe("granted");

    const hello = await hook({ phone: "13800138000", text: "谢谢王经理" });
    expect(await hello.json()).toEqual({ withdrawn: 0 });
    const res = await hook({ phone: "+8613800138000", text: " 退订 " });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ withdrawn: 2 });
    for (const id of [a, b]) {
      expect((await customerOf(w, id))!).toMatchObject({ smsConsent: "withdrawn", emailConsent: "granted" });
      expect((await ledgerOf(w, id)).filter((e) => e.state === "withdrawn")).toMatchObject([
        { channel: "sms", by: "customer", method: "sms_reply", evidence: " 退订 " },
      ]);
    }
    expect((await customerOf(w, other))!.smsConsent).toBe("granted");

    await w.outbox.enqueue([careMessage("sms", a, "13800138000"), careMessage("sms", other, "13900000000")]);
    await w.outbox.drain();
    const rows = await rowsOf(w);
    expect(rows.find((r) => r.recipientId === a)).toMatchObject({
      status: "suppressed",
      suppressedReason: "withdrawn",
    });
    expect(rows.find((r) => r.recipientId === other)!.status).toBe("sent");
    expect(gw.calls.map((c) => c.body.phone)).toEqual(["13900000000"]);
  });

  it("accepts a form body with ?secret=", async () => {
    await setup();
    const a = await addDoctor(w, { name: "张伟", phone: "13800138000" });
    const res = await fetch(`${w.url}/hooks/sms-inbound?secret=${HOOK_SECRET}`, {
      method: "POST",
      body: new URLSearchParams({ phone: "13800138000", text: "TD" }),
    });
    expect(await res.json()).toEqual({ withdrawn: 1 });
    expect((await customerOf(w, a))!.smsConsent).toBe("withdrawn");
  });

  it("SMS_PROVIDER=log writes one JSON file per message", async () => {
    w = await startWorld({ SMS_SIGNATURE: "某某医药" }, (c) => [smsChannel(c)]);
    const id = await addDoctor(w, { name: "张伟", phone: "13800138000" });
    await w.outbox.enqueue([careMessage("sms", id, "13800138000")]);
    await w.outbox.drain();
    const [row] = await rowsOf(w);
    expect(row.status).toBe("sent");
    const file = join(w.config.dataDir, "outbox", `${row.id}.sms.json`);
    expect(existsSync(file)).toBe(true);
    const logged = JSON.parse(readFileSync(file, "utf8"));
    expect(logged).toMatchObject({ requestId: row.id, phone: "13800138000", signature: "【某某医药】" });
    expect(logged.text).toMatch(/^【某某医药】.*拒收请回复R$/);
  });
});
