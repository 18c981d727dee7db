import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visitPlans } from "../../../src/db/schema";
import { createUser, startTestServer, type TestServer } from "../../helpers/app";
import {
  auditCount,
  auditRowsOf,
  buildHierarchy,
  created,
  expectError,
  expectValidation,
  type Hierarchy,
  rowCount,
  walkPages,
} from "./fixtures";

/** The server's clock: Tuesday 2026-03-10, 09:00 in Shanghai (a working day). */
const TODAY = "2026-03-10";
const NOW = new Date("2026-03-10T01:00:00Z");

let server: TestServer;
let h: Hierarchy;
let pharmacyA1: any;
let pharmacyA2: any;
let pharmacyB1: any;
let xtn: any;
/** The filter fixtures, all in 2026-04 and 2026-05 (other tests write other months). */
const fx: Record<"p1" | "p2" | "p3" | "p4" | "p5", any> = {} as never;
const FIXTURE_RANGE = "from=2026-04-01&to=2026-05-31";

const CONTRACT_FIELDS = [
  "id",
  "repId",
  "customerId",
  "date",
  "slot",
  "purpose",
  "productIds",
  "status",
  "coVisitManagerId",
  "visitId",
];

const post = (token: string, body: unknown) => server.request("POST", "/api/visit-plans", token, body);
const patch = (token: string, id: string, body: unknown) =>
  server.request("PATCH", `/api/visit-plans/${id}`, token, body);
const plan = (token: string, body: object) => created(server, "/api/visit-plans", token, body);
const customer = (token: string, body: object) => created(server, "/api/customers", token, body);
const planCount = () => rowCount(server, visitPlans);
const planAuditCount = () => auditCount(server, "visit_plan");

beforeAll(async () => {
  server = await startTestServer({}, { now: () => NOW });
  h = await buildHierarchy(server);
  pharmacyA1 = await customer(h.repA1.token, { kind: "pharmacy", name: "益丰大药房(静安店)" });
  pharmacyA2 = await customer(h.repA2.token, { kind: "pharmacy", name: "华氏大药房(徐汇店)" });
  pharmacyB1 = await customer(h.repB1.token, { kind: "pharmacy", name: "杭州九洲大药房" });
  xtn = (await server.request("POST", "/api/products", h.admin.token, { name: "欣泰宁", code: "XTN" })).body;

  fx.p1 = await plan(h.repA1.token, { customerId: pharmacyA1.id, date: "2026-04-02", slot: "am" });
  fx.p2 = await plan(h.repA1.token, {
    customerId: pharmacyA1.id,
    date: "2026-04-30",
    slot: "pm",
    status: "temporary",
  });
  fx.p3 = await plan(h.repA2.token, { customerId: pharmacyA2.id, date: "2026-05-01", slot: "am" });
  fx.p4 = await plan(h.repB1.token, { customerId: pharmacyB1.id, date: "2026-05-20", slot: "pm" });
  fx.p5 = await plan(h.repA2.token, { customerId: pharmacyA2.id, date: "2026-05-31", slot: "pm" });
  const voided = await patch(h.repA2.token, fx.p5.id, { status: "void" });
  expect(voided.status, JSON.stringify(voided.body)).toBe(200);
  fx.p5 = voided.body;
});
afterAll(() => server.close());

describe("visit plans: creating", () => {
  it("creates a plan and answers 201 with the CONTRACT fields, read back the same", async () => {
    const res = await post(h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-06-03",
      slot: "am",
      purpose: "新品介绍",
      productIds: [xtn.id],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual([...CONTRACT_FIELDS].sort());
    expect(res.body).toEqual({
      id: expect.any(String),
      repId: h.repA1.id,
      customerId: pharmacyA1.id,
      date: "2026-06-03",
      slot: "am",
      purpose: "新品介绍",
      productIds: [xtn.id],
      status: "normal",
      coVisitManagerId: null,
      visitId: null,
    });
    const read = await server.request("GET", `/api/visit-plans/${res.body.id}`, h.repA1.token);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it("writes an audit row for a created plan", async () => {
    const p = await plan(h.repA2.token, { customerId: pharmacyA2.id, date: "2026-06-04", slot: "pm" });
    const audit = await auditRowsOf(server, "visit_plan", p.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "create", actorId: h.repA2.id, via: "api", before: null });
    expect(audit[0].after).toMatchObject({ repId: h.repA2.id, customerId: pharmacyA2.id, status: "normal" });
  });

  it("lets a manager book a co-visit with a rep of the team, for themself or a manager above", async () => {
    const own = await plan(h.districtA.token, {
      repId: h.repA1.id,
      customerId: pharmacyA1.id,
      date: "2026-06-05",
      slot: "pm",
      coVisitManagerId: h.districtA.id,
    });
    expect(own).toMatchObject({ repId: h.repA1.id, coVisitManagerId: h.districtA.id });
    const above = await plan(h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-06-06",
      slot: "am",
      coVisitManagerId: h.regional.id,
    });
    expect(above.coVisitManagerId).toBe(h.regional.id);
    expect((await auditRowsOf(server, "visit_plan", own.id))[0].actorId).toBe(h.districtA.id);
  });

  it("answers 404 for a customer that does not exist", async () => {
    const res = await post(h.repA1.token, { customerId: "nope", date: "2026-06-07", slot: "am" });
    expectError(res, 404, "not_found");
    expect(res.body.error.message).toContain("customerId");
  });
});

describe("visit plans: validation", () => {
  const base = () => ({ customerId: pharmacyA1.id, date: "2026-06-10", slot: "am" });
  const without = (key: string) => {
    const b: Record<string, unknown> = base();
    delete b[key];
    return b;
  };
  const cases: [string, () => unknown, string][] = [
    ["a missing slot", () => without("slot"), "slot"],
    ["a slot of noon", () => ({ ...base(), slot: "noon" }), "slot"],
    ["a missing customerId", () => without("customerId"), "customerId"],
    ["a date that does not exist", () => ({ ...base(), date: "2026-02-29" }), "date"],
    ["a plan created completed", () => ({ ...base(), status: "completed" }), "status"],
    ["productIds that are not a list", () => ({ ...base(), productIds: "XTN" }), "productIds"],
    ["a product that does not exist", () => ({ ...base(), productIds: [xtn.id, "nope"] }), "productIds"],
    [
      "a co-visit manager of another district",
      () => ({ ...base(), coVisitManagerId: h.districtB.id }),
      "coVisitManagerId",
    ],
    [
      "a co-visit 'manager' who is a peer rep",
      () => ({ ...base(), coVisitManagerId: h.repA2.id }),
      "coVisitManagerId",
    ],
    ["a malformed JSON body", () => "{", "body"],
  ];

  it.each(cases)("rejects %s, naming the field, and writes nothing", async (_name, body, field) => {
    const [plansBefore, auditBefore] = [await planCount(), await planAuditCount()];
    expectValidation(await post(h.repA1.token, body()), field);
    expect(await planCount()).toBe(plansBefore);
    expect(await planAuditCount()).toBe(auditBefore);
  });
});

describe("visit plans: who may plan and see what", () => {
  it("refuses a rep planning for another rep", async () => {
    const res = await post(h.repA1.token, {
      repId: h.repA2.id,
      customerId: pharmacyA2.id,
      date: "2026-06-11",
      slot: "am",
    });
    expectError(res, 403, "forbidden");
  });

  it("refuses finance planning a visit", async () => {
    const res = await post(h.finance.token, {
      repId: h.repA1.id,
      customerId: pharmacyA1.id,
      date: "2026-06-11",
      slot: "am",
    });
    expectError(res, 403, "forbidden");
  });

  it("refuses a rep planning a visit to another rep's customer, and writes nothing", async () => {
    const before = await planCount();
    const res = await post(h.repA1.token, { customerId: pharmacyB1.id, date: "2026-06-11", slot: "am" });
    expectError(res, 403, "forbidden");
    expect(await planCount()).toBe(before);
  });

  it("refuses reading another rep's plan, or one of the other district", async () => {
    expectError(await server.request("GET", `/api/visit-plans/${fx.p3.id}`, h.repA1.token), 403, "forbidden");
    expectError(
      await server.request("GET", `/api/visit-plans/${fx.p4.id}`, h.districtA.token),
      403,
      "forbidden",
    );
  });

  it("lets the managers up the chain, finance and admin read a rep's plan", async () => {
    for (const who of [h.districtA, h.regional, h.finance, h.admin]) {
      const res = await server.request("GET", `/api/visit-plans/${fx.p1.id}`, who.token);
      expect(res.status, who.name).toBe(200);
      expect(res.body).toEqual(fx.p1);
    }
  });

  it("answers 404 for a plan that does not exist", async () => {
    expectError(await server.request("GET", "/api/visit-plans/nope", h.admin.token), 404, "not_found");
    expectError(await patch(h.admin.token, "nope", { purpose: "x" }), 404, "not_found");
  });

  it("refuses another rep and finance changing a plan, and leaves it as it was", async () => {
    expectError(await patch(h.repA2.token, fx.p1.id, { purpose: "改" }), 403, "forbidden");
    expectError(await patch(h.districtB.token, fx.p1.id, { purpose: "改" }), 403, "forbidden");
    expectError(await patch(h.finance.token, fx.p1.id, { purpose: "改" }), 403, "forbidden");
    const read = await server.request("GET", `/api/visit-plans/${fx.p1.id}`, h.admin.token);
    expect(read.body).toEqual(fx.p1);
  });

  it("lists a rep's own plans only, and a district manager's team", async () => {
    const mine = await walkPages(server, `/api/visit-plans?${FIXTURE_RANGE}`, h.repA1.token, 500);
    expect(mine.items.map((p) => p.id).sort()).toEqual([fx.p1.id, fx.p2.id].sort());
    const team = await walkPages(server, `/api/visit-plans?${FIXTURE_RANGE}`, h.districtA.token, 500);
    expect(team.items.map((p) => p.id).sort()).toEqual([fx.p1.id, fx.p2.id, fx.p3.id, fx.p5.id].sort());
    const other = await server.request("GET", `/api/visit-plans?repId=${h.repB1.id}`, h.repA1.token);
    expect(other.body.items).toEqual([]);
  });

  it("lists every plan to finance, as to admin", async () => {
    const all = await walkPages(server, "/api/visit-plans", h.admin.token, 500);
    const fin = await walkPages(server, "/api/visit-plans", h.finance.token, 500);
    expect(fin.items).toEqual(all.items);
    expect(all.items.some((p) => p.id === fx.p4.id)).toBe(true);
  });
});

describe("visit plans: filters and pagination", () => {
  const ids = async (query: string) => {
    const res = await server.request(
      "GET",
      `/api/visit-plans?limit=500&${FIXTURE_RANGE}&${query}`,
      h.admin.token,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as any[]).map((p) => p.id).sort();
  };
  const of = (...ps: any[]) => ps.map((p) => p.id).sort();

  it("lists the five fixtures in their range and each listed plan equals its GET", async () => {
    const res = await server.request("GET", `/api/visit-plans?limit=500&${FIXTURE_RANGE}`, h.admin.token);
    expect(res.body.items.map((p: any) => p.id).sort()).toEqual(of(fx.p1, fx.p2, fx.p3, fx.p4, fx.p5));
    for (const item of res.body.items) {
      const one = await server.request("GET", `/api/visit-plans/${item.id}`, h.admin.token);
      expect(one.body).toEqual(item);
    }
  });

  it("filters by repId", async () => {
    expect(await ids(`repId=${h.repA2.id}`)).toEqual(of(fx.p3, fx.p5));
  });

  it("filters by customerId", async () => {
    expect(await ids(`customerId=${pharmacyA1.id}`)).toEqual(of(fx.p1, fx.p2));
  });

  it("filters by status", async () => {
    expect(await ids("status=temporary")).toEqual(of(fx.p2));
    expect(await ids("status=void")).toEqual(of(fx.p5));
    expect(await ids("status=normal")).toEqual(of(fx.p1, fx.p3, fx.p4));
  });

  it("filters by month, from and to (inclusive)", async () => {
    const month = await server.request("GET", "/api/visit-plans?limit=500&month=2026-04", h.admin.token);
    expect(month.body.items.map((p: any) => p.id).sort()).toEqual(of(fx.p1, fx.p2));
    const range = await server.request(
      "GET",
      "/api/visit-plans?limit=500&from=2026-04-30&to=2026-05-01",
      h.admin.token,
    );
    expect(range.body.items.map((p: any) => p.id).sort()).toEqual(of(fx.p2, fx.p3));
  });

  it("rejects filters it cannot read, naming them", async () => {
    expectValidation(await server.request("GET", "/api/visit-plans?status=done", h.admin.token), "status");
    expectValidation(await server.request("GET", "/api/visit-plans?month=2026-4", h.admin.token), "month");
    expectValidation(await server.request("GET", "/api/visit-plans?from=2026-04-31", h.admin.token), "from");
    expectValidation(await server.request("GET", "/api/visit-plans?limit=0", h.admin.token), "limit");
  });

  it("walks more plans than a page by nextCursor, each once, each equal to its GET", async () => {
    const created: any[] = [];
    for (let day = 1; day <= 17; day++)
      created.push(
        await plan(h.repA2.token, {
          customerId: pharmacyA2.id,
          date: `2026-08-${String(day).padStart(2, "0")}`,
          slot: day % 2 ? "am" : "pm",
        }),
      );
    const { pages, items } = await walkPages(server, "/api/visit-plans?month=2026-08", h.regional.token, 4);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 1]);
    expect(new Set(items.map((p) => p.id)).size).toBe(17);
    expect([...items].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(created);
  });
});

describe("visit plans: changing and status transitions", () => {
  type Status = "temporary" | "normal" | "void" | "completed" | "submitted";
  /** A fresh plan of repA1 in the given status, reached through the API. */
  const planIn = async (status: Status) => {
    const p = await plan(h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-09-01",
      slot: "am",
      status: status === "temporary" ? "temporary" : "normal",
    });
    if (status === "temporary" || status === "normal") return p;
    const res = await patch(h.repA1.token, p.id, { status });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  // DOMAIN.md §3: void and submitted are final; completed may only be submitted.
  const allowed: [Status, Status][] = [
    ["temporary", "normal"],
    ["temporary", "void"],
    ["temporary", "completed"],
    ["temporary", "submitted"],
    ["normal", "void"],
    ["normal", "completed"],
    ["normal", "submitted"],
    ["completed", "submitted"],
  ];
  const refused: [Status, Status][] = [
    ["normal", "temporary"],
    ["completed", "temporary"],
    ["completed", "normal"],
    ["completed", "void"],
    ["void", "temporary"],
    ["void", "normal"],
    ["void", "completed"],
    ["void", "submitted"],
    ["submitted", "temporary"],
    ["submitted", "normal"],
    ["submitted", "void"],
    ["submitted", "completed"],
  ];

  it.each(allowed)("moves a plan from %s to %s, audited", async (from, to) => {
    const p = await planIn(from);
    const res = await patch(h.repA1.token, p.id, { status: to });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...p, status: to });
    const read = await server.request("GET", `/api/visit-plans/${p.id}`, h.repA1.token);
    expect(read.body).toEqual(res.body);
    const audit = await auditRowsOf(server, "visit_plan", p.id);
    expect(audit.at(-1)).toMatchObject({ action: "update", actorId: h.repA1.id, via: "api" });
    expect(audit.at(-1)!.before).toMatchObject({ status: from });
    expect(audit.at(-1)!.after).toMatchObject({ status: to });
  });

  it.each(refused)("refuses moving a plan from %s to %s with 409, changing nothing", async (from, to) => {
    const p = await planIn(from);
    const auditBefore = (await auditRowsOf(server, "visit_plan", p.id)).length;
    const res = await patch(h.repA1.token, p.id, { status: to });
    expectError(res, 409, "conflict");
    expect(res.body.error.message).toContain("status");
    const read = await server.request("GET", `/api/visit-plans/${p.id}`, h.repA1.token);
    expect(read.body).toEqual(p);
    expect(await auditRowsOf(server, "visit_plan", p.id)).toHaveLength(auditBefore);
  });

  it("changes date, slot and purpose, keeping the rest, and audits before and after", async () => {
    const p = await planIn("normal");
    const res = await patch(h.districtA.token, p.id, { date: "2026-09-02", slot: "pm", purpose: "送样品" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...p, date: "2026-09-02", slot: "pm", purpose: "送样品" });
    const audit = await auditRowsOf(server, "visit_plan", p.id);
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["create", h.repA1.id],
      ["update", h.districtA.id],
    ]);
    expect(audit[1].before).toMatchObject({ date: "2026-09-01", slot: "am", purpose: null });
    expect(audit[1].after).toMatchObject({ date: "2026-09-02", slot: "pm", purpose: "送样品" });
  });

  it.each(["completed", "submitted", "void"] as const)(
    "refuses moving or rewording a %s plan with 409, changing nothing",
    async (status) => {
      const p = await planIn(status);
      const auditBefore = (await auditRowsOf(server, "visit_plan", p.id)).length;
      for (const body of [{ date: "2026-09-03" }, { slot: "pm" }, { purpose: "补拜访" }]) {
        const res = await patch(h.repA1.token, p.id, body);
        expectError(res, 409, "conflict");
        expect(res.body.error.message).toContain(Object.keys(body)[0]);
      }
      const read = await server.request("GET", `/api/visit-plans/${p.id}`, h.repA1.token);
      expect(read.body).toEqual(p);
      expect(await auditRowsOf(server, "visit_plan", p.id)).toHaveLength(auditBefore);
    },
  );

  it("books a manager above the rep onto an existing plan", async () => {
    const p = await planIn("normal");
    const res = await patch(h.repA1.token, p.id, { coVisitManagerId: h.districtA.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.coVisitManagerId).toBe(h.districtA.id);
  });

  it.each([
    ["a peer rep", () => h.repA2.id],
    ["a manager of another district", () => h.districtB.id],
    ["a user that does not exist", () => "nope"],
  ])("refuses %s as the co-visit manager of a plan, changing nothing", async (_name, who) => {
    const p = await planIn("normal");
    const res = await patch(h.repA1.token, p.id, { coVisitManagerId: who() });
    expectValidation(res, "coVisitManagerId");
    const read = await server.request("GET", `/api/visit-plans/${p.id}`, h.repA1.token);
    expect(read.body).toEqual(p);
  });

  it.each([
    ["a status it does not know", { status: "done" }, "status"],
    ["a date that does not exist", { date: "2026-09-31" }, "date"],
    ["a slot of evening", { slot: "evening" }, "slot"],
    ["a field it may not change", { repId: "someone" }, "body"],
  ])("rejects a patch with %s, naming it", async (_name, body, field) => {
    const res = await patch(h.repA1.token, fx.p1.id, body);
    expectValidation(res, field);
    if (field === "body") expect(res.body.error.message).toContain("repId");
  });

  it("completes a plan by logging its visit; then it may only be submitted", async () => {
    const p = await planIn("temporary");
    const v = await server.request("POST", "/api/visits", h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-09-01",
      rating: 5,
      planId: p.id,
    });
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    const read = await server.request("GET", `/api/visit-plans/${p.id}`, h.repA1.token);
    expect(read.body).toEqual({ ...p, status: "completed", visitId: v.body.id });
    expectError(await patch(h.repA1.token, p.id, { status: "normal" }), 409, "conflict");
    const submitted = await patch(h.repA1.token, p.id, { status: "submitted" });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: "submitted", visitId: v.body.id });
  });
});

describe("visit plans: the computed daily plan", () => {
  let rep: Awaited<ReturnType<typeof createUser>>;
  const c: Record<"a" | "c" | "done" | "follow" | "co", any> = {} as never;
  let coPlan: any;
  let tempPlan: any;
  const daily = (token: string, query = "") =>
    server.request("GET", `/api/visit-plans/daily${query ? `?${query}` : ""}`, token);

  beforeAll(async () => {
    rep = await createUser(server.database, { name: "陈静", role: "rep", managerId: h.districtA.id });
    const mk = (body: object) => customer(rep.token, { kind: "pharmacy", ...body });
    // A-grade store (both sales bounds met): class A, 4 visits a month, never visited.
    c.a = await mk({
      name: "老百姓大药房(南京西路店)",
      area: "静安区",
      monthlySalesCny: 600_000,
      ourMonthlySalesCny: 20_000,
    });
    // Not yet covered (grade D, planned as C): 1 visit a month.
    c.c = await mk({ name: "海王星辰(静安寺店)", area: "静安区" });
    c.done = await mk({ name: "复美大药房(愚园路店)", area: "静安区" });
    c.follow = await mk({ name: "余天成堂(徐家汇店)", area: "徐汇区" });
    c.co = await mk({ name: "华东大药房(衡山路店)", area: "徐汇区" });
    const logged = async (body: object) => {
      const res = await server.request("POST", "/api/visits", rep.token, { rating: 5, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    // Already visited this month: its monthly target is met.
    await logged({ customerId: c.done.id, date: "2026-03-02" });
    // Visited last month with a follow-up promised for yesterday.
    await logged({ customerId: c.follow.id, date: "2026-02-20", followUpOn: "2026-03-09" });
    coPlan = await plan(h.districtA.token, {
      repId: rep.id,
      customerId: c.co.id,
      date: TODAY,
      slot: "pm",
      coVisitManagerId: h.districtA.id,
    });
    tempPlan = await plan(rep.token, { customerId: c.a.id, date: TODAY, slot: "am", status: "temporary" });
    const voided = await plan(rep.token, { customerId: c.c.id, date: TODAY, slot: "am" });
    expect((await patch(rep.token, voided.id, { status: "void" })).status).toBe(200);
    await plan(rep.token, { customerId: c.c.id, date: "2026-03-11", slot: "am" });
  });

  it("plans co-visit, follow-up and overdue customers by priority, one area per half-day", async () => {
    const res = await daily(rep.token, `repId=${rep.id}&date=${TODAY}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ repId: rep.id, date: TODAY, workingDay: true });
    expect(res.body.reason).toBeUndefined();
    expect(res.body.items.map((i: any) => [i.customerId, i.slot, i.area, i.className, i.reasons])).toEqual([
      [c.a.id, "am", "静安区", "A", ["overdue"]],
      [c.c.id, "am", "静安区", "C", ["overdue"]],
      [c.co.id, "pm", "徐汇区", "C", ["co_visit", "overdue"]],
      [c.follow.id, "pm", "徐汇区", "C", ["follow_up", "due"]],
    ]);
    expect(res.body.items[0].name).toBe(c.a.name);
  });

  it("lists the plans booked for the day, not the void ones nor other days", async () => {
    const res = await daily(rep.token, `date=${TODAY}`);
    const planned = [...res.body.planned].sort((a: any, b: any) => (a.id < b.id ? -1 : 1));
    expect(planned).toEqual([coPlan, tempPlan].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it("defaults to the caller and to today in the company's time zone", async () => {
    const explicit = await daily(rep.token, `repId=${rep.id}&date=${TODAY}`);
    const implicit = await daily(rep.token);
    expect(implicit.status).toBe(200);
    expect(implicit.body).toEqual(explicit.body);
  });

  it("plans nothing on a weekend and says why", async () => {
    const res = await daily(rep.token, "date=2026-03-14");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ date: "2026-03-14", items: [], reason: "day_off", workingDay: false });
  });

  it("lets the rep's managers, finance and admin read it; refuses other reps and districts", async () => {
    const own = await daily(rep.token, `date=${TODAY}`);
    for (const who of [h.districtA, h.regional, h.finance, h.admin]) {
      const res = await daily(who.token, `repId=${rep.id}&date=${TODAY}`);
      expect(res.status, who.name).toBe(200);
      expect(res.body).toEqual(own.body);
    }
    for (const who of [h.repA1, h.districtB])
      expectError(await daily(who.token, `repId=${rep.id}&date=${TODAY}`), 403, "forbidden");
  });

  it("rejects a date that does not exist", async () => {
    expectValidation(await daily(rep.token, "date=2026-02-30"), "date");
  });

  it("drops a customer from the day once visited that day, and settles the follow-up", async () => {
    for (const customerId of [c.a.id, c.follow.id]) {
      const res = await server.request("POST", "/api/visits", rep.token, {
        customerId,
        date: TODAY,
        rating: 6,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const res = await daily(rep.token, `date=${TODAY}`);
    expect(res.body.items.map((i: any) => i.customerId)).toEqual([c.c.id, c.co.id]);
  });
});
