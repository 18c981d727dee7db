import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../src/db/ids";
import {
  auditLog,
  consentEvents,
  coVisits,
  customers,
  outbox,
  visitPlans,
  visits,
} from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import { auditRowsOf, buildHierarchy, expectError, type Hierarchy } from "./fixtures";

/**
 * `GET /api/customers/{id}/export` and `POST /api/customers/{id}/erase` (DOMAIN.md §9).
 * The world: a hospital of repA1 (north) with doctors under it — 张晓梅 (repA1, the
 * subject of most tests), 陈立 (repA1, a bystander) and 赵强 (repB1, south: outside the
 * north manager's scope) — each with the records the erasure is meant to reach.
 */
const NOW = new Date("2026-03-20T02:00:00.000Z");

let server: TestServer;
let h: Hierarchy;
let productId: string;
let hospital: any;
let subject: any;
let bystander: any;
let southern: any;
let subjectVisit: any;
let bystanderVisit: any;

const SUBJECT = {
  name: "张晓梅",
  phone: "13912345678",
  email: "zhang.xiaomei@example.cn",
  address: "上海市徐汇区漕溪北路88号",
  birthday: "1975-04-18",
  title: "主任医师",
  preferences: "喜欢周二早上拜访",
};
const BYSTANDER = { name: "陈立", phone: "13700001111", email: "chen.li@example.cn" };
const SOUTHERN = { name: "赵强", phone: "13655556666", email: "zhao.qiang@example.cn" };

const created = async (res: { status: number; body: any }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const post = (path: string, token: string, body?: unknown) => server.request("POST", path, token, body);
const exportOf = (id: string, token: string) => server.request("GET", `/api/customers/${id}/export`, token);
const erase = (id: string, token: string) => server.request("POST", `/api/customers/${id}/erase`, token);

const outboxRow = async (fields: Partial<typeof outbox.$inferInsert>) => {
  const id = newId();
  await server.database.db.insert(outbox).values({
    id,
    channel: "sms",
    recipientType: "customer",
    recipientId: subject.id,
    template: "care_greeting",
    locale: "zh-CN",
    data: { customerName: SUBJECT.name },
    dedupeKey: `care:${id}`,
    status: "pending",
    notBefore: NOW.toISOString(),
    createdAt: NOW.toISOString(),
    ...fields,
  });
  return id;
};
const outboxById = async (id: string) =>
  (await server.database.db.select().from(outbox).where(eq(outbox.id, id)).get())!;
const customerRow = async (id: string) =>
  (await server.database.db.select().from(customers).where(eq(customers.id, id)).get())!;
/** Every table an erasure touches, as one string to search for leftovers. */
const everything = async () => {
  const { db } = server.database;
  return JSON.stringify([
    await db.select().from(customers),
    await db.select().from(consentEvents),
    await db.select().from(outbox),
    await db.select().from(visits),
    await db.select().from(visitPlans),
    await db.select().from(coVisits),
    await db.select().from(auditLog),
  ]);
};

/** A doctor with consent on both channels, a visit, a plan and a segment, all through the API. */
const doctor = async (ownerToken: string, person: Record<string, string>, consentBy: string) => {
  const c = await created(
    await post("/api/customers", consentBy, {
      kind: "doctor",
      parentId: hospital.id,
      ...person,
      consent: {
        sms: { state: "granted", method: "paper_form", evidence: `签字表 ${person.name} ${person.phone}` },
        email: { state: "granted", method: "verbal", evidence: `电话确认 ${person.email}` },
      },
    }),
  );
  const v = await created(
    await post("/api/visits", ownerToken, {
      customerId: c.id,
      date: "2026-03-10",
      rating: 5,
      productIds: [productId],
      notes: `与${person.name}聊了新方案，她的手机 ${person.phone}`,
      keyMessage: "疗效",
      nextStep: `下周再约${person.name}`,
    }),
  );
  await created(
    await post("/api/visit-plans", ownerToken, {
      customerId: c.id,
      date: "2026-03-24",
      slot: "am",
      purpose: `给${person.name}送资料`,
    }),
  );
  const seg = await server.request("PUT", `/api/customers/${c.id}/segments/${productId}`, ownerToken, {
    usage: 2,
    potential: 3,
  });
  expect(seg.status, JSON.stringify(seg.body)).toBe(200);
  return { customer: c, visit: v };
};

beforeAll(async () => {
  server = await startTestServer({}, { now: () => NOW });
  h = await buildHierarchy(server);
  productId = (await created(await post("/api/products", h.admin.token, { name: "欣泰宁", code: "XTN" }))).id;
  hospital = await created(
    await post("/api/customers", h.admin.token, {
      kind: "hospital",
      name: "瑞金医院",
      ownerId: h.repA1.id,
      phone: "021-64370045",
    }),
  );
  ({ customer: subject, visit: subjectVisit } = await doctor(h.repA1.token, SUBJECT, h.repA1.token));
  await server.request("PATCH", `/api/customers/${subject.id}`, h.repA1.token, {
    address: SUBJECT.address,
    birthday: SUBJECT.birthday,
    title: SUBJECT.title,
    preferences: SUBJECT.preferences,
  });
  ({ customer: bystander, visit: bystanderVisit } = await doctor(h.repA1.token, BYSTANDER, h.repA1.token));
  ({ customer: southern } = await doctor(h.repB1.token, SOUTHERN, h.repB1.token));
  // The manager's co-visit report on the subject's visit names her.
  await created(
    await post(`/api/visits/${subjectVisit.id}/co-visit`, h.districtA.token, {
      score: 4,
      report: `陪同拜访${SUBJECT.name}，代表介绍清楚`,
    }),
  );
});
afterAll(() => server.close());

describe("GET /api/customers/{id}/export", () => {
  it("returns everything held about the customer as a JSON attachment, and nothing of others", async () => {
    const res = await fetch(`${server.url}/api/customers/${subject.id}/export`, {
      headers: { authorization: `Bearer ${h.districtA.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="customer-${subject.id}.json"`);
    const doc: any = await res.json();
    expect(new Date(doc.exportedAt).getTime()).toBe(NOW.getTime());
    expect(doc.customer).toMatchObject({ id: subject.id, kind: "doctor", ...SUBJECT, erasedAt: null });
    expect(doc.consent.map((e: any) => [e.channel, e.state, e.method, e.evidence, e.by]).sort()).toEqual([
      ["email", "granted", "verbal", `电话确认 ${SUBJECT.email}`, h.repA1.id],
      ["sms", "granted", "paper_form", `签字表 ${SUBJECT.name} ${SUBJECT.phone}`, h.repA1.id],
    ]);
    expect(doc.visits.map((v: any) => [v.id, v.productIds, v.notes])).toEqual([
      [subjectVisit.id, [productId], `与${SUBJECT.name}聊了新方案，她的手机 ${SUBJECT.phone}`],
    ]);
    // The manager's note about the visit, not their score of the rep (an employee record).
    expect(doc.visits[0].coVisits).toEqual([
      {
        id: expect.any(String),
        visitId: subjectVisit.id,
        report: `陪同拜访${SUBJECT.name}，代表介绍清楚`,
        createdAt: expect.any(String),
      },
    ]);
    const coVisitCopies = doc.auditLog.filter((a: any) => a.entityType === "co_visit");
    expect(coVisitCopies).toHaveLength(1);
    expect(coVisitCopies[0].after).not.toHaveProperty("score");
    expect(coVisitCopies[0].after).not.toHaveProperty("managerId");
    expect(coVisitCopies[0].after.report).toContain("代表介绍清楚");
    expect(doc.visitPlans.map((p: any) => p.purpose)).toEqual([`给${SUBJECT.name}送资料`]);
    expect(doc.segments).toMatchObject([{ customerId: subject.id, productId, usage: 2, potential: 3 }]);
    expect(doc.purchases).toEqual({ asBuyer: [], asSeller: [] });
    expect(doc.auditLog.length).toBeGreaterThan(0);
    const text = JSON.stringify(doc);
    for (const other of [BYSTANDER, SOUTHERN])
      for (const value of Object.values(other)) expect(text.includes(value), `${value} left`).toBe(false);
  });

  it("gives a manager no personal data of a customer outside their scope through the audit copies", async () => {
    // The hospital is the north team's; 赵强 under it is the south team's.
    const res = await exportOf(hospital.id, h.districtA.token);
    expect(res.status).toBe(200);
    expect(res.body.customer.id).toBe(hospital.id);
    expect((await exportOf(southern.id, h.districtA.token)).status).toBe(403);
    const text = JSON.stringify(res.body);
    for (const value of [SOUTHERN.phone, SOUTHERN.email, `签字表 ${SOUTHERN.name}`])
      expect(text.includes(value), `${value} left`).toBe(false);
  });

  it("is for admins and the owner's managers up the hierarchy; 404 for an unknown customer", async () => {
    for (const token of [h.admin.token, h.regional.token, h.districtA.token])
      expect((await exportOf(subject.id, token)).status).toBe(200);
    for (const token of [h.districtB.token, h.finance.token, h.repA1.token, h.repA2.token])
      expectError(await exportOf(subject.id, token), 403, "forbidden");
    expectError(await exportOf("no-such-customer", h.admin.token), 404, "not_found");
    expectError(await exportOf("no-such-customer", h.districtA.token), 404, "not_found");
    expect((await server.request("GET", `/api/customers/${subject.id}/export`)).status).toBe(401);
  });
});

describe("POST /api/customers/{id}/erase", () => {
  it("refuses anyone but an admin or the owner's managers, writing nothing", async () => {
    const before = await everything();
    for (const token of [h.districtB.token, h.finance.token, h.repA1.token])
      expectError(await erase(subject.id, token), 403, "forbidden");
    expectError(await erase("no-such-customer", h.admin.token), 404, "not_found");
    expect(await everything()).toBe(before);
    expect((await customerRow(subject.id)).erasedAt).toBeNull();
  });

  it("blanks the customer's personal data everywhere, keeps the facts, and audits who and when", async () => {
    const pending = await outboxRow({ address: SUBJECT.phone });
    const sent = await outboxRow({ status: "sent", address: SUBJECT.phone, sentAt: NOW.toISOString() });
    const toRep = await outboxRow({
      channel: "console",
      recipientType: "user",
      recipientId: h.repA1.id,
      template: "churn_alert",
      data: { customerId: subject.id, customerName: SUBJECT.name },
    });
    const toBystander = await outboxRow({
      recipientId: bystander.id,
      address: BYSTANDER.phone,
      data: { customerName: BYSTANDER.name },
    });
    const ledgerBefore = await server.database.db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.customerId, subject.id));

    const res = await erase(subject.id, h.districtA.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: subject.id, erasedAt: NOW.toISOString() });

    const row = await customerRow(subject.id);
    expect(row).toMatchObject({
      name: `已删除客户 ${subject.code}`,
      phone: null,
      email: null,
      address: null,
      birthday: null,
      title: null,
      preferences: null,
      wecomExternalId: null,
      erasedAt: NOW.toISOString(),
      ownerId: h.repA1.id,
      parentId: hospital.id,
    });
    const read = await server.request("GET", `/api/customers/${subject.id}`, h.admin.token);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: `已删除客户 ${subject.code}`, phone: null, email: null });

    // The ledger keeps the facts (channel, state, when, by whom, how), not the evidence.
    const ledger = await server.database.db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.customerId, subject.id));
    expect(ledger).toEqual(ledgerBefore.map((e) => ({ ...e, evidence: null })));

    expect(await outboxById(pending)).toMatchObject({
      status: "suppressed",
      suppressedReason: "erased",
      address: null,
      data: {},
    });
    expect(await outboxById(sent)).toMatchObject({ status: "sent", address: null, data: {} });
    // The rep's alert naming her is not sent with its data gone: suppressed too.
    expect(await outboxById(toRep)).toMatchObject({
      status: "suppressed",
      suppressedReason: "erased",
      data: {},
    });
    expect(await outboxById(toBystander)).toMatchObject({
      status: "pending",
      address: BYSTANDER.phone,
      data: { customerName: BYSTANDER.name },
    });

    const [v] = await server.database.db.select().from(visits).where(eq(visits.customerId, subject.id));
    expect(v).toMatchObject({ notes: null, keyMessage: null, nextStep: null, rating: 5, repId: h.repA1.id });
    const [b] = await server.database.db.select().from(visits).where(eq(visits.id, bystanderVisit.id));
    expect(b.notes).toBe(`与${BYSTANDER.name}聊了新方案，她的手机 ${BYSTANDER.phone}`);
    const [plan] = await server.database.db
      .select()
      .from(visitPlans)
      .where(eq(visitPlans.customerId, subject.id));
    expect(plan.purpose).toBeNull();

    // Nowhere left: customer, ledger, outbox, visits, plans, co-visit reports, audit copies.
    const text = await everything();
    for (const value of [SUBJECT.name, SUBJECT.phone, SUBJECT.email, SUBJECT.address, SUBJECT.preferences])
      expect(text.includes(value), `${value} left`).toBe(false);
    // Other customers' data beside hers survives.
    for (const value of Object.values(BYSTANDER)) expect(text.includes(value), `${value} lost`).toBe(true);
    const [coVisit] = await server.database.db
      .select()
      .from(coVisits)
      .where(eq(coVisits.visitId, subjectVisit.id));
    expect(coVisit).toMatchObject({ score: 4, managerId: h.districtA.id });
    expect(coVisit.report).toContain("代表介绍清楚");

    const erased = (await auditRowsOf(server, "customer", subject.id)).filter((a) => a.action === "erase");
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({
      actorId: h.districtA.id,
      via: "api",
      before: null,
      after: { erasedAt: NOW.toISOString() },
    });
  });

  it("is idempotent: erasing again answers the first erasure and changes nothing", async () => {
    const before = await everything();
    const again = await erase(subject.id, h.admin.token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: subject.id, erasedAt: NOW.toISOString() });
    expect(await everything()).toBe(before);
  });

  it("exports an erased customer without any of the erased data", async () => {
    const res = await exportOf(subject.id, h.admin.token);
    expect(res.status).toBe(200);
    expect(res.body.customer.erasedAt).toBe(NOW.toISOString());
    const text = JSON.stringify(res.body);
    for (const value of [SUBJECT.name, SUBJECT.phone, SUBJECT.email, SUBJECT.address])
      expect(text.includes(value), `${value} left`).toBe(false);
  });

  it("erasing a hospital keeps the data of the doctors under it", async () => {
    const res = await erase(hospital.id, h.admin.token);
    expect(res.status).toBe(200);
    expect((await customerRow(hospital.id)).phone).toBeNull();
    expect(await customerRow(bystander.id)).toMatchObject(BYSTANDER);
    expect(await customerRow(southern.id)).toMatchObject(SOUTHERN);
    const created = (await auditRowsOf(server, "customer", southern.id)).find((a) => a.action === "create")!;
    expect(created.after).toMatchObject({
      name: SOUTHERN.name,
      phone: SOUTHERN.phone,
      parentId: hospital.id,
    });
    expect(JSON.stringify(await auditRowsOf(server, "customer", hospital.id))).not.toContain("021-64370045");
  });
});
