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
let month: string;

beforeAll(async () => {
  s = await startExpenseServer();
  t = await buildTeam(s);
  month = expenseBody(s).date.slice(0, 7);
});
afterAll(() => s.close());

const post = (token: string, over: Record<string, unknown>) =>
  s.request("POST", "/api/expenses", token, expenseBody(s, over));

describe("expense checks", () => {
  it("the same invoice number from another rep is blocked (409 duplicate), whatever its spacing or case", async () => {
    const no = invoice();
    const first = await post(t.repA1.token, { kind: "reimbursement", amountCny: 120, invoiceNo: no });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.invoiceNo).toBe(no.toUpperCase());
    const again = await post(t.repB1.token, {
      kind: "reimbursement",
      amountCny: 99,
      invoiceNo: ` ${no.toLowerCase().replace("-", " - ")} `,
    });
    expectError(again, 409, "duplicate");
    expect(again.body.error.details).toMatchObject({
      messageKey: "expense.invoice_used",
      params: { ref: first.body.ref },
      field: "invoiceNo",
    });
  });

  it("same rep, amount, date and category is accepted with the warning possible_duplicate", async () => {
    const a = await post(t.repA2.token, { amountCny: 456.7, category: "meals" });
    expect(a.body.warnings).not.toContain("possible_duplicate");
    const b = await post(t.repA2.token, { amountCny: 456.7, category: "meals" });
    expect(b.status).toBe(201);
    expect(b.body.warnings).toContain("possible_duplicate");
    const other = await post(t.repB1.token, { amountCny: 456.7, category: "meals" });
    expect(other.body.warnings).not.toContain("possible_duplicate");
  });

  it("hospitality needs attendees (400) and respects the per-head cap (400), attendees plus the rep", async () => {
    const none = await post(t.repA1.token, { category: "hospitality", amountCny: 300 });
    expectError(none, 400, "validation");
    expect(none.body.error.details).toEqual([{ field: "attendees", message: expect.any(String) }]);
    // Default cap 300 a head: 2 doctors + the rep = 900 allowed, 900.01 not.
    const over = await post(t.repA1.token, {
      category: "hospitality",
      amountCny: 900.01,
      attendees: ["张医生", "李医生"],
    });
    expectError(over, 400, "validation");
    expect(over.body.error.details).toEqual([{ field: "amountCny", message: expect.any(String) }]);
    expect(over.body.error.message).toMatch(/^amountCny: /);
    const fits = await post(t.repA1.token, {
      category: "hospitality",
      amountCny: 900,
      attendees: ["张医生", "李医生"],
    });
    expect(fits.status, JSON.stringify(fits.body)).toBe(201);
    expect(fits.body.attendees).toEqual(["张医生", "李医生"]);
  });

  it("unknown receipt ids are refused", async () => {
    const res = await post(t.repA1.token, { receiptIds: ["nope"] });
    expectError(res, 400, "validation");
    expect(res.body.error.details).toEqual([{ field: "receiptIds", message: expect.any(String) }]);
  });
});

describe("budgets", () => {
  let budgetId: string;

  it("admins and managers set a budget per rep, month and category; reps may not; managers only their team", async () => {
    const body = { repId: t.repB1.id, month, category: "conference", amountCny: 1000 };
    expectError(await s.request("POST", "/api/budgets", t.repB1.token, body), 403, "forbidden");
    expectError(await s.request("POST", "/api/budgets", t.districtA.token, body), 403, "forbidden");
    const created = await s.request("POST", "/api/budgets", t.districtB.token, body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ ...body, committedCny: 0, remainingCny: 1000 });
    budgetId = created.body.id;
    const again = await s.request("POST", "/api/budgets", t.admin.token, { ...body, amountCny: 1500 });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(budgetId);
    const put = await s.request("PUT", `/api/budgets/${budgetId}`, t.admin.token, { amountCny: 1000 });
    expect(put.body.amountCny).toBe(1000);
  });

  it("a request shows the remaining budget; pending and approved amounts count", async () => {
    const a = await post(t.repB1.token, { category: "conference", amountCny: 600.1 });
    expect(a.status).toBe(201);
    expect(a.body.remainingCny).toBe(1000);
    expect(a.body.warnings).toEqual([]);
    const list = await s.request("GET", `/api/budgets?repId=${t.repB1.id}&month=${month}`, t.repB1.token);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: budgetId, committedCny: 600.1, remainingCny: 399.9 }),
    ]);
  });

  it("over budget with policy escalate adds one level and warns", async () => {
    const res = await post(t.repB1.token, { category: "conference", amountCny: 400 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.remainingCny).toBe(399.9);
    expect(res.body.warnings).toContain("over_budget_escalated");
    expect(res.body.approvals.map((a: any) => a.approverId)).toEqual([t.districtB.id, t.regional.id]);
  });

  it("over budget with policy block is refused (422 over_budget) and numbers nothing", async () => {
    const set = await s.request("PUT", "/api/settings/expense.overBudget", t.admin.token, { value: "block" });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const before = await post(t.repA1.token, { amountCny: 1 });
    const res = await post(t.repB1.token, { category: "conference", amountCny: 0.01 });
    expectError(res, 422, "over_budget");
    expect(res.body.error.details).toMatchObject({
      messageKey: "expense.over_budget",
      params: { remaining: -0.1 },
    });
    const after = await post(t.repA1.token, { amountCny: 2 });
    expect(Number(after.body.ref.slice(1))).toBe(Number(before.body.ref.slice(1)) + 1);
  });

  it("no budget with policy block is refused", async () => {
    await s.request("PUT", "/api/settings/expense.noBudget", t.admin.token, { value: "block" });
    const res = await post(t.repA1.token, { category: "samples", amountCny: 10 });
    expectError(res, 422, "over_budget");
    expect(res.body.error.details.messageKey).toBe("expense.no_budget");
    await s.request("PUT", "/api/settings/expense.noBudget", t.admin.token, { value: "allow" });
  });
});
