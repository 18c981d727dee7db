import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildTeam,
  type ExpenseServer,
  expenseBody,
  invoice,
  startExpenseServer,
  type Team,
} from "../../helpers/expenses-app";
import { expectError } from "../api/fixtures";

let s: ExpenseServer;
let t: Team;

beforeAll(async () => {
  s = await startExpenseServer();
  t = await buildTeam(s);
});
afterAll(() => s.close());

const approvers = (body: any) =>
  body.approvals.map((a: any) => ({ level: a.level, approverId: a.approverId, status: a.status }));

describe("approval chain by amount (DOMAIN.md §5)", () => {
  it("2,000.00 needs the direct manager only; the answer carries ref, chain and warnings", async () => {
    const res = await s.request("POST", "/api/expenses", t.repA1.token, expenseBody(s, { amountCny: 2000 }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.ref).toMatch(/^E\d+$/);
    expect(res.body).toMatchObject({ repId: t.repA1.id, status: "pending", amountCny: 2000, attendees: [] });
    expect(res.body.warnings).toEqual(["no_budget"]);
    expect(approvers(res.body)).toEqual([{ level: 1, approverId: t.districtA.id, status: "pending" }]);
    expect(res.body.approvals[0]).toMatchObject({
      subjectType: "expense",
      subjectId: res.body.id,
      subjectRef: res.body.ref,
      decidedAt: null,
      decidedBy: null,
      decidedVia: null,
      reason: null,
    });
  });

  it("2,000.01 needs the manager then the regional head", async () => {
    const res = await s.request(
      "POST",
      "/api/expenses",
      t.repA1.token,
      expenseBody(s, { amountCny: 2000.01 }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(approvers(res.body)).toEqual([
      { level: 1, approverId: t.districtA.id, status: "pending" },
      { level: 2, approverId: t.regional.id, status: "waiting" },
    ]);
  });

  it("a reimbursement appends finance after the managers", async () => {
    const res = await s.request(
      "POST",
      "/api/expenses",
      t.repB1.token,
      expenseBody(s, { kind: "reimbursement", amountCny: 3500, invoiceNo: invoice(), category: "travel" }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(approvers(res.body)).toEqual([
      { level: 1, approverId: t.districtB.id, status: "pending" },
      { level: 2, approverId: t.regional.id, status: "waiting" },
      { level: 3, approverId: t.finance.id, status: "waiting" },
    ]);
  });

  it("refs come from one sequence: consecutive and never reused", async () => {
    const a = await s.request("POST", "/api/expenses", t.repA2.token, expenseBody(s, { amountCny: 11 }));
    const b = await s.request("POST", "/api/expenses", t.repA2.token, expenseBody(s, { amountCny: 12 }));
    const n = (ref: string) => Number(ref.slice(1));
    expect(n(b.body.ref)).toBe(n(a.body.ref) + 1);
    await s.request("POST", `/api/expenses/${b.body.id}/cancel`, t.repA2.token);
    const c = await s.request("POST", "/api/expenses", t.repA2.token, expenseBody(s, { amountCny: 13 }));
    expect(n(c.body.ref)).toBe(n(b.body.ref) + 1);
  });

  it("the top of the hierarchy goes to the admin-named fallback approver, or nobody (503)", async () => {
    const none = await s.request("POST", "/api/expenses", t.regional.token, expenseBody(s));
    expectError(none, 503, "unavailable");
    const set = await s.request("PUT", "/api/settings/approval.fallbackApproverId", t.admin.token, {
      value: t.admin.id,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const res = await s.request("POST", "/api/expenses", t.regional.token, expenseBody(s));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(approvers(res.body)).toEqual([{ level: 1, approverId: t.admin.id, status: "pending" }]);
  });

  it("only an admin records for someone else; validation names the field", async () => {
    const other = await s.request(
      "POST",
      "/api/expenses",
      t.districtA.token,
      expenseBody(s, { repId: t.repA1.id }),
    );
    expectError(other, 403, "forbidden");
    const byAdmin = await s.request(
      "POST",
      "/api/expenses",
      t.admin.token,
      expenseBody(s, { repId: t.repA1.id }),
    );
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(201);
    expect(byAdmin.body.repId).toBe(t.repA1.id);
    for (const [field, over] of [
      ["amountCny", { amountCny: 0 }],
      ["amountCny", { amountCny: 12.345 }],
      ["category", { category: "bribes" }],
      ["date", { date: "2026-13-01" }],
    ] as const) {
      const res = await s.request("POST", "/api/expenses", t.repA1.token, expenseBody(s, over));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
    const noInvoice = await s.request(
      "POST",
      "/api/expenses",
      t.repA1.token,
      expenseBody(s, { kind: "reimbursement" }),
    );
    expectError(noInvoice, 400, "validation");
    expect(noInvoice.body.error.details).toEqual([{ field: "invoiceNo", message: expect.any(String) }]);
  });

  it("lists filter by rep, status, type, category and month within the caller's scope", async () => {
    const mine = await s.request("GET", "/api/expenses?limit=500", t.repA1.token);
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((e: any) => e.repId === t.repA1.id)).toBe(true);
    const team = await s.request("GET", `/api/expenses?repId=${t.repB1.id}`, t.districtA.token);
    expect(team.body.items).toEqual([]);
    const fin = await s.request("GET", "/api/expenses?type=reimbursement&category=travel", t.finance.token);
    expect(fin.body.items.map((e: any) => e.repId)).toEqual([t.repB1.id]);
    expect(fin.body.items[0].approvals).toHaveLength(3);
    const month = expenseBody(s).date.slice(0, 7);
    const cancelled = await s.request("GET", `/api/expenses?status=cancelled&month=${month}`, t.admin.token);
    expect(cancelled.body.items).toHaveLength(1);
    const one = await s.request("GET", `/api/expenses/${cancelled.body.items[0].id}`, t.repB1.token);
    expectError(one, 403, "forbidden");
  });
});
