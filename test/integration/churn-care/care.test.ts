import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../../src/db/ids";
import { outbox } from "../../../src/db/schema";
import { createCareService, type DueGreeting } from "../../../src/services/care";
import { createPrivacyService } from "../../../src/services/privacy";
import { createUser } from "../../helpers/app";
import { type ChurnServer, churnFixtures, startChurnServer } from "../../helpers/churn-app";

let server: ChurnServer;
let fx: ReturnType<typeof churnFixtures>;
let rep: { id: string };

const care = () => createCareService(server.services);
const granted = { smsConsent: "granted" as const, phone: "13800138000" };
const doctor = (name: string, fields = {}) =>
  fx.customer({ kind: "doctor", name, ownerId: rep.id, ...granted, ...fields });
const find = (list: DueGreeting[], id: string) => list.find((g) => g.customer.id === id);

/** A care greeting already queued or sent on a day (Shanghai 09:00). */
const careRow = (customerId: string, date: string, status: "sent" | "pending" | "dead" = "sent") =>
  server.database.db.insert(outbox).values({
    id: newId(),
    channel: "sms",
    recipientType: "customer",
    recipientId: customerId,
    template: "care_greeting",
    locale: "zh-CN",
    data: {},
    dedupeKey: `care:${customerId}:${date}:sms:${customerId}`,
    status,
    notBefore: new Date(`${date}T01:00:00Z`).toISOString(),
    createdAt: new Date(`${date}T00:00:00Z`).toISOString(),
  });

beforeEach(async () => {
  server = await startChurnServer(() => new Date("2026-09-20T02:00:00Z"));
  rep = await createUser(server.database, { name: "代表", role: "rep" });
  fx = churnFixtures(server.database);
});
afterEach(() => server.close());

describe("dueGreetings", () => {
  it("greets a 29 February birthday on 28 February 2027", async () => {
    const leapling = await doctor("闰日医生", { birthday: "1980-02-29" });
    const march = await doctor("三月医生", { birthday: "03-01" });
    const due = await care().dueGreetings("2027-02-28");
    expect(due).toEqual([
      {
        customer: {
          id: leapling,
          name: "闰日医生",
          title: null,
          kind: "doctor",
          ownerId: rep.id,
          locale: "zh-CN",
        },
        occasions: ["birthday"],
        channel: "sms",
      },
    ]);
    expect(find(await care().dueGreetings("2027-03-01"), march)?.occasions).toEqual(["birthday"]);
    expect(find(await care().dueGreetings("2027-03-01"), leapling)).toBeUndefined();
  });

  it("finds 中秋 on 2026-09-25 through the lunar calendar, sharing one message with a birthday", async () => {
    const both = await doctor("双喜医生", { birthday: "09-25" });
    const due = await care().dueGreetings("2026-09-25");
    expect(find(due, both)).toMatchObject({ occasions: ["birthday", "mid_autumn"], channel: "sms" });
    expect(due.filter((g) => g.customer.id === both)).toHaveLength(1);
  });

  it("greets only doctors on Doctors' Day and only nurses on Nurses' Day", async () => {
    const doc = await doctor("李医生");
    const nurse = await fx.customer({
      kind: "doctor",
      name: "王护士长",
      title: "护士长",
      ownerId: rep.id,
      ...granted,
    });
    const store = await fx.customer({ kind: "pharmacy", name: "药店", ownerId: rep.id, ...granted });
    const doctorsDay = await care().dueGreetings("2026-08-19");
    expect(find(doctorsDay, doc)?.occasions).toEqual(["doctors_day"]);
    expect(find(doctorsDay, store)).toBeUndefined();
    const nursesDay = await care().dueGreetings("2026-05-12");
    expect(nursesDay.map((g) => g.customer.id)).toEqual([nurse]);
  });

  it("falls back to the other consented channel and says why others are suppressed", async () => {
    const fallback = await doctor("短信医生", { preferredChannel: "email" });
    const emailOk = await doctor("邮件医生", {
      preferredChannel: "email",
      emailConsent: "granted",
      email: "doc@example.cn",
    });
    const withdrawn = await doctor("退订医生", { smsConsent: "withdrawn" });
    const none = await doctor("未同意医生", { smsConsent: "none" });
    const due = await care().dueGreetings("2026-10-01");
    expect(find(due, fallback)).toMatchObject({ channel: "sms" });
    expect(find(due, emailOk)).toMatchObject({ channel: "email" });
    expect(find(due, withdrawn)).toMatchObject({ suppressed: "withdrawn", occasions: ["national_day"] });
    expect(find(due, none)).toMatchObject({ suppressed: "no_consent" });
  });

  it("stops at the monthly cap of 2; failed sends and last month do not count", async () => {
    const capped = await doctor("满额医生", { birthday: "10-20" });
    const room = await doctor("还能发医生", { birthday: "10-20" });
    const sameDay = await doctor("当天已发医生", { birthday: "10-20" });
    await careRow(capped, "2026-10-02");
    await careRow(capped, "2026-10-03", "pending");
    await careRow(room, "2026-10-02");
    await careRow(room, "2026-10-03", "dead");
    await careRow(room, "2026-09-30");
    await careRow(sameDay, "2026-10-20");
    const due = await care().dueGreetings("2026-10-20");
    expect(find(due, capped)).toMatchObject({ suppressed: "cap_reached" });
    expect(find(due, room)).toMatchObject({ channel: "sms" });
    expect(find(due, sameDay)).toMatchObject({ suppressed: "cap_reached" });
  });

  it("honours a rep's skip for that date only", async () => {
    const c = await doctor("不发医生", { birthday: "11-11" });
    const result = await care().skip(c, "2026-11-11", rep.id);
    expect(result.ok).toBe(true);
    expect((await care().skip(c, "2026-11-11", rep.id)).ok).toBe(true);
    expect(find(await care().dueGreetings("2026-11-11"), c)).toMatchObject({ suppressed: "skipped_by_rep" });
    expect((await care().skip("nope", "2026-11-11", rep.id)).ok).toBe(false);
  });

  it("suppresses an erased customer", async () => {
    const c = await doctor("删除医生");
    await createPrivacyService(server.services).eraseCustomer(c, { id: rep.id, role: "admin", via: "api" });
    expect(find(await care().dueGreetings("2026-10-01"), c)).toMatchObject({ suppressed: "erased" });
  });
});

describe("greetingsToSend", () => {
  it("is exactly dueGreetings' greetings that go out, with where each goes, though it reads only consented customers", async () => {
    const sms = await doctor("短信医生", { timezone: "Asia/Urumqi" });
    const email = await doctor("邮件医生", {
      smsConsent: "none",
      emailConsent: "granted",
      email: "doc@example.cn",
    });
    const fallback = await doctor("回退医生", {
      preferredChannel: "email",
      emailConsent: "granted",
      email: "not-an-address",
    });
    const suppressed = [
      await doctor("退订医生", { smsConsent: "withdrawn" }),
      await doctor("未同意医生", { smsConsent: "none" }),
      await doctor("座机医生", { phone: "010-12345678" }),
      await doctor("满额医生"),
      await doctor("不发医生"),
      await doctor("删除医生"),
    ];
    const [, , , capped, skipped, erased] = suppressed;
    await careRow(capped, "2026-10-01", "pending");
    await care().skip(skipped, "2026-10-01", rep.id);
    await createPrivacyService(server.services).eraseCustomer(erased, {
      id: rep.id,
      role: "admin",
      via: "api",
    });
    await doctor("停用医生", { active: false });

    const due = await care().dueGreetings("2026-10-01");
    const toSend = await care().greetingsToSend("2026-10-01");
    expect(toSend.map(({ address: _a, timezone: _t, ...g }) => g)).toEqual(due.filter((g) => "channel" in g));
    expect(toSend.map((g) => [g.customer.id, g.channel, g.address, g.timezone])).toEqual(
      expect.arrayContaining([
        [sms, "sms", "13800138000", "Asia/Urumqi"],
        [email, "email", "doc@example.cn", null],
        [fallback, "sms", "13800138000", null],
      ]),
    );
    expect(toSend).toHaveLength(3);
    for (const id of suppressed) expect(find(due, id)).toHaveProperty("suppressed");
  });
});
