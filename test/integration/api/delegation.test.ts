import { and, eq, isNull } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { delegations, users } from "../../../src/db/schema";
import { createUser, startTestServer, type TestServer } from "../../helpers/app";
import {
  auditCount,
  auditRowsOf,
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  rowCount,
  SHANGHAI_INSTANT,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;
/** The clock tests move: 2026-06-15 10:00 in Shanghai unless a test says otherwise. */
const START = new Date("2026-06-15T02:00:00.000Z");
let now = START;
afterEach(() => {
  now = START;
});

const delegate = (token: string, fromUserId: string, body: unknown) =>
  server.request("POST", `/api/users/${fromUserId}/delegation`, token, body);
const delegated = async (token: string, fromUserId: string, body: object) => {
  const res = await delegate(token, fromUserId, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const expense = async (token: string, over: Record<string, unknown> = {}) => {
  const res = await server.request("POST", "/api/expenses", token, {
    kind: "pre_approval",
    category: "department_meeting",
    amountCny: 500,
    date: "2026-06-12",
    description: "科室会",
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const decide = (approvalId: string, token: string, body: object = { decision: "approve" }) =>
  server.request("POST", `/api/approvals/${approvalId}/decision`, token, body);
const delegationRows = () => rowCount(server, delegations);
const delegationAudits = () => auditCount(server, "delegation");
const activeFrom = (fromUserId: string) =>
  server.database.db
    .select()
    .from(delegations)
    .where(and(eq(delegations.fromUserId, fromUserId), isNull(delegations.revokedAt)));

beforeAll(async () => {
  server = await startTestServer({}, { now: () => now });
  h = await buildHierarchy(server);
});
afterAll(() => server.close());

describe("delegation: naming a delegate", () => {
  it("answers 201 with the delegation and audits it", async () => {
    const res = await delegate(h.districtB.token, h.districtB.id, {
      toUserId: h.districtA.id,
      until: "2026-06-20",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      fromUserId: h.districtB.id,
      toUserId: h.districtA.id,
      until: "2026-06-20",
    });
    const audit = await auditRowsOf(server, "delegation", res.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "delegate", actorId: h.districtB.id, via: "api" });
    expect(audit[0].after).toMatchObject({ fromUserId: h.districtB.id, toUserId: h.districtA.id });
    expect(await activeFrom(h.districtB.id)).toHaveLength(1);
  });

  it("accepts today as the last day", async () => {
    const d = await delegated(h.repB1.token, h.repB1.id, { toUserId: h.repA1.id, until: "2026-06-15" });
    expect(d.until).toBe("2026-06-15");
  });

  it("lets an admin name a delegate for an approver who is away", async () => {
    const d = await delegated(h.admin.token, h.regional.id, {
      toUserId: h.districtA.id,
      until: "2026-07-01",
    });
    expect(d).toMatchObject({ fromUserId: h.regional.id, toUserId: h.districtA.id });
    expect((await auditRowsOf(server, "delegation", d.id))[0].actorId).toBe(h.admin.id);
  });

  it("a new delegation replaces the previous one: the old delegate may no longer decide", async () => {
    const e = await expense(h.repA2.token);
    const l1 = e.approvals[0].id;
    await delegated(h.districtA.token, h.districtA.id, { toUserId: h.districtB.id, until: "2026-06-30" });
    await delegated(h.districtA.token, h.districtA.id, { toUserId: h.regional.id, until: "2026-06-30" });
    const active = await activeFrom(h.districtA.id);
    expect(active.map((d) => d.toUserId)).toEqual([h.regional.id]);
    expectError(await decide(l1, h.districtB.token), 403, "forbidden");
    const res = await decide(l1, h.regional.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ approverId: h.districtA.id, decidedBy: h.regional.id });
  });

  it("of two delegations named at once exactly one holds", async () => {
    const [x, y] = await Promise.all([
      delegate(h.repA2.token, h.repA2.id, { toUserId: h.repA1.id, until: "2026-06-30" }),
      delegate(h.repA2.token, h.repA2.id, { toUserId: h.repB1.id, until: "2026-06-30" }),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(await activeFrom(h.repA2.id)).toHaveLength(1);
  });
});

describe("delegation: who may name one", () => {
  it("refuses a user naming a delegate for someone else, and writes nothing", async () => {
    const [rows, audits] = [await delegationRows(), await delegationAudits()];
    for (const who of [h.repA1, h.districtB, h.regional, h.finance]) {
      const res = await delegate(who.token, h.districtA.id, { toUserId: who.id, until: "2026-06-30" });
      expectError(res, 403, "forbidden");
    }
    expect(await delegationRows()).toBe(rows);
    expect(await delegationAudits()).toBe(audits);
  });

  it("refuses an admin naming themself the delegate of someone else (no deciding as another)", async () => {
    const rows = await delegationRows();
    const res = await delegate(h.admin.token, h.districtB.id, { toUserId: h.admin.id, until: "2026-06-30" });
    expectError(res, 403, "forbidden");
    expect(await delegationRows()).toBe(rows);
    const e = await expense(h.repB1.token, { amountCny: 77 });
    expectError(await decide(e.approvals[0].id, h.admin.token), 403, "forbidden");
  });

  it("answers 404 for a user or a delegate that does not exist, and writes nothing", async () => {
    const rows = await delegationRows();
    expectError(
      await delegate(h.admin.token, "nope", { toUserId: h.repA1.id, until: "2026-06-30" }),
      404,
      "not_found",
    );
    expectError(
      await delegate(h.districtA.token, h.districtA.id, { toUserId: "nope", until: "2026-06-30" }),
      404,
      "not_found",
    );
    expect(await delegationRows()).toBe(rows);
  });

  it("answers 401 without a token", async () => {
    expectError(
      await delegate("", h.districtA.id, { toUserId: h.repA1.id, until: "2026-06-30" }),
      401,
      "unauthorized",
    );
  });
});

describe("delegation: bad bodies", () => {
  let inactive: { id: string };
  beforeAll(async () => {
    inactive = await createUser(server.database, { name: "离职经理", role: "manager" });
    await server.database.db.update(users).set({ active: false }).where(eq(users.id, inactive.id));
  });

  const cases: [string, () => unknown, string][] = [
    ["no delegate", () => ({ until: "2026-06-30" }), "toUserId"],
    ["an empty delegate", () => ({ toUserId: " ", until: "2026-06-30" }), "toUserId"],
    ["no end date", () => ({ toUserId: h.repA1.id }), "until"],
    ["an end date that is not a date", () => ({ toUserId: h.repA1.id, until: "30/06/2026" }), "until"],
    ["an end date that does not exist", () => ({ toUserId: h.repA1.id, until: "2026-02-30" }), "until"],
    ["an end date before today", () => ({ toUserId: h.repA1.id, until: "2026-06-14" }), "until"],
    ["the user themself as delegate", () => ({ toUserId: h.districtA.id, until: "2026-06-30" }), "toUserId"],
    ["an inactive delegate", () => ({ toUserId: inactive.id, until: "2026-06-30" }), "toUserId"],
    ["a malformed JSON body", () => '{"toUserId"', "body"],
  ];

  it.each(cases)("rejects %s with 400 naming the field, and writes nothing", async (_what, body, field) => {
    const [rows, audits] = [await delegationRows(), await delegationAudits()];
    const res = await delegate(h.districtA.token, h.districtA.id, body());
    expectValidation(res, field);
    expect(res.body.error.details).toEqual([{ field, message: expect.any(String) }]);
    expect(await delegationRows()).toBe(rows);
    expect(await delegationAudits()).toBe(audits);
  });

  it("judges 'before today' by the company's date, not UTC's", async () => {
    // 01:00 on the 16th in Shanghai, still the 15th in UTC.
    now = new Date("2026-06-15T17:00:00.000Z");
    const res = await delegate(h.districtA.token, h.districtA.id, {
      toUserId: h.repA1.id,
      until: "2026-06-15",
    });
    expectValidation(res, "until");
  });
});

describe("delegation: deciding as a delegate", () => {
  it("the delegate decides in their own name until the end date, inclusive in company time", async () => {
    const first = await expense(h.repA1.token, { amountCny: 101 });
    const second = await expense(h.repA1.token, { amountCny: 102 });
    const third = await expense(h.repA1.token, { amountCny: 103 });
    expectError(await decide(first.approvals[0].id, h.districtB.token), 403, "forbidden");
    await delegated(h.districtA.token, h.districtA.id, { toUserId: h.districtB.id, until: "2026-06-20" });

    const res = await decide(first.approvals[0].id, h.districtB.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      approverId: h.districtA.id,
      decidedBy: h.districtB.id,
      decidedVia: "api",
      decidedAt: "2026-06-15T10:00:00+08:00",
      status: "approved",
    });
    const audit = await auditRowsOf(server, "approval", first.approvals[0].id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: h.districtB.id, action: "approve" });
    expect(audit[0].after).toMatchObject({ onBehalfOf: h.districtA.id, decidedBy: h.districtB.id });

    // 23:30 on the last day in Shanghai: still holds.
    now = new Date("2026-06-20T15:30:00.000Z");
    const last = await decide(second.approvals[0].id, h.districtB.token, {
      decision: "reject",
      reason: "超标",
    });
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    expect(last.body.decidedAt).toBe("2026-06-20T23:30:00+08:00");
    expect(last.body.decidedAt).toMatch(SHANGHAI_INSTANT);

    // 00:30 the day after in Shanghai (still the 20th in UTC): over.
    now = new Date("2026-06-20T16:30:00.000Z");
    const late = await decide(third.approvals[0].id, h.districtB.token);
    expectError(late, 403, "forbidden");
    expect(late.body.error.details.messageKey).toBe("approval.not_approver");
    expect(
      await server.request("GET", `/api/approvals/${third.approvals[0].id}`, h.admin.token),
    ).toMatchObject({
      body: { status: "pending", decidedBy: null },
    });
    // The approver themself still decides.
    expect((await decide(third.approvals[0].id, h.districtA.token)).status).toBe(200);
  });

  it("the delegate sees the approvals they stand in for only while the delegation holds", async () => {
    const e = await expense(h.repB1.token, { amountCny: 55 });
    const id = e.approvals[0].id;
    expectError(await server.request("GET", `/api/approvals/${id}`, h.repA2.token), 403, "forbidden");
    expectError(await server.request("GET", `/api/expenses/${e.id}`, h.repA2.token), 403, "forbidden");
    await delegated(h.districtB.token, h.districtB.id, { toUserId: h.repA2.id, until: "2026-06-16" });
    const listed = await server.request(
      "GET",
      `/api/approvals?recipientId=${h.districtB.id}&status=pending`,
      h.repA2.token,
    );
    expect(listed.body.items.map((a: any) => a.id)).toContain(id);
    const one = await server.request("GET", `/api/approvals/${id}`, h.repA2.token);
    expect(one.status).toBe(200);
    expect(listed.body.items.find((a: any) => a.id === id)).toEqual(one.body);
    // The expense itself too: the delegate reads what they are asked to decide.
    const read = await server.request("GET", `/api/expenses/${e.id}`, h.repA2.token);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ id: e.id, amountCny: 55 });

    now = new Date("2026-06-17T02:00:00.000Z");
    const after = await server.request("GET", "/api/approvals?limit=500", h.repA2.token);
    expect(after.body.items.map((a: any) => a.id)).not.toContain(id);
    expectError(await server.request("GET", `/api/approvals/${id}`, h.repA2.token), 403, "forbidden");
    expectError(await server.request("GET", `/api/expenses/${e.id}`, h.repA2.token), 403, "forbidden");
  });

  it("a delegate never decides their own request", async () => {
    await delegated(h.districtA.token, h.districtA.id, { toUserId: h.repA1.id, until: "2026-06-30" });
    const own = await expense(h.repA1.token, { amountCny: 66 });
    const res = await decide(own.approvals[0].id, h.repA1.token);
    expectError(res, 403, "forbidden");
    expect(res.body.error.details.messageKey).toBe("approval.own_request");
    const peer = await expense(h.repA2.token, { amountCny: 67 });
    const ok = await decide(peer.approvals[0].id, h.repA1.token);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ approverId: h.districtA.id, decidedBy: h.repA1.id });
  });

  it("a delegation does not pass on: the delegate's own delegate may not decide for the first approver", async () => {
    await delegated(h.districtB.token, h.districtB.id, { toUserId: h.regional.id, until: "2026-06-30" });
    await delegated(h.regional.token, h.regional.id, { toUserId: h.finance.id, until: "2026-06-30" });
    const e = await expense(h.repB1.token, { amountCny: 68 });
    expectError(await decide(e.approvals[0].id, h.finance.token), 403, "forbidden");
    expect((await decide(e.approvals[0].id, h.regional.token)).status).toBe(200);
  });
});
