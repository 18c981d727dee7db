import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, nowIso } from "../../../src/db/ids";
import {
  alerts,
  auditLog,
  consentEvents,
  coverage,
  customers,
  outbox,
  ownershipChanges,
  segments,
  stockLines,
  stockReports,
  visitPlans,
  visits,
} from "../../../src/db/schema";
import { createUser } from "../../helpers/app";
import { type ChurnServer, churnFixtures, startChurnServer } from "../../helpers/churn-app";

let server: ChurnServer;
let admin: { id: string; token: string };
let manager: { id: string; token: string };
let rep: { id: string; token: string };
let customerId: string;
let productId: string;

const PERSON = {
  name: "张晓梅",
  phone: "13912345678",
  email: "zhang.xiaomei@example.cn",
  address: "上海市徐汇区漕溪北路88号",
  birthday: "1975-04-18",
  title: "主任医师",
  preferences: "喜欢早上拜访",
};

const outboxRow = (fields: Partial<typeof outbox.$inferInsert>) =>
  server.database.db.insert(outbox).values({
    id: newId(),
    channel: "sms",
    recipientType: "customer",
    recipientId: customerId,
    template: "care_greeting",
    locale: "zh-CN",
    data: { name: PERSON.name },
    dedupeKey: newId(),
    status: "pending",
    notBefore: nowIso(),
    createdAt: nowIso(),
    ...fields,
  });

/** A customer with a row in every table that can hold something about them. */
const buildWorld = async () => {
  const fx = churnFixtures(server.database);
  const { db } = server.database;
  const created = await server.request("POST", "/api/customers", admin.token, {
    kind: "doctor",
    ownerId: rep.id,
    ...PERSON,
    consent: {
      sms: { state: "granted", method: "paper_form", evidence: `签字表 ${PERSON.name} ${PERSON.phone}` },
    },
  });
  expect(created.status).toBe(201);
  customerId = created.body.id;
  const patched = await server.request("PATCH", `/api/customers/${customerId}`, admin.token, {
    email: PERSON.email,
    consent: { email: { state: "granted", method: "verbal", evidence: `电话确认 ${PERSON.email}` } },
  });
  expect(patched.status).toBe(200);
  await fx.purchase(customerId, "2026-01-10", 5);
  productId = (await db.select({ id: sql<string>`id` }).from(sql`products`).get())!.id;
  const visit = await server.request("POST", "/api/visits", rep.token, {
    customerId,
    date: "2026-03-10",
    rating: 5,
    productIds: [productId],
    notes: `与${PERSON.name}聊了新方案，她的手机 ${PERSON.phone}`,
    keyMessage: "疗效",
  });
  expect(visit.status).toBe(201);
  const at = nowIso();
  await db
    .insert(segments)
    .values({ customerId, productId, usage: 2, potential: 3, updatedAt: at, updatedBy: rep.id });
  await db.insert(coverage).values({ customerId, productId, listed: true, updatedAt: at, updatedBy: rep.id });
  await db.insert(visitPlans).values({
    id: newId(),
    repId: rep.id,
    customerId,
    date: "2026-03-21",
    slot: "am",
    purpose: `给${PERSON.name}送资料`,
    createdAt: at,
    updatedAt: at,
  });
  const reportId = newId();
  await db
    .insert(stockReports)
    .values({ id: reportId, repId: rep.id, customerId, date: "2026-03-01", createdAt: at });
  await db.insert(stockLines).values({ id: newId(), reportId, productId, quantity: 3 });
  await db.insert(ownershipChanges).values({
    id: newId(),
    customerId,
    fromUserId: rep.id,
    toUserId: rep.id,
    mode: "proxy",
    startOn: "2026-02-01",
    until: "2026-02-10",
    by: admin.id,
    createdAt: at,
  });
  await db.insert(alerts).values({
    id: newId(),
    type: "churn_overdue",
    customerId,
    repId: rep.id,
    severity: "warn",
    openedAt: at,
    openedOn: "2026-03-01",
    data: { lastPurchase: "2026-01-10" },
    updatedAt: at,
  });
  await outboxRow({ address: PERSON.phone });
  await outboxRow({ status: "sent", address: PERSON.phone });
  await outboxRow({
    channel: "console",
    recipientType: "user",
    recipientId: rep.id,
    template: "churn_alert",
    data: { customerId, customerName: PERSON.name },
  });
};

beforeEach(async () => {
  server = await startChurnServer(() => new Date("2026-03-20T02:00:00Z"));
  admin = await createUser(server.database, { name: "管理员", role: "admin" });
  manager = await createUser(server.database, { name: "经理", role: "manager" });
  rep = await createUser(server.database, { name: "代表", role: "rep", managerId: manager.id });
  await buildWorld();
});
afterEach(() => server.close());

describe("customer export", () => {
  it("returns the customer's rows from every table", async () => {
    const res = await server.request("GET", `/api/customers/${customerId}/export`, manager.token);
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.customer).toMatchObject({ id: customerId, ...PERSON });
    expect(doc.consent.map((c: { channel: string }) => c.channel).sort()).toEqual(["email", "sms"]);
    expect(doc.ownershipHistory).toHaveLength(1);
    expect(doc.segments).toHaveLength(1);
    expect(doc.coverage).toHaveLength(1);
    expect(doc.visits).toHaveLength(1);
    expect(doc.visits[0].productIds).toEqual([productId]);
    expect(doc.visitPlans).toHaveLength(1);
    expect(doc.stockReports[0].lines).toHaveLength(1);
    expect(doc.purchases.asBuyer).toHaveLength(1);
    expect(doc.purchases.asSeller).toEqual([]);
    expect(doc.alerts).toHaveLength(1);
    expect(doc.outbox).toHaveLength(2);
    const audited = doc.auditLog.map((a: { entityType: string }) => a.entityType);
    expect(audited).toEqual(expect.arrayContaining(["customer", "visit"]));
  });

  it("is for admins and the owner's managers only", async () => {
    const outsider = await createUser(server.database, { name: "别的经理", role: "manager" });
    const finance = await createUser(server.database, { name: "财务", role: "finance" });
    for (const token of [rep.token, outsider.token, finance.token])
      expect((await server.request("GET", `/api/customers/${customerId}/export`, token)).status).toBe(403);
    expect((await server.request("POST", `/api/customers/${customerId}/erase`, rep.token)).status).toBe(403);
    expect((await server.request("GET", "/api/customers/nope/export", admin.token)).status).toBe(404);
  });
});

describe("customer erasure", () => {
  it("blanks the personal fields everywhere, the audit log included, and keeps the fact", async () => {
    const { db } = server.database;
    const before = JSON.stringify(await db.select().from(auditLog));
    for (const value of [PERSON.name, PERSON.phone, PERSON.email]) expect(before).toContain(value);
    const res = await server.request("POST", `/api/customers/${customerId}/erase`, admin.token);
    expect(res.status).toBe(200);
    expect(res.body.erasedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const c = (await db.select().from(customers).where(eq(customers.id, customerId)).get())!;
    expect(c).toMatchObject({
      phone: null,
      email: null,
      address: null,
      birthday: null,
      title: null,
      preferences: null,
      wecomExternalId: null,
    });
    expect(c.name).toBe(`已删除客户 ${c.code}`);
    expect(c.erasedAt).not.toBeNull();

    const consent = await db.select().from(consentEvents).where(eq(consentEvents.customerId, customerId));
    expect(consent.length).toBe(2);
    expect(consent.every((e) => e.evidence === null)).toBe(true);

    const rows = await db.select().from(outbox);
    expect(rows.every((r) => Object.keys(r.data).length === 0)).toBe(true);
    expect(rows.filter((r) => r.recipientType === "customer").every((r) => r.address === null)).toBe(true);
    expect(rows.filter((r) => r.status === "pending")).toEqual([]);
    expect(rows.filter((r) => r.status === "suppressed").every((r) => r.suppressedReason === "erased")).toBe(
      true,
    );
    expect(rows.filter((r) => r.status === "sent").length).toBeGreaterThan(0);

    const [v] = await db.select().from(visits).where(eq(visits.customerId, customerId));
    expect([v.notes, v.keyMessage, v.competitorInfo]).toEqual([null, null, null]);

    const auditText = JSON.stringify(await db.select().from(auditLog));
    for (const value of [PERSON.name, PERSON.phone, PERSON.email, PERSON.address, PERSON.preferences])
      expect(auditText).not.toContain(value);
    const dbText = JSON.stringify([
      await db.select().from(customers),
      await db.select().from(consentEvents),
      await db.select().from(outbox),
      await db.select().from(visits),
      await db.select().from(visitPlans),
    ]);
    for (const value of [PERSON.name, PERSON.phone, PERSON.email]) expect(dbText).not.toContain(value);

    const erase = await db.select().from(auditLog).where(eq(auditLog.action, "erase"));
    expect(erase).toHaveLength(1);
    expect(erase[0]).toMatchObject({ actorId: admin.id, entityType: "customer", entityId: customerId });
    expect(Object.keys(erase[0].after ?? {})).toEqual(["erasedAt"]);

    const again = await server.request("POST", `/api/customers/${customerId}/erase`, admin.token);
    expect(again.body.erasedAt).toBe(res.body.erasedAt);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "erase"))).toHaveLength(1);
  });
});
