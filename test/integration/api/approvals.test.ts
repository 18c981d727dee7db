import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, expenses } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  auditCount,
  auditRowsOf,
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  SHANGHAI_INSTANT,
  walkPages,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;
/** The fixed clock: 2026-06-15 10:00 in Shanghai. */
const NOW = new Date("2026-06-15T02:00:00.000Z");
const NOW_LOCAL = "2026-06-15T10:00:00+08:00";

const CONTRACT_KEYS = [
  "approverId",
  "decidedAt",
  "decidedBy",
  "decidedVia",
  "id",
  "level",
  "reason",
  "status",
  "subjectId",
  "subjectRef",
  "subjectType",
];

/** Every expense this file creates: id → requester and ref (to check the repId filter). */
const subjects = new Map<string, { repId: string; ref: string }>();
/** The list fixtures: one expense per requester, and one decided. */
const fx: Record<"a1" | "a1Big" | "a2Reimb" | "b1" | "districtA", any> = {} as never;

let invoiceNo = 0;
const expense = async (token: string, over: Record<string, unknown> = {}) => {
  const kind = over.kind ?? "pre_approval";
  const res = await server.request("POST", "/api/expenses", token, {
    kind,
    category: "department_meeting",
    amountCny: 800,
    date: "2026-06-12",
    description: "心内科科室会",
    ...(kind === "reimbursement" ? { invoiceNo: `APR-${++invoiceNo}` } : {}),
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  subjects.set(res.body.id, { repId: res.body.repId, ref: res.body.ref });
  return res.body;
};
const decide = (approvalId: string, token: string, body: unknown) =>
  server.request("POST", `/api/approvals/${approvalId}/decision`, token, body);
const read = async (id: string, token = h.admin.token) => {
  const res = await server.request("GET", `/api/approvals/${id}`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const rowOf = (id: string) => server.database.db.select().from(approvals).where(eq(approvals.id, id)).get();
const expenseStatus = async (id: string) =>
  (await server.database.db.select().from(expenses).where(eq(expenses.id, id)).get())?.status;
const approvalAudits = () => auditCount(server, "approval");

beforeAll(async () => {
  server = await startTestServer({}, { now: () => NOW });
  h = await buildHierarchy(server);
  fx.a1 = await expense(h.repA1.token, { amountCny: 800 });
  fx.a1Big = await expense(h.repA1.token, { amountCny: 2500 });
  fx.a2Reimb = await expense(h.repA2.token, { kind: "reimbursement", category: "meals", amountCny: 300 });
  fx.b1 = await expense(h.repB1.token, { amountCny: 500 });
  fx.districtA = await expense(h.districtA.token, { amountCny: 100 });
  const approved = await decide(fx.a1Big.approvals[0].id, h.districtA.token, { decision: "approve" });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
});
afterAll(() => server.close());

describe("approvals: reading", () => {
  it("reads an approval as the bare CONTRACT object", async () => {
    const a = await read(fx.a1.approvals[0].id);
    expect(Object.keys(a).sort()).toEqual(CONTRACT_KEYS);
    expect(a).toEqual({
      id: fx.a1.approvals[0].id,
      subjectType: "expense",
      subjectId: fx.a1.id,
      subjectRef: fx.a1.ref,
      approverId: h.districtA.id,
      level: 1,
      status: "pending",
      decidedAt: null,
      decidedBy: null,
      decidedVia: null,
      reason: null,
    });
  });

  it("builds the chain by amount and kind: manager, regional head above 2,000, finance for reimbursements", async () => {
    const chain = async (e: any) =>
      (await server.request("GET", `/api/approvals?subjectId=${e.id}`, h.admin.token)).body.items.map(
        (a: any) => [a.level, a.approverId, a.status],
      );
    expect(await chain(fx.a1)).toEqual([[1, h.districtA.id, "pending"]]);
    expect(await chain(fx.a1Big)).toEqual([
      [1, h.districtA.id, "approved"],
      [2, h.regional.id, "pending"],
    ]);
    expect(await chain(fx.a2Reimb)).toEqual([
      [1, h.districtA.id, "pending"],
      [2, h.finance.id, "waiting"],
    ]);
    expect(await chain(fx.districtA)).toEqual([[1, h.regional.id, "pending"]]);
  });

  it("answers 404 for an approval that does not exist", async () => {
    expectError(await server.request("GET", "/api/approvals/nope", h.admin.token), 404, "not_found");
  });

  it("answers 401 without a token", async () => {
    expectError(await server.request("GET", "/api/approvals"), 401, "unauthorized");
    expectError(await decide(fx.a1.approvals[0].id, "", { decision: "approve" }), 401, "unauthorized");
  });
});

describe("approvals: scope", () => {
  it("shows a rep only the approvals of their own requests", async () => {
    const { items } = await walkPages(server, "/api/approvals", h.repA1.token, 500);
    expect(items.map((a) => a.subjectId)).toEqual(expect.arrayContaining([fx.a1.id, fx.a1Big.id]));
    expect(items.every((a) => subjects.get(a.subjectId)?.repId === h.repA1.id)).toBe(true);
    expectError(
      await server.request("GET", `/api/approvals/${fx.a2Reimb.approvals[0].id}`, h.repA1.token),
      403,
      "forbidden",
    );
  });

  it("shows a district manager what they decide and their team's requests, not the other district's", async () => {
    const { items } = await walkPages(server, "/api/approvals", h.districtA.token, 500);
    const team = [h.districtA.id, h.repA1.id, h.repA2.id];
    expect(items.map((a) => a.id)).toEqual(
      expect.arrayContaining([
        fx.a1.approvals[0].id,
        fx.a2Reimb.approvals[1].id,
        fx.districtA.approvals[0].id,
      ]),
    );
    expect(
      items.every(
        (a) => a.approverId === h.districtA.id || team.includes(subjects.get(a.subjectId)?.repId ?? ""),
      ),
    ).toBe(true);
    expect(items.some((a) => a.subjectId === fx.b1.id)).toBe(false);
    expectError(
      await server.request("GET", `/api/approvals/${fx.b1.approvals[0].id}`, h.districtA.token),
      403,
      "forbidden",
    );
  });

  it("shows the regional head the whole region, and finance and admins everything", async () => {
    const all = await walkPages(server, "/api/approvals", h.admin.token, 500);
    const fin = await walkPages(server, "/api/approvals", h.finance.token, 500);
    const regional = await walkPages(server, "/api/approvals", h.regional.token, 500);
    expect(fin.items).toEqual(all.items);
    expect(regional.items).toEqual(all.items);
    expect(all.items.map((a) => a.subjectId)).toEqual(
      expect.arrayContaining([fx.a1.id, fx.a2Reimb.id, fx.b1.id, fx.districtA.id]),
    );
  });
});

describe("approvals: deciding", () => {
  it("approves: 200 with who, when (company offset) and via; the expense is approved; one audit row", async () => {
    const e = await expense(h.repA1.token, { amountCny: 1200 });
    const id = e.approvals[0].id;
    const res = await decide(id, h.districtA.token, { decision: "approve" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      ...(await read(id)),
      status: "approved",
      decidedAt: NOW_LOCAL,
      decidedBy: h.districtA.id,
      decidedVia: "api",
      reason: null,
    });
    expect(res.body.decidedAt).toMatch(SHANGHAI_INSTANT);
    expect(await read(id)).toEqual(res.body);
    expect(await expenseStatus(e.id)).toBe("approved");
    const audit = await auditRowsOf(server, "approval", id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "approve", actorId: h.districtA.id, via: "api" });
    expect(audit[0].after).toMatchObject({ status: "approved", decidedBy: h.districtA.id, onBehalfOf: null });
  });

  it("rejects with a reason: the expense is rejected and the levels above are superseded", async () => {
    const e = await expense(h.repA2.token, { amountCny: 4000 });
    const [l1, l2] = e.approvals;
    const res = await decide(l1.id, h.districtA.token, { decision: "reject", reason: "  超出科室会标准 " });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "rejected", reason: "超出科室会标准", decidedAt: NOW_LOCAL });
    expect(await read(l2.id)).toMatchObject({ status: "superseded", decidedBy: null, decidedAt: null });
    expect(await expenseStatus(e.id)).toBe("rejected");
    expectError(await decide(l2.id, h.regional.token, { decision: "approve" }), 409, "already_decided");
  });

  it("walks a reimbursement up the chain: manager, then finance; finance may not jump the queue", async () => {
    const e = await expense(h.repA2.token, { kind: "reimbursement", category: "meals", amountCny: 88 });
    const [l1, l2] = e.approvals;
    const early = await decide(l2.id, h.finance.token, { decision: "approve" });
    expectError(early, 409, "conflict");
    expect(early.body.error.details.messageKey).toBe("approval.not_your_turn");
    expect((await rowOf(l2.id))?.status).toBe("waiting");
    expect((await decide(l1.id, h.districtA.token, { decision: "approve" })).status).toBe(200);
    expect(await read(l2.id)).toMatchObject({ status: "pending" });
    expect(await expenseStatus(e.id)).toBe("pending");
    const fin = await decide(l2.id, h.finance.token, { decision: "approve", reason: "票据齐全" });
    expect(fin.status, JSON.stringify(fin.body)).toBe(200);
    expect(fin.body).toMatchObject({ decidedBy: h.finance.id, reason: "票据齐全", status: "approved" });
    expect(await expenseStatus(e.id)).toBe("approved");
  });

  it("refuses a second decision with 409 naming who decided and when, and changes nothing", async () => {
    const e = await expense(h.repA1.token, { amountCny: 60 });
    const id = e.approvals[0].id;
    const first = await decide(id, h.districtA.token, { decision: "approve" });
    expect(first.status).toBe(200);
    const before = await approvalAudits();
    const again = await decide(id, h.districtA.token, { decision: "reject", reason: "改主意了" });
    expectError(again, 409, "already_decided");
    expect(again.body.error.message).toContain("上海北区经理");
    expect(again.body.error.message).toContain(NOW_LOCAL);
    expect(await read(id)).toEqual(first.body);
    expect(await expenseStatus(e.id)).toBe("approved");
    expect(await approvalAudits()).toBe(before);
  });

  it("of concurrent decisions on one approval exactly one wins; the rest get 409 and write nothing", async () => {
    const e = await expense(h.repB1.token, { amountCny: 2600 });
    const [l1, l2] = e.approvals;
    const results = await Promise.all([
      decide(l1.id, h.districtB.token, { decision: "approve" }),
      decide(l1.id, h.districtB.token, { decision: "reject", reason: "重复" }),
      decide(l1.id, h.districtB.token, { decision: "approve" }),
      decide(l1.id, h.districtB.token, { decision: "reject", reason: "不合规" }),
    ]);
    const won = results.filter((r) => r.status === 200);
    expect(won, JSON.stringify(results.map((r) => r.body))).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, "already_decided");
    const row = await rowOf(l1.id);
    expect(row?.status).toBe(won[0].body.status);
    expect(row?.reason ?? null).toBe(won[0].body.reason);
    expect(await auditRowsOf(server, "approval", l1.id)).toHaveLength(1);
    const next = await read(l2.id);
    if (won[0].body.status === "approved") {
      expect(next.status).toBe("pending");
      expect(await expenseStatus(e.id)).toBe("pending");
    } else {
      expect(next.status).toBe("superseded");
      expect(await expenseStatus(e.id)).toBe("rejected");
    }
  });

  it("refuses deciding a cancelled request", async () => {
    const e = await expense(h.repA1.token, { amountCny: 70 });
    const c = await server.request("POST", `/api/expenses/${e.id}/cancel`, h.repA1.token);
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expectError(
      await decide(e.approvals[0].id, h.districtA.token, { decision: "approve" }),
      409,
      "already_decided",
    );
    expect((await rowOf(e.approvals[0].id))?.status).toBe("superseded");
  });

  it("shows a decision taken in chat with its surface", async () => {
    const e = await expense(h.repB1.token, { amountCny: 90 });
    const id = e.approvals[0].id;
    const r = await server.composition.services.approvals.decide(
      id,
      { decision: "approve" },
      { id: h.districtB.id, via: "wecom" },
    );
    expect(r.ok).toBe(true);
    expect(await read(id, h.repB1.token)).toMatchObject({
      decidedVia: "wecom",
      decidedBy: h.districtB.id,
      decidedAt: NOW_LOCAL,
    });
  });
});

describe("approvals: who may decide", () => {
  const pendingUnchanged = async (id: string) => {
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: "pending", decidedBy: null, decidedAt: null, decidedVia: null });
  };

  it("refuses the requester deciding their own request", async () => {
    const before = await approvalAudits();
    const res = await decide(fx.districtA.approvals[0].id, h.districtA.token, { decision: "approve" });
    expectError(res, 403, "forbidden");
    expect(res.body.error.details.messageKey).toBe("approval.own_request");
    await pendingUnchanged(fx.districtA.approvals[0].id);
    expect(await approvalAudits()).toBe(before);
  });

  it("refuses an admin deciding as the approver", async () => {
    const res = await decide(fx.a1.approvals[0].id, h.admin.token, { decision: "approve" });
    expectError(res, 403, "forbidden");
    expect(res.body.error.details.messageKey).toBe("approval.not_approver");
    await pendingUnchanged(fx.a1.approvals[0].id);
  });

  it("refuses anyone else: another district's manager, the manager above, finance, a rep", async () => {
    const id = fx.a1.approvals[0].id;
    for (const who of [h.districtB, h.regional, h.finance, h.repA2]) {
      const res = await decide(id, who.token, { decision: "approve" });
      expectError(res, 403, "forbidden");
    }
    await pendingUnchanged(id);
  });

  it("lets an admin decide where the admin is the named approver (top of the hierarchy)", async () => {
    const set = await server.request("PUT", "/api/settings/approval.fallbackApproverId", h.admin.token, {
      value: h.admin.id,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const e = await expense(h.regional.token, { amountCny: 300 });
    expect(e.approvals.map((a: any) => a.approverId)).toEqual([h.admin.id]);
    const res = await decide(e.approvals[0].id, h.admin.token, { decision: "approve" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.decidedBy).toBe(h.admin.id);
  });

  it("answers 404 deciding an approval that does not exist", async () => {
    expectError(await decide("nope", h.districtA.token, { decision: "approve" }), 404, "not_found");
  });
});

describe("approvals: decision bodies", () => {
  const cases: [string, unknown, string][] = [
    ["no decision", {}, "decision"],
    ["a decision it does not know", { decision: "maybe" }, "decision"],
    ["a reject without a reason", { decision: "reject" }, "reason"],
    ["a reject with a blank reason", { decision: "reject", reason: "   " }, "reason"],
    ["a reason that is not text", { decision: "approve", reason: 42 }, "reason"],
    ["a malformed JSON body", '{"decision":', "body"],
  ];

  it.each(cases)("rejects %s with 400 naming the field, and decides nothing", async (_what, body, field) => {
    const before = await approvalAudits();
    expectValidation(await decide(fx.a1.approvals[0].id, h.districtA.token, body), field);
    expect((await rowOf(fx.a1.approvals[0].id))?.status).toBe("pending");
    expect(await approvalAudits()).toBe(before);
  });
});

describe("approvals: filters and pagination", () => {
  const list = async (query: string, token = h.admin.token) => {
    const res = await server.request("GET", `/api/approvals?limit=500&${query}`, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as any[];
  };

  it("filters by status", async () => {
    const all = await list("");
    for (const status of ["pending", "waiting", "approved"]) {
      const rows = await list(`status=${status}`);
      expect(rows.length, status).toBeGreaterThan(0);
      expect(rows.every((a) => a.status === status)).toBe(true);
      expect(rows.length).toBeLessThan(all.length);
    }
    expect((await list("status=waiting")).map((a) => a.id)).toContain(fx.a2Reimb.approvals[1].id);
  });

  it("filters by approverId and by its synonym recipientId", async () => {
    const byApprover = await list(`approverId=${h.finance.id}`);
    expect(byApprover.map((a) => a.id)).toContain(fx.a2Reimb.approvals[1].id);
    expect(byApprover.every((a) => a.approverId === h.finance.id)).toBe(true);
    expect(await list(`recipientId=${h.finance.id}`)).toEqual(byApprover);
    const regionalPending = await list(`recipientId=${h.regional.id}&status=pending`);
    expect(regionalPending.map((a) => a.id)).toEqual(
      expect.arrayContaining([fx.a1Big.approvals[1].id, fx.districtA.approvals[0].id]),
    );
    expect(regionalPending.every((a) => a.approverId === h.regional.id && a.status === "pending")).toBe(true);
  });

  it("filters by subjectRef, whatever its case and spacing, and by subjectId", async () => {
    const ids = fx.a1Big.approvals.map((a: any) => a.id);
    expect((await list(`subjectRef=${fx.a1Big.ref.toLowerCase()}`)).map((a) => a.id)).toEqual(ids);
    expect((await list(`subjectRef=%20${fx.a1Big.ref}%20`)).map((a) => a.id)).toEqual(ids);
    expect((await list(`subjectId=${fx.a1Big.id}`)).map((a) => a.id)).toEqual(ids);
    expect(await list("subjectRef=E999999")).toEqual([]);
  });

  it("filters by repId (the requester)", async () => {
    const rows = await list(`repId=${h.repA2.id}`);
    expect(rows.map((a) => a.id)).toEqual(expect.arrayContaining(fx.a2Reimb.approvals.map((a: any) => a.id)));
    expect(rows.every((a) => subjects.get(a.subjectId)?.repId === h.repA2.id)).toBe(true);
    // Within a rep's scope the filter cannot widen it.
    expect(await list(`repId=${h.repA2.id}`, h.repA1.token)).toEqual([]);
  });

  it("rejects filters it cannot read", async () => {
    expectValidation(await server.request("GET", "/api/approvals?status=done", h.admin.token), "status");
    expectValidation(await server.request("GET", "/api/approvals?limit=0", h.admin.token), "limit");
    expectValidation(await server.request("GET", "/api/approvals?cursor=%21%21", h.admin.token), "cursor");
  });

  it("lists each approval as GET /:id shows it", async () => {
    const { items } = await walkPages(server, "/api/approvals", h.districtA.token, 500);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(await read(item.id, h.districtA.token)).toEqual(item);
    expect(items.filter((a) => a.decidedAt !== null).every((a) => SHANGHAI_INSTANT.test(a.decidedAt))).toBe(
      true,
    );
  });

  it("walks every approval by nextCursor exactly once", async () => {
    for (let i = 0; i < 7; i++) await expense(h.repB1.token, { amountCny: 10 + i, date: "2026-06-01" });
    const full = await list("");
    const { pages, items } = await walkPages(server, "/api/approvals", h.admin.token, 3);
    expect(full.length).toBeGreaterThan(9);
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    expect(items).toEqual(full);
    expect(new Set(items.map((a) => a.id)).size).toBe(full.length);
    const mine = await walkPages(server, "/api/approvals?status=pending", h.districtB.token, 2);
    expect(mine.items).toEqual(await list("status=pending", h.districtB.token));
  });
});
