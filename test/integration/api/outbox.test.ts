import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../src/db/ids";
import { outbox } from "../../../src/db/schema";
import type { OutboxMessage } from "../../../src/notify/types";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  SHANGHAI_INSTANT,
  walkPages,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;
let custA1: any; // owned by repA1
let custB1: any; // owned by repB1
/** The app's clock: the outbox stamps enqueued rows with it. */
let clock = new Date("2026-03-01T20:00:00Z");
/** Outbox ids by fixture name; `bulk` are the 23 reminders to repA2. */
const m: Record<string, string> = {};
let bulk: string[] = [];

/** The `data` of one message, as rich as a job's: nesting, unicode, numbers, null, booleans. */
const PLAN_DATA = {
  date: "2026-03-02",
  count: 3,
  ratio: 0.25,
  kol: true,
  none: null,
  customers: [{ id: "c-1", name: "华山医院 张医生" }],
  note: '引号"与\\反斜杠 😀',
  nested: { deep: { list: [1, "2", false] } },
};
const PHONE = "13800138000";

/** Queues through the app's outbox at `at` (the real enqueue path) and returns the new row's id. */
const enqueue = async (at: string, message: Omit<OutboxMessage, "locale"> & { locale?: string }) => {
  clock = new Date(at);
  await server.composition.outbox.enqueue([{ locale: "zh-CN", ...message }]);
  const res = await server.request(
    "GET",
    `/api/outbox?limit=500&recipientId=${message.recipientId}`,
    h.admin.token,
  );
  const row = (res.body.items as any[]).find((i) => i.dedupeKey === message.dedupeKey);
  expect(row, message.dedupeKey).toBeDefined();
  return row.id as string;
};

/** A row in a later state (sent, dead, suppressed…), written as the worker would leave it. */
const stored = async (fields: Partial<typeof outbox.$inferInsert> & { createdAt: string }) => {
  const id = newId();
  await server.database.db.insert(outbox).values({
    id,
    channel: "console",
    recipientType: "user",
    recipientId: h.admin.id,
    template: "test",
    locale: "zh-CN",
    data: {},
    dedupeKey: `test:${id}`,
    status: "pending",
    notBefore: fields.createdAt,
    ...fields,
  });
  return id;
};

const list = async (query: string, token = h.admin.token) => {
  const res = await server.request("GET", `/api/outbox?limit=500&${query}`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as any[];
};
const ids = (items: any[]) => items.map((i) => i.id).sort();
const named = (...names: string[]) => names.map((n) => m[n]).sort();
const allIds = () => [...Object.values(m), ...bulk].sort();

beforeAll(async () => {
  server = await startTestServer({}, { now: () => clock });
  h = await buildHierarchy(server);
  const customer = async (token: string, name: string) => {
    const res = await server.request("POST", "/api/customers", token, { kind: "doctor", name });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  custA1 = await customer(h.repA1.token, "张医生");
  custB1 = await customer(h.repB1.token, "李医生");

  // 2026-03-02 04:00 in Shanghai, still 1 March in UTC.
  m.planA1 = await enqueue("2026-03-01T20:00:00Z", {
    channel: "console",
    recipientType: "user",
    recipientId: h.repA1.id,
    template: "daily_plan",
    data: PLAN_DATA,
    dedupeKey: `daily-plan:${h.repA1.id}:2026-03-02:console:${h.repA1.id}`,
  });
  m.planB1 = await enqueue("2026-03-02T10:00:00Z", {
    channel: "console",
    recipientType: "user",
    recipientId: h.repB1.id,
    template: "daily_plan",
    locale: "en",
    data: { date: "2026-03-02", count: 0 },
    dedupeKey: `daily-plan:${h.repB1.id}:2026-03-02:console:${h.repB1.id}`,
    notBefore: new Date("2026-03-02T23:30:00Z"),
  });
  m.approvalDistA = await stored({
    channel: "slack",
    recipientId: h.districtA.id,
    template: "approval_request",
    data: { ref: "E42", amountCny: 1200.5 },
    status: "sent",
    attempts: 1,
    createdAt: "2026-03-03T01:00:00.000Z",
    sentAt: "2026-03-03T01:00:05.123Z",
  });
  // 2026-03-04 00:30 in Shanghai, still 3 March in UTC.
  m.careA1 = await stored({
    channel: "sms",
    recipientType: "customer",
    recipientId: custA1.id,
    address: PHONE,
    template: "care_greeting",
    status: "suppressed",
    suppressedReason: "no_consent",
    createdAt: "2026-03-03T16:30:00.000Z",
  });
  m.careB1 = await stored({
    channel: "email",
    recipientType: "customer",
    recipientId: custB1.id,
    address: "li@example.com",
    template: "care_greeting",
    status: "dead",
    attempts: 5,
    error: "550 5.1.1 mailbox unavailable",
    createdAt: "2026-03-04T02:00:00.000Z",
    expiresAt: "2026-03-04T13:00:00.000Z",
  });
  m.churnAdmin = await stored({
    template: "churn_alert",
    status: "retrying",
    attempts: 2,
    error: "timeout",
    createdAt: "2026-03-05T02:00:00.000Z",
  });
  m.digestRegional = await stored({
    channel: "wecom",
    recipientId: h.regional.id,
    template: "manager_digest",
    status: "expired",
    createdAt: "2026-03-05T03:00:00.000Z",
  });
  clock = new Date("2026-03-06T01:00:00Z");
  await server.composition.outbox.enqueue(
    Array.from({ length: 23 }, (_, i) => ({
      channel: "console" as const,
      recipientType: "user" as const,
      recipientId: h.repA2.id,
      template: "follow_up_reminder",
      locale: "zh-CN",
      data: { n: i },
      dedupeKey: `follow-up:v${i}:2026-03-06:am:console:${h.repA2.id}`,
    })),
  );
  bulk = ids(await list(`recipientId=${h.repA2.id}`));
  expect(bulk).toHaveLength(23);
});
afterAll(() => server.close());

describe("outbox: reading one message", () => {
  it("answers the CONTRACT fields, data as queued and instants in the company's offset", async () => {
    const res = await server.request("GET", `/api/outbox/${m.planA1}`, h.admin.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: m.planA1,
      channel: "console",
      recipientType: "user",
      recipientId: h.repA1.id,
      template: "daily_plan",
      locale: "zh-CN",
      data: PLAN_DATA,
      dedupeKey: `daily-plan:${h.repA1.id}:2026-03-02:console:${h.repA1.id}`,
      status: "pending",
      attempts: 0,
      notBefore: "2026-03-02T04:00:00+08:00",
      expiresAt: null,
      createdAt: "2026-03-02T04:00:00+08:00",
      sentAt: null,
      error: null,
      suppressedReason: null,
    });
  });

  it("shows what happened to a message: sent, dead, suppressed", async () => {
    const sent = (await server.request("GET", `/api/outbox/${m.approvalDistA}`, h.admin.token)).body;
    expect(sent).toMatchObject({
      status: "sent",
      attempts: 1,
      data: { ref: "E42", amountCny: 1200.5 },
      createdAt: "2026-03-03T09:00:00+08:00",
      sentAt: "2026-03-03T09:00:05+08:00",
    });
    const dead = (await server.request("GET", `/api/outbox/${m.careB1}`, h.admin.token)).body;
    expect(dead).toMatchObject({
      status: "dead",
      attempts: 5,
      error: "550 5.1.1 mailbox unavailable",
      expiresAt: "2026-03-04T21:00:00+08:00",
    });
    const suppressed = (await server.request("GET", `/api/outbox/${m.careA1}`, h.admin.token)).body;
    expect(suppressed).toMatchObject({ status: "suppressed", suppressedReason: "no_consent" });
  });

  it("never shows the address a message went to", async () => {
    const one = await server.request("GET", `/api/outbox/${m.careA1}`, h.admin.token);
    expect(one.body).not.toHaveProperty("address");
    expect(JSON.stringify(one.body)).not.toContain(PHONE);
    const page = await list("channel=sms");
    expect(page.map((i) => i.id)).toEqual([m.careA1]);
    expect(page[0]).not.toHaveProperty("address");
    expect(JSON.stringify(page)).not.toContain(PHONE);
  });

  it("answers 404 for a message that does not exist", async () => {
    expectError(await server.request("GET", "/api/outbox/nope", h.admin.token), 404, "not_found");
  });
});

describe("outbox: who may read what", () => {
  it("answers 401 without a token", async () => {
    expectError(await server.request("GET", "/api/outbox"), 401, "unauthorized");
    expectError(await server.request("GET", `/api/outbox/${m.planA1}`), 401, "unauthorized");
  });

  it("shows admin and finance every message", async () => {
    expect(ids((await walkPages(server, "/api/outbox", h.admin.token, 500)).items)).toEqual(allIds());
    expect(ids((await walkPages(server, "/api/outbox", h.finance.token, 500)).items)).toEqual(allIds());
  });

  it("shows a rep the messages to them and to the customers they own", async () => {
    expect(ids(await list("", h.repA1.token))).toEqual(named("planA1", "careA1"));
    expect(ids(await list("", h.repB1.token))).toEqual(named("planB1", "careB1"));
    expect(ids(await list("", h.repA2.token))).toEqual(bulk);
  });

  it("shows a district manager messages to their team and their team's customers", async () => {
    expect(ids(await list("", h.districtA.token))).toEqual(
      [...named("planA1", "approvalDistA", "careA1"), ...bulk].sort(),
    );
    expect(ids(await list("", h.districtB.token))).toEqual(named("planB1", "careB1"));
  });

  it("shows the regional manager both districts and themself, not the admin's messages", async () => {
    expect(ids(await list("", h.regional.token))).toEqual(allIds().filter((id) => id !== m.churnAdmin));
  });

  it("hides a message outside the caller's scope as not found", async () => {
    expectError(await server.request("GET", `/api/outbox/${m.planB1}`, h.repA1.token), 404, "not_found");
    expectError(await server.request("GET", `/api/outbox/${m.careB1}`, h.districtA.token), 404, "not_found");
    expectError(
      await server.request("GET", `/api/outbox/${m.churnAdmin}`, h.regional.token),
      404,
      "not_found",
    );
    expectError(await server.request("GET", `/api/outbox/${m.planA1}`, h.repA2.token), 404, "not_found");
  });

  it("lets the owner rep and their manager read a message to the owner's customer", async () => {
    for (const token of [h.repA1.token, h.districtA.token, h.regional.token]) {
      const res = await server.request("GET", `/api/outbox/${m.careA1}`, token);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(m.careA1);
    }
  });

  it("is read-only: no POST, PATCH or DELETE", async () => {
    const before = (await server.database.db.select().from(outbox)).length;
    for (const [method, path] of [
      ["POST", "/api/outbox"],
      ["PATCH", `/api/outbox/${m.planA1}`],
      ["DELETE", `/api/outbox/${m.planA1}`],
    ] as const) {
      const res = await server.request(method, path, h.admin.token, { status: "sent" });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await server.database.db.select().from(outbox)).length).toBe(before);
    expect((await server.request("GET", `/api/outbox/${m.planA1}`, h.admin.token)).body.status).toBe(
      "pending",
    );
  });
});

describe("outbox: filters and pagination", () => {
  it("filters by channel", async () => {
    expect(ids(await list("channel=email"))).toEqual(named("careB1"));
    expect(ids(await list("channel=console"))).toEqual(
      [...named("planA1", "planB1", "churnAdmin"), ...bulk].sort(),
    );
  });

  it("filters by status", async () => {
    expect(ids(await list("status=dead"))).toEqual(named("careB1"));
    expect(ids(await list("status=expired"))).toEqual(named("digestRegional"));
    expect(ids(await list("status=pending"))).toEqual([...named("planA1", "planB1"), ...bulk].sort());
  });

  it("filters by recipientType and recipientId", async () => {
    expect(ids(await list("recipientType=customer"))).toEqual(named("careA1", "careB1"));
    expect(ids(await list(`recipientId=${h.repB1.id}`))).toEqual(named("planB1"));
    expect(ids(await list(`recipientId=${custA1.id}`))).toEqual(named("careA1"));
    expect(await list(`recipientType=customer&recipientId=${h.repB1.id}`)).toEqual([]);
  });

  it("filters by template, also called type", async () => {
    expect(ids(await list("template=daily_plan"))).toEqual(named("planA1", "planB1"));
    expect(ids(await list("type=daily_plan"))).toEqual(named("planA1", "planB1"));
    expect(ids(await list("type=care_greeting"))).toEqual(named("careA1", "careB1"));
    expect(await list("template=no_such_template")).toEqual([]);
  });

  it("filters from and to by the day in the company's time zone, both inclusive", async () => {
    // planA1 was queued at 04:00 on 2 March in Shanghai (20:00 on 1 March UTC).
    expect(ids(await list("from=2026-03-02&to=2026-03-02"))).toEqual(named("planA1", "planB1"));
    expect(await list("to=2026-03-01")).toEqual([]);
    // careA1 was queued at 00:30 on 4 March in Shanghai (16:30 on 3 March UTC).
    expect(ids(await list("from=2026-03-03&to=2026-03-03"))).toEqual(named("approvalDistA"));
    expect(ids(await list("from=2026-03-04&to=2026-03-05"))).toEqual(
      named("careA1", "careB1", "churnAdmin", "digestRegional"),
    );
    expect(ids(await list("from=2026-03-06"))).toEqual(bulk);
  });

  it("lists a day's messages whose createdAt shows that day", async () => {
    for (const day of ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"]) {
      const items = await list(`from=${day}&to=${day}`);
      expect(items.length, day).toBeGreaterThan(0);
      for (const i of items) expect(i.createdAt.slice(0, 10), `${i.id} on ${day}`).toBe(day);
    }
  });

  it("combines filters with the caller's scope", async () => {
    expect(ids(await list("channel=console", h.districtA.token))).toEqual(
      [...named("planA1"), ...bulk].sort(),
    );
    expect(await list("type=care_greeting&status=dead", h.districtA.token)).toEqual([]);
    expect(ids(await list("type=care_greeting&status=dead", h.districtB.token))).toEqual(named("careB1"));
  });

  it("lists each message exactly as GET /:id reads it", async () => {
    const items = await list("");
    expect(items).toHaveLength(allIds().length);
    for (const item of items) {
      for (const f of ["notBefore", "createdAt"]) expect(item[f]).toMatch(SHANGHAI_INSTANT);
      for (const f of ["expiresAt", "sentAt"])
        if (item[f] !== null) expect(item[f]).toMatch(SHANGHAI_INSTANT);
      const one = await server.request("GET", `/api/outbox/${item.id}`, h.admin.token);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(item);
    }
    expect(items.find((i) => i.id === m.planA1).data).toEqual(PLAN_DATA);
  });

  it("walks every message exactly once by nextCursor", async () => {
    const { pages, items } = await walkPages(server, "/api/outbox", h.admin.token, 7);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    expect(items.map((i) => i.id)).toHaveLength(30);
    expect(ids(items)).toEqual(allIds());
  });

  it("walks a filtered, scoped list by nextCursor", async () => {
    const { pages, items } = await walkPages(
      server,
      "/api/outbox?template=follow_up_reminder",
      h.districtA.token,
      5,
    );
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(ids(items)).toEqual(bulk);
    expect(items.map((i) => i.data.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it("rejects filter values it does not know, naming the field", async () => {
    expectValidation(await server.request("GET", "/api/outbox?channel=fax", h.admin.token), "channel");
    expectValidation(await server.request("GET", "/api/outbox?status=failed", h.admin.token), "status");
    expectValidation(
      await server.request("GET", "/api/outbox?recipientType=group", h.admin.token),
      "recipientType",
    );
    expectValidation(await server.request("GET", "/api/outbox?from=2026-02-30", h.admin.token), "from");
    expectValidation(await server.request("GET", "/api/outbox?to=yesterday", h.admin.token), "to");
    expectValidation(await server.request("GET", "/api/outbox?limit=0", h.admin.token), "limit");
    expectValidation(await server.request("GET", "/api/outbox?cursor=%25%25", h.admin.token), "cursor");
  });
});

describe("outbox: scope follows the customer's current owner", () => {
  it("moves a customer's messages to the new owner after a transfer", async () => {
    const res = await server.request("POST", `/api/customers/${custA1.id}/handover`, h.districtA.token, {
      toUserId: h.repA2.id,
      mode: "transfer",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ids(await list("", h.repA1.token))).toEqual(named("planA1"));
    expect(ids(await list("recipientType=customer", h.repA2.token))).toEqual(named("careA1"));
    expectError(await server.request("GET", `/api/outbox/${m.careA1}`, h.repA1.token), 404, "not_found");
    expect((await server.request("GET", `/api/outbox/${m.careA1}`, h.repA2.token)).status).toBe(200);
  });
});
