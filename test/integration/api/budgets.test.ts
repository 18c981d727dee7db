import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgets } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  auditCount,
  auditRowsOf,
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  rowCount,
  walkPages,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;
/** The fixed clock: 2026-06-15 10:00 in Shanghai. */
const NOW = new Date("2026-06-15T02:00:00.000Z");

const CONTRACT_KEYS = ["amountCny", "category", "committedCny", "id", "month", "remainingCny", "repId"];

/** The filter fixtures: repA1 has two months and two categories, repA2 and repB1 one each. */
const fx: Record<"a1Jun" | "a1JunTravel" | "a1May" | "a2Jun" | "b1Jun", any> = {} as never;

const postBudget = (token: string, body: unknown) => server.request("POST", "/api/budgets", token, body);
const putBudget = (token: string, id: string, body: unknown) =>
  server.request("PUT", `/api/budgets/${id}`, token, body);
const budget = async (token: string, body: object) => {
  const res = await postBudget(token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const expense = async (token: string, over: Record<string, unknown>) => {
  const res = await server.request("POST", "/api/expenses", token, {
    kind: "pre_approval",
    category: "meals",
    amountCny: 100,
    date: "2026-06-10",
    description: "午餐会",
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const decide = async (approvalId: string, token: string, body: object) => {
  const res = await server.request("POST", `/api/approvals/${approvalId}/decision`, token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const budgetCount = () => rowCount(server, budgets);
const budgetAuditCount = () => auditCount(server, "budget");
const read = async (id: string, token = h.admin.token) => {
  const res = await server.request("GET", `/api/budgets/${id}`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

beforeAll(async () => {
  server = await startTestServer({}, { now: () => NOW });
  h = await buildHierarchy(server);
  fx.a1Jun = await budget(h.admin.token, {
    repId: h.repA1.id,
    month: "2026-06",
    category: "meals",
    amountCny: 1000,
  });
  fx.a1JunTravel = await budget(h.districtA.token, {
    repId: h.repA1.id,
    month: "2026-06",
    category: "travel",
    amountCny: 3000,
  });
  fx.a1May = await budget(h.admin.token, {
    repId: h.repA1.id,
    month: "2026-05",
    category: "meals",
    amountCny: 500,
  });
  fx.a2Jun = await budget(h.regional.token, {
    repId: h.repA2.id,
    month: "2026-06",
    category: "meals",
    amountCny: 800,
  });
  fx.b1Jun = await budget(h.districtB.token, {
    repId: h.repB1.id,
    month: "2026-06",
    category: "meals",
    amountCny: 600,
  });
});
afterAll(() => server.close());

describe("budgets: create and update", () => {
  it("creates a budget with 201 and the CONTRACT fields, and reads the same object back", async () => {
    const res = await postBudget(h.admin.token, {
      repId: h.repB1.id,
      month: "2026-08",
      category: "conference",
      amountCny: 1200.5,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(CONTRACT_KEYS);
    expect(res.body).toEqual({
      id: expect.any(String),
      repId: h.repB1.id,
      month: "2026-08",
      category: "conference",
      amountCny: 1200.5,
      committedCny: 0,
      remainingCny: 1200.5,
    });
    expect(await read(res.body.id)).toEqual(res.body);
    const audit = await auditRowsOf(server, "budget", res.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "create", actorId: h.admin.id, via: "api", before: null });
    expect(audit[0].after).toMatchObject({ repId: h.repB1.id, month: "2026-08", amountCny: 1200.5 });
  });

  it("sets the same rep, month and category again: 200, the same id, the new amount, one row", async () => {
    const body = { repId: h.repA2.id, month: "2026-09", category: "samples", amountCny: 300 };
    const first = await budget(h.admin.token, body);
    const before = await budgetCount();
    const again = await postBudget(h.districtA.token, { ...body, amountCny: 450 });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toEqual({ ...first, amountCny: 450, remainingCny: 450 });
    expect(await budgetCount()).toBe(before);
    const audit = await auditRowsOf(server, "budget", first.id);
    expect(audit.map((a) => a.action)).toEqual(["create", "update"]);
    expect(audit[1]).toMatchObject({ actorId: h.districtA.id });
    expect(audit[1].before).toMatchObject({ amountCny: 300 });
    expect(audit[1].after).toMatchObject({ amountCny: 450 });
  });

  it("of two requests setting the same new budget at once, one creates (201) and one updates (200)", async () => {
    const body = { repId: h.repB1.id, month: "2026-09", category: "travel" };
    const rows = await budgetCount();
    const results = await Promise.all([
      postBudget(h.admin.token, { ...body, amountCny: 100 }),
      postBudget(h.districtB.token, { ...body, amountCny: 200 }),
    ]);
    expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([
      200, 201,
    ]);
    expect(results[0].body.id).toBe(results[1].body.id);
    expect(await budgetCount()).toBe(rows + 1);
    const audit = await auditRowsOf(server, "budget", results[0].body.id);
    expect(audit.map((a) => a.action)).toEqual(["create", "update"]);
    const last = results.find((r) => r.status === 200)?.body;
    expect(await read(last.id)).toEqual(last);
  });

  it("changes the amount with PUT, audited with the amount before and after", async () => {
    const b = await budget(h.admin.token, {
      repId: h.repA1.id,
      month: "2026-10",
      category: "transport",
      amountCny: 200,
    });
    const res = await putBudget(h.districtA.token, b.id, { amountCny: 260.3 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...b, amountCny: 260.3, remainingCny: 260.3 });
    expect(await read(b.id)).toEqual(res.body);
    const audit = await auditRowsOf(server, "budget", b.id);
    expect(audit.map((a) => a.action)).toEqual(["create", "update"]);
    expect(audit[1]).toMatchObject({ actorId: h.districtA.id, via: "api", entityId: b.id });
    expect(audit[1].before).toMatchObject({ amountCny: 200, repId: h.repA1.id, category: "transport" });
    expect(audit[1].after).toMatchObject({ amountCny: 260.3, repId: h.repA1.id, category: "transport" });
  });

  it("keeps the rep, month and category of a budget whatever else a PUT body carries", async () => {
    const b = await budget(h.admin.token, {
      repId: h.repA1.id,
      month: "2026-11",
      category: "other",
      amountCny: 10,
    });
    const res = await putBudget(h.admin.token, b.id, {
      amountCny: 20,
      repId: h.repB1.id,
      month: "2027-01",
      category: "travel",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...b, amountCny: 20, remainingCny: 20 });
  });

  it("accepts a budget of 0", async () => {
    const b = await budget(h.admin.token, {
      repId: h.repA2.id,
      month: "2026-12",
      category: "other",
      amountCny: 0,
    });
    expect(b).toMatchObject({ amountCny: 0, committedCny: 0, remainingCny: 0 });
  });
});

describe("budgets: validation writes nothing", () => {
  const base = () => ({ repId: h.repA1.id, month: "2027-02", category: "meals", amountCny: 100 });
  const cases: [string, () => unknown, string][] = [
    ["an amount with 3 decimals", () => ({ ...base(), amountCny: 12.345 }), "amountCny"],
    ["a negative amount", () => ({ ...base(), amountCny: -1 }), "amountCny"],
    ["an amount given as text", () => ({ ...base(), amountCny: "100" }), "amountCny"],
    ["a missing amount", () => ({ ...base(), amountCny: undefined }), "amountCny"],
    ["a month that is not YYYY-MM", () => ({ ...base(), month: "2027-13" }), "month"],
    ["a date instead of a month", () => ({ ...base(), month: "2027-02-01" }), "month"],
    ["a category it does not know", () => ({ ...base(), category: "golf" }), "category"],
    ["a missing repId", () => ({ ...base(), repId: undefined }), "repId"],
    ["an empty repId", () => ({ ...base(), repId: "  " }), "repId"],
    ["a malformed JSON body", () => "{", "body"],
  ];

  it.each(cases)("rejects %s on POST, naming the field", async (_what, body, field) => {
    const [rows, audits] = [await budgetCount(), await budgetAuditCount()];
    expectValidation(await postBudget(h.admin.token, body()), field);
    expect(await budgetCount()).toBe(rows);
    expect(await budgetAuditCount()).toBe(audits);
  });

  it.each([
    ["an amount with 3 decimals", { amountCny: 1.005 }],
    ["a negative amount", { amountCny: -0.01 }],
    ["no amount", {}],
  ])("rejects %s on PUT, naming amountCny, and leaves the budget as it was", async (_what, body) => {
    const before = await read(fx.a1May.id);
    const audits = await budgetAuditCount();
    expectValidation(await putBudget(h.admin.token, fx.a1May.id, body), "amountCny");
    expect(await read(fx.a1May.id)).toEqual(before);
    expect(await budgetAuditCount()).toBe(audits);
  });

  it("answers 404 for a rep that does not exist, and writes nothing", async () => {
    const rows = await budgetCount();
    expectError(await postBudget(h.admin.token, { ...base(), repId: "nope" }), 404, "not_found");
    expect(await budgetCount()).toBe(rows);
  });

  it("answers 404 for a budget that does not exist (GET and PUT)", async () => {
    expectError(await server.request("GET", "/api/budgets/nope", h.admin.token), 404, "not_found");
    expectError(await putBudget(h.admin.token, "nope", { amountCny: 1 }), 404, "not_found");
  });

  it("rejects list queries it cannot read", async () => {
    expectValidation(await server.request("GET", "/api/budgets?month=2026-6", h.admin.token), "month");
    expectValidation(await server.request("GET", "/api/budgets?category=golf", h.admin.token), "category");
    expectValidation(await server.request("GET", "/api/budgets?limit=501", h.admin.token), "limit");
    expectValidation(await server.request("GET", "/api/budgets?cursor=%25%25", h.admin.token), "cursor");
  });
});

describe("budgets: who may set and see them", () => {
  const body = () => ({ repId: h.repA1.id, month: "2027-03", category: "meals", amountCny: 100 });

  it("refuses a rep and finance setting a budget, even their own, and writes nothing", async () => {
    const rows = await budgetCount();
    expectError(await postBudget(h.repA1.token, body()), 403, "forbidden");
    expectError(await postBudget(h.finance.token, body()), 403, "forbidden");
    expectError(await putBudget(h.repA1.token, fx.a1Jun.id, { amountCny: 99999 }), 403, "forbidden");
    expectError(await putBudget(h.finance.token, fx.a1Jun.id, { amountCny: 99999 }), 403, "forbidden");
    expect(await budgetCount()).toBe(rows);
    expect((await read(fx.a1Jun.id)).amountCny).toBe(1000);
  });

  it("refuses a district manager setting or changing a budget of the other district", async () => {
    const rows = await budgetCount();
    expectError(await postBudget(h.districtB.token, body()), 403, "forbidden");
    expectError(await putBudget(h.districtB.token, fx.a1Jun.id, { amountCny: 1 }), 403, "forbidden");
    expect(await budgetCount()).toBe(rows);
    expect((await read(fx.a1Jun.id)).amountCny).toBe(1000);
  });

  it("refuses a manager setting or raising their own budget (only someone above may)", async () => {
    const own = { repId: h.districtA.id, month: "2027-03", category: "hospitality", amountCny: 100 };
    const rows = await budgetCount();
    expectError(await postBudget(h.districtA.token, own), 403, "forbidden");
    expect(await budgetCount()).toBe(rows);
    const set = await budget(h.regional.token, own);
    expectError(await putBudget(h.districtA.token, set.id, { amountCny: 99999 }), 403, "forbidden");
    expect((await read(set.id)).amountCny).toBe(100);
    expect(await read(set.id, h.districtA.token)).toEqual(set);
  });

  it("lets the regional manager set a budget down the hierarchy", async () => {
    const b = await budget(h.regional.token, { ...body(), repId: h.repB1.id });
    expect(b.repId).toBe(h.repB1.id);
  });

  it("shows a rep only their own budgets", async () => {
    const { items } = await walkPages(server, "/api/budgets", h.repA1.token, 500);
    expect(items.map((b) => b.id)).toEqual(expect.arrayContaining([fx.a1Jun.id, fx.a1May.id]));
    expect(items.every((b) => b.repId === h.repA1.id)).toBe(true);
    expectError(await server.request("GET", `/api/budgets/${fx.a2Jun.id}`, h.repA1.token), 403, "forbidden");
  });

  it("shows a district manager their team's budgets, not the other district's", async () => {
    const { items } = await walkPages(server, "/api/budgets", h.districtA.token, 500);
    expect(items.map((b) => b.id)).toEqual(expect.arrayContaining([fx.a1Jun.id, fx.a2Jun.id]));
    const team = [h.districtA.id, h.repA1.id, h.repA2.id];
    expect(items.every((b) => team.includes(b.repId))).toBe(true);
    expectError(
      await server.request("GET", `/api/budgets/${fx.b1Jun.id}`, h.districtA.token),
      403,
      "forbidden",
    );
    expect(await read(fx.b1Jun.id, h.regional.token)).toEqual(await read(fx.b1Jun.id));
  });

  it("shows finance every budget, as the admin sees them", async () => {
    const all = await walkPages(server, "/api/budgets", h.admin.token, 500);
    const fin = await walkPages(server, "/api/budgets", h.finance.token, 500);
    expect(fin.items).toEqual(all.items);
    expect(all.items.map((b) => b.repId)).toEqual(
      expect.arrayContaining([h.repA1.id, h.repA2.id, h.repB1.id]),
    );
  });

  it("answers 401 without a token", async () => {
    expectError(await server.request("GET", "/api/budgets"), 401, "unauthorized");
    expectError(await postBudget("", body()), 401, "unauthorized");
  });
});

describe("budgets: spend against the budget (approved + pending)", () => {
  it("counts pending and approved expenses of that rep, month and category, and nothing else", async () => {
    const rep = h.repA2;
    const b = await budget(h.admin.token, {
      repId: rep.id,
      month: "2027-04",
      category: "meals",
      amountCny: 1000,
    });
    const first = await expense(rep.token, { amountCny: 100.1, date: "2027-04-01" });
    // The request shows what was left before it.
    expect(first.remainingCny).toBe(1000);
    await expense(rep.token, { amountCny: 200.2, date: "2027-04-30" });
    const approved = await expense(rep.token, { amountCny: 50, date: "2027-04-15" });
    await decide(approved.approvals[0].id, h.districtA.token, { decision: "approve" });
    const rejected = await expense(rep.token, { amountCny: 70, date: "2027-04-16" });
    await decide(rejected.approvals[0].id, h.districtA.token, { decision: "reject", reason: "超标" });
    const cancelled = await expense(rep.token, { amountCny: 30, date: "2027-04-17" });
    const c = await server.request("POST", `/api/expenses/${cancelled.id}/cancel`, rep.token);
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    // Outside the budget: the days either side of the month, another category, another rep.
    await expense(rep.token, { amountCny: 1, date: "2027-03-31" });
    await expense(rep.token, { amountCny: 2, date: "2027-05-01" });
    await expense(rep.token, { amountCny: 4, date: "2027-04-10", category: "travel" });
    await expense(h.repA1.token, { amountCny: 8, date: "2027-04-10" });

    const view = await read(b.id, rep.token);
    expect(view).toEqual({ ...b, committedCny: 350.3, remainingCny: 649.7 });
    const listed = await server.request("GET", `/api/budgets?repId=${rep.id}&month=2027-04`, rep.token);
    expect(listed.body.items).toEqual([view]);

    // The next request is shown what is left after everything committed.
    const next = await expense(rep.token, { amountCny: 9, date: "2027-04-20" });
    expect(next.remainingCny).toBe(649.7);
  });

  it("shows a negative remainder once escalated requests go over the budget", async () => {
    const rep = h.repB1;
    const b = await budget(h.admin.token, {
      repId: rep.id,
      month: "2027-05",
      category: "hospitality",
      amountCny: 300,
    });
    const over = await expense(rep.token, {
      category: "hospitality",
      amountCny: 450,
      date: "2027-05-06",
      attendees: ["陈医生", "刘医生", "赵医生"],
    });
    expect(over.warnings).toContain("over_budget_escalated");
    expect(await read(b.id)).toMatchObject({ committedCny: 450, remainingCny: -150 });
  });

  it("a PUT recomputes what remains against the new amount", async () => {
    const rep = h.repA1;
    const b = await budget(h.admin.token, {
      repId: rep.id,
      month: "2027-06",
      category: "samples",
      amountCny: 100,
    });
    await expense(rep.token, { category: "samples", amountCny: 40.5, date: "2027-06-02" });
    const res = await putBudget(h.admin.token, b.id, { amountCny: 60 });
    expect(res.body).toEqual({ ...b, amountCny: 60, committedCny: 40.5, remainingCny: 19.5 });
  });
});

describe("budgets: filters and pagination", () => {
  const ids = async (query: string, token = h.admin.token) => {
    const res = await server.request("GET", `/api/budgets?limit=500&${query}`, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as any[]).map((b) => b.id);
  };
  const all = () => [fx.a1Jun, fx.a1JunTravel, fx.a1May, fx.a2Jun, fx.b1Jun].map((b) => b.id);

  it("filters by repId", async () => {
    const rows = await ids(`repId=${h.repA1.id}`);
    expect(rows).toEqual(expect.arrayContaining([fx.a1Jun.id, fx.a1JunTravel.id, fx.a1May.id]));
    expect(rows).not.toContain(fx.a2Jun.id);
    expect(rows).not.toContain(fx.b1Jun.id);
  });

  it("filters by month", async () => {
    const june = (await ids("month=2026-06")).filter((id) => all().includes(id));
    expect(june.sort()).toEqual([fx.a1Jun.id, fx.a1JunTravel.id, fx.a2Jun.id, fx.b1Jun.id].sort());
  });

  it("filters by category", async () => {
    const travel = await ids("category=travel&month=2026-06");
    expect(travel).toEqual([fx.a1JunTravel.id]);
  });

  it("combines filters", async () => {
    expect(await ids(`repId=${h.repA1.id}&month=2026-06&category=meals`)).toEqual([fx.a1Jun.id]);
  });

  it("lists each budget as GET /:id shows it", async () => {
    const { items } = await walkPages(server, "/api/budgets", h.admin.token, 500);
    for (const item of items) expect(await read(item.id)).toEqual(item);
  });

  it("walks more budgets than a page by nextCursor, each exactly once", async () => {
    const created: string[] = [];
    for (const category of ["travel", "accommodation", "transport", "meals", "hospitality", "samples"])
      for (const m of ["01", "02", "03"])
        created.push(
          (await budget(h.admin.token, { repId: h.repB1.id, month: `2028-${m}`, category, amountCny: 1 })).id,
        );
    const { pages, items } = await walkPages(server, `/api/budgets?repId=${h.repB1.id}`, h.admin.token, 4);
    const full = await ids(`repId=${h.repB1.id}`);
    expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true);
    expect(items.map((b) => b.id)).toEqual(full);
    expect(new Set(items.map((b) => b.id)).size).toBe(items.length);
    expect(items.map((b) => b.id)).toEqual(expect.arrayContaining(created));
  });
});
