import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coVisits, users, visits } from "../../../src/db/schema";
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
  SHANGHAI_INSTANT,
  walkPages,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;
/** Customers by owner: two of repA1, one each of repA2 and repB1. */
let pharmacyA1: any;
let hospitalA1: any;
let pharmacyA2: any;
let pharmacyB1: any;
let xtn: any;
let mtf: any;
/** The filter fixtures, all in 2026-03 and 2026-04 (other tests write other months). */
const fx: Record<"v1" | "v2" | "v3" | "v4" | "v5", any> = {} as never;
let fixturePlan: any;

const CONTRACT_FIELDS = [
  "id",
  "repId",
  "customerId",
  "at",
  "timeKnown",
  "method",
  "purposes",
  "productIds",
  "rating",
  "notes",
  "nextStep",
  "followUpOn",
  "status",
  "planId",
];

const post = (token: string, body: unknown) => server.request("POST", "/api/visits", token, body);
const visit = (token: string, body: object) => created(server, "/api/visits", token, body);
const customer = (token: string, body: object) => created(server, "/api/customers", token, body);
const visitCount = () => rowCount(server, visits);
const visitAuditCount = () => auditCount(server, "visit");
const FIXTURE_RANGE = "from=2026-03-01&to=2026-04-30";

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
  pharmacyA1 = await customer(h.repA1.token, {
    kind: "pharmacy",
    name: "益丰大药房(静安店)",
    area: "静安区",
  });
  hospitalA1 = await customer(h.repA1.token, {
    kind: "hospital",
    name: "上海市第六人民医院",
    area: "徐汇区",
  });
  pharmacyA2 = await customer(h.repA2.token, { kind: "pharmacy", name: "华氏大药房(徐汇店)" });
  pharmacyB1 = await customer(h.repB1.token, { kind: "pharmacy", name: "杭州九洲大药房" });
  // xtn is created first, so its id sorts first (ids are time-ordered).
  xtn = (await server.request("POST", "/api/products", h.admin.token, { name: "欣泰宁", code: "XTN" })).body;
  mtf = (await server.request("POST", "/api/products", h.admin.token, { name: "二甲双胍", code: "MTF" }))
    .body;
  expect(xtn.id < mtf.id).toBe(true);

  const planRes = await server.request("POST", "/api/visit-plans", h.repA1.token, {
    customerId: hospitalA1.id,
    date: "2026-04-20",
    slot: "am",
  });
  expect(planRes.status, JSON.stringify(planRes.body)).toBe(201);
  fixturePlan = planRes.body;

  fx.v1 = await visit(h.repA1.token, {
    customerId: pharmacyA1.id,
    date: "2026-03-05",
    time: "10:30",
    method: "in_person",
    purposes: ["promotion"],
    productIds: [xtn.id],
    rating: 5,
  });
  fx.v2 = await visit(h.repA1.token, {
    customerId: pharmacyA1.id,
    date: "2026-03-31",
    method: "phone",
    productIds: [mtf.id],
    rating: 4,
  });
  fx.v3 = await visit(h.repA2.token, {
    customerId: pharmacyA2.id,
    date: "2026-04-01",
    method: "wechat",
    productIds: [mtf.id, xtn.id],
    rating: 6,
  });
  fx.v4 = await visit(h.repB1.token, {
    customerId: pharmacyB1.id,
    date: "2026-04-15",
    method: "meeting",
    rating: 3,
  });
  fx.v5 = await visit(h.repA1.token, {
    customerId: hospitalA1.id,
    date: "2026-04-20",
    time: "09:00",
    rating: 4,
    planId: fixturePlan.id,
  });
  // Visits cannot be voided over the API; the `void` filter needs one.
  await server.database.db.update(visits).set({ status: "void" }).where(eq(visits.id, fx.v2.id));
  fx.v2 = { ...fx.v2, status: "void" };
});
afterAll(() => server.close());

describe("visits: recording", () => {
  it("records a visit and answers 201 with the CONTRACT fields, read back the same", async () => {
    const res = await post(h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-05-06",
      time: "14:05",
      method: "in_person",
      purposes: ["promotion", "feedback"],
      productIds: [xtn.id],
      rating: 6,
      keyMessage: "一天一次,依从性好",
      notes: "主任对新适应症有兴趣",
      nextStep: "送文献",
      followUpOn: "2026-05-20",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    for (const f of CONTRACT_FIELDS) expect(res.body).toHaveProperty(f);
    expect(res.body).toMatchObject({
      repId: h.repA1.id,
      customerId: pharmacyA1.id,
      at: "2026-05-06T14:05:00+08:00",
      date: "2026-05-06",
      timeKnown: true,
      method: "in_person",
      purposes: ["promotion", "feedback"],
      productIds: [xtn.id],
      rating: 6,
      keyMessage: "一天一次,依从性好",
      notes: "主任对新适应症有兴趣",
      nextStep: "送文献",
      followUpOn: "2026-05-20",
      status: "logged",
      planId: null,
    });
    const read = await server.request("GET", `/api/visits/${res.body.id}`, h.repA1.token);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it("stores a date-only visit at 12:00 local with timeKnown false and in_person by default", async () => {
    const v = await visit(h.repA2.token, { customerId: pharmacyA2.id, date: "2026-05-07", rating: 3 });
    expect(v).toMatchObject({
      at: "2026-05-07T12:00:00+08:00",
      timeKnown: false,
      method: "in_person",
      purposes: [],
      productIds: [],
      notes: null,
      followUpOn: null,
    });
    expect(v.at).toMatch(SHANGHAI_INSTANT);
  });

  it("places a date-only visit at noon in the rep's own time zone, shown in the company's offset", async () => {
    const far = await createUser(server.database, { name: "Aidar", role: "rep", managerId: h.districtA.id });
    await server.database.db.update(users).set({ timezone: "Asia/Urumqi" }).where(eq(users.id, far.id));
    const c = await customer(far.token, { kind: "pharmacy", name: "乌鲁木齐大药房" });
    const v = await visit(far.token, { customerId: c.id, date: "2026-05-08", rating: 4 });
    // 12:00 at UTC+6 is 14:00 in Shanghai, the same calendar day.
    expect(v).toMatchObject({ at: "2026-05-08T14:00:00+08:00", date: "2026-05-08", timeKnown: false });
  });

  it("answers the same productIds on create, on read and in the list", async () => {
    const v = await visit(h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-05-09",
      productIds: [mtf.id, xtn.id, mtf.id],
      rating: 5,
    });
    const read = await server.request("GET", `/api/visits/${v.id}`, h.repA1.token);
    const list = await server.request("GET", "/api/visits?from=2026-05-09&to=2026-05-09", h.repA1.token);
    expect(list.body.items).toHaveLength(1);
    expect(new Set(v.productIds)).toEqual(new Set([xtn.id, mtf.id]));
    expect(v.productIds).toHaveLength(2);
    expect(read.body).toEqual(v);
    expect(list.body.items[0]).toEqual(v);
  });

  it("writes one audit row for a visit, with the actor and the products", async () => {
    const v = await visit(h.repA2.token, {
      customerId: pharmacyA2.id,
      date: "2026-05-10",
      productIds: [xtn.id],
      rating: 2,
    });
    const audit = await auditRowsOf(server, "visit", v.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "create", actorId: h.repA2.id, via: "api", before: null });
    expect(audit[0].after).toMatchObject({ customerId: pharmacyA2.id, rating: 2, productIds: [xtn.id] });
  });

  it("lets a manager record a visit for a rep of the team, audited as the manager", async () => {
    const v = await visit(h.regional.token, {
      repId: h.repB1.id,
      customerId: pharmacyB1.id,
      date: "2026-05-11",
      rating: 4,
    });
    expect(v.repId).toBe(h.repB1.id);
    expect((await auditRowsOf(server, "visit", v.id))[0].actorId).toBe(h.regional.id);
  });

  it("completes the plan a visit is logged from and links the two", async () => {
    const plan = await server.request("GET", `/api/visit-plans/${fixturePlan.id}`, h.repA1.token);
    expect(plan.body).toMatchObject({ status: "completed", visitId: fx.v5.id });
    expect(fx.v5.planId).toBe(fixturePlan.id);
  });

  it("answers 409 for a visit logged from a plan already completed, and writes nothing", async () => {
    const before = await visitCount();
    const res = await post(h.repA1.token, {
      customerId: hospitalA1.id,
      date: "2026-04-21",
      rating: 4,
      planId: fixturePlan.id,
    });
    expectError(res, 409, "conflict");
    expect(await visitCount()).toBe(before);
  });

  it("answers 404 for a plan of another rep or one that does not exist", async () => {
    const other = await server.request("POST", "/api/visit-plans", h.repA2.token, {
      customerId: pharmacyA2.id,
      date: "2026-05-12",
      slot: "pm",
    });
    expect(other.status).toBe(201);
    const base = { customerId: pharmacyA1.id, date: "2026-05-12", rating: 4 };
    expectError(await post(h.repA1.token, { ...base, planId: other.body.id }), 404, "not_found");
    expectError(await post(h.repA1.token, { ...base, planId: "nope" }), 404, "not_found");
    const still = await server.request("GET", `/api/visit-plans/${other.body.id}`, h.repA2.token);
    expect(still.body).toMatchObject({ status: "normal", visitId: null });
  });

  it("answers 400 naming planId for a visit to another customer than the plan's, and writes nothing", async () => {
    const plan = await server.request("POST", "/api/visit-plans", h.repA1.token, {
      customerId: hospitalA1.id,
      date: "2026-05-13",
      slot: "am",
    });
    expect(plan.status).toBe(201);
    const before = await visitCount();
    const res = await post(h.repA1.token, {
      customerId: pharmacyA1.id,
      date: "2026-05-13",
      rating: 4,
      planId: plan.body.id,
    });
    expectValidation(res, "planId");
    expect(await visitCount()).toBe(before);
    const still = await server.request("GET", `/api/visit-plans/${plan.body.id}`, h.repA1.token);
    expect(still.body).toMatchObject({ status: "normal", visitId: null });
  });

  it("settles an open follow-up of the customer when a later visit is logged", async () => {
    const first = await visit(h.repA1.token, {
      customerId: hospitalA1.id,
      date: "2026-05-13",
      rating: 4,
      followUpOn: "2026-05-15",
    });
    const doneAt = async () =>
      (await server.database.db
        .select({ d: visits.followUpDoneAt })
        .from(visits)
        .where(eq(visits.id, first.id))
        .get())!.d;
    expect(await doneAt()).toBeNull();
    await visit(h.repA1.token, { customerId: hospitalA1.id, date: "2026-05-16", rating: 5 });
    expect(await doneAt()).not.toBeNull();
  });

  it("answers 404 for a customer that does not exist", async () => {
    const res = await post(h.repA1.token, { customerId: "nope", date: "2026-05-14", rating: 4 });
    expectError(res, 404, "not_found");
    expect(res.body.error.message).toContain("customerId");
  });
});

describe("visits: validation", () => {
  const base = () => ({ customerId: pharmacyA1.id, date: "2026-06-01", rating: 4 });
  const without = (key: string) => {
    const b: Record<string, unknown> = base();
    delete b[key];
    return b;
  };
  const cases: [string, () => unknown, string][] = [
    ["a missing rating", () => without("rating"), "rating"],
    ["a rating of 8", () => ({ ...base(), rating: 8 }), "rating"],
    ["a rating of 0", () => ({ ...base(), rating: 0 }), "rating"],
    ["a rating of 4.5", () => ({ ...base(), rating: 4.5 }), "rating"],
    ["a missing customerId", () => without("customerId"), "customerId"],
    ["a date that does not exist", () => ({ ...base(), date: "2026-02-30" }), "date"],
    ["a missing date", () => without("date"), "date"],
    ["a time of 25:00", () => ({ ...base(), time: "25:00" }), "time"],
    ["a method it does not know", () => ({ ...base(), method: "fax" }), "method"],
    ["a purpose it does not know", () => ({ ...base(), purposes: ["gossip"] }), "purposes.0"],
    ["productIds that are not a list", () => ({ ...base(), productIds: "XTN" }), "productIds"],
    ["a product that does not exist", () => ({ ...base(), productIds: [xtn.id, "nope"] }), "productIds"],
    ["a follow-up before the visit", () => ({ ...base(), followUpOn: "2026-05-31" }), "followUpOn"],
    ["a malformed JSON body", () => '{"customerId":', "body"],
  ];

  it.each(cases)("rejects %s, naming the field, and writes nothing", async (_name, body, field) => {
    const [visitsBefore, auditBefore] = [await visitCount(), await visitAuditCount()];
    expectValidation(await post(h.repA1.token, body()), field);
    expect(await visitCount()).toBe(visitsBefore);
    expect(await visitAuditCount()).toBe(auditBefore);
  });
});

describe("visits: who may record and see what", () => {
  it("refuses a rep recording a visit for another rep", async () => {
    const res = await post(h.repA1.token, {
      repId: h.repA2.id,
      customerId: pharmacyA2.id,
      date: "2026-06-02",
      rating: 4,
    });
    expectError(res, 403, "forbidden");
  });

  it("refuses a district manager recording for a rep of the other district", async () => {
    const res = await post(h.districtA.token, {
      repId: h.repB1.id,
      customerId: pharmacyB1.id,
      date: "2026-06-02",
      rating: 4,
    });
    expectError(res, 403, "forbidden");
  });

  it("refuses finance recording a visit", async () => {
    const res = await post(h.finance.token, {
      repId: h.repA1.id,
      customerId: pharmacyA1.id,
      date: "2026-06-02",
      rating: 4,
    });
    expectError(res, 403, "forbidden");
  });

  it("refuses a rep logging a visit at another rep's customer, and writes nothing", async () => {
    const before = await visitCount();
    const res = await post(h.repA1.token, { customerId: pharmacyB1.id, date: "2026-06-03", rating: 4 });
    expectError(res, 403, "forbidden");
    expect(await visitCount()).toBe(before);
  });

  it("refuses a manager logging a rep's visit at a teammate's customer, and writes nothing", async () => {
    const before = await visitCount();
    // Both reps are districtA's: the customer is in the manager's scope, not in repA1's book.
    const res = await post(h.districtA.token, {
      repId: h.repA1.id,
      customerId: pharmacyA2.id,
      date: "2026-06-03",
      rating: 4,
    });
    expectError(res, 403, "forbidden");
    expect(res.body.error.message).toContain("customerId");
    expect(await visitCount()).toBe(before);
  });

  it("lets a manager log their own visit at a customer of their team", async () => {
    const v = await visit(h.districtA.token, { customerId: pharmacyA2.id, date: "2026-06-04", rating: 5 });
    expect(v).toMatchObject({ repId: h.districtA.id, customerId: pharmacyA2.id });
  });

  it("refuses a rep reading another rep's visit", async () => {
    expectError(await server.request("GET", `/api/visits/${fx.v3.id}`, h.repA1.token), 403, "forbidden");
  });

  it("refuses a district manager reading a visit of the other district", async () => {
    expectError(await server.request("GET", `/api/visits/${fx.v4.id}`, h.districtA.token), 403, "forbidden");
  });

  it("lets the managers up the chain, finance and admin read a rep's visit", async () => {
    for (const who of [h.districtA, h.regional, h.finance, h.admin]) {
      const res = await server.request("GET", `/api/visits/${fx.v1.id}`, who.token);
      expect(res.status, who.name).toBe(200);
      expect(res.body).toEqual(fx.v1);
    }
  });

  it("answers 404 for a visit that does not exist", async () => {
    expectError(await server.request("GET", "/api/visits/nope", h.admin.token), 404, "not_found");
  });

  it("lists a rep's own visits only", async () => {
    const { items } = await walkPages(server, "/api/visits", h.repA1.token, 500);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((v) => v.repId === h.repA1.id)).toBe(true);
    // Asking for another rep's visits gives nothing, not theirs.
    const other = await server.request("GET", `/api/visits?repId=${h.repB1.id}`, h.repA1.token);
    expect(other.body.items).toEqual([]);
  });

  it("lists a district manager's team and not the other district", async () => {
    const { items } = await walkPages(server, `/api/visits?${FIXTURE_RANGE}`, h.districtA.token, 500);
    expect(items.map((v) => v.id).sort()).toEqual([fx.v1.id, fx.v2.id, fx.v3.id, fx.v5.id].sort());
  });

  it("lists every visit to finance, as to admin", async () => {
    const all = await walkPages(server, "/api/visits", h.admin.token, 500);
    const fin = await walkPages(server, "/api/visits", h.finance.token, 500);
    expect(fin.items).toEqual(all.items);
    expect(all.items.map((v) => v.repId)).toEqual(
      expect.arrayContaining([h.repA1.id, h.repA2.id, h.repB1.id]),
    );
  });
});

describe("visits: filters and pagination", () => {
  const ids = async (query: string) => {
    const res = await server.request("GET", `/api/visits?limit=500&${FIXTURE_RANGE}&${query}`, h.admin.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as any[]).map((v) => v.id).sort();
  };
  const of = (...vs: any[]) => vs.map((v) => v.id).sort();

  it("lists all five fixtures in their range and each listed visit equals its GET", async () => {
    const res = await server.request("GET", `/api/visits?limit=500&${FIXTURE_RANGE}`, h.admin.token);
    expect(res.body.items.map((v: any) => v.id).sort()).toEqual(of(fx.v1, fx.v2, fx.v3, fx.v4, fx.v5));
    for (const item of res.body.items) {
      const one = await server.request("GET", `/api/visits/${item.id}`, h.admin.token);
      expect(one.body).toEqual(item);
    }
    expect(res.body.items.find((v: any) => v.id === fx.v1.id)).toEqual(fx.v1);
  });

  it("filters by repId", async () => {
    expect(await ids(`repId=${h.repA1.id}`)).toEqual(of(fx.v1, fx.v2, fx.v5));
  });

  it("filters by customerId", async () => {
    expect(await ids(`customerId=${pharmacyA1.id}`)).toEqual(of(fx.v1, fx.v2));
  });

  it("filters by productId", async () => {
    expect(await ids(`productId=${xtn.id}`)).toEqual(of(fx.v1, fx.v3));
    expect(await ids(`productId=${mtf.id}`)).toEqual(of(fx.v2, fx.v3));
  });

  it("filters by planId", async () => {
    expect(await ids(`planId=${fixturePlan.id}`)).toEqual(of(fx.v5));
  });

  it("filters by status", async () => {
    expect(await ids("status=void")).toEqual(of(fx.v2));
    expect(await ids("status=logged")).toEqual(of(fx.v1, fx.v3, fx.v4, fx.v5));
  });

  it("filters by method", async () => {
    expect(await ids("method=wechat")).toEqual(of(fx.v3));
    expect(await ids("method=in_person")).toEqual(of(fx.v1, fx.v5));
  });

  it("filters by month, from and to (inclusive, on the local date)", async () => {
    const month = await server.request("GET", "/api/visits?limit=500&month=2026-03", h.admin.token);
    expect(month.body.items.map((v: any) => v.id).sort()).toEqual(of(fx.v1, fx.v2));
    const range = await server.request(
      "GET",
      "/api/visits?limit=500&from=2026-03-31&to=2026-04-01",
      h.admin.token,
    );
    expect(range.body.items.map((v: any) => v.id).sort()).toEqual(of(fx.v2, fx.v3));
  });

  it("rejects filters it cannot read, naming them", async () => {
    expectValidation(await server.request("GET", "/api/visits?status=deleted", h.admin.token), "status");
    expectValidation(await server.request("GET", "/api/visits?method=fax", h.admin.token), "method");
    expectValidation(await server.request("GET", "/api/visits?month=2026-13", h.admin.token), "month");
    expectValidation(await server.request("GET", "/api/visits?to=2026-02-30", h.admin.token), "to");
    expectValidation(await server.request("GET", "/api/visits?limit=501", h.admin.token), "limit");
    expectValidation(await server.request("GET", "/api/visits?cursor=%25%25", h.admin.token), "cursor");
  });

  it("walks more visits than a page by nextCursor, each once, each equal to its GET", async () => {
    const created: any[] = [];
    for (let day = 1; day <= 23; day++)
      created.push(
        await visit(h.repA2.token, {
          customerId: pharmacyA2.id,
          date: `2026-07-${String(day).padStart(2, "0")}`,
          rating: (day % 7) + 1,
        }),
      );
    const { pages, items } = await walkPages(server, "/api/visits?month=2026-07", h.districtA.token, 5);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(new Set(items.map((v) => v.id)).size).toBe(23);
    expect([...items].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(created);
  });
});

describe("visits: manager co-visit", () => {
  const coVisit = (token: string, visitId: string, body: unknown) =>
    server.request("POST", `/api/visits/${visitId}/co-visit`, token, body);

  it("records the district manager's co-visit score and report, audited", async () => {
    const res = await coVisit(h.districtA.token, fx.v1.id, { score: 4, report: "开场好,异议处理需加强" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      visitId: fx.v1.id,
      managerId: h.districtA.id,
      repId: h.repA1.id,
      score: 4,
      report: "开场好,异议处理需加强",
    });
    expect(res.body.createdAt).toMatch(SHANGHAI_INSTANT);
    const audit = await auditRowsOf(server, "co_visit", res.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "create", actorId: h.districtA.id, via: "api" });
    expect(audit[0].after).toMatchObject({ visitId: fx.v1.id, score: 4 });
  });

  it("accepts a manager further up the chain and an admin", async () => {
    expect((await coVisit(h.regional.token, fx.v3.id, { score: 5 })).status).toBe(201);
    const admin = await coVisit(h.admin.token, fx.v4.id, { score: 2 });
    expect(admin.status).toBe(201);
    expect(admin.body).toMatchObject({ managerId: h.admin.id, repId: h.repB1.id, report: null });
  });

  it("refuses everyone who is not above the rep, and writes nothing", async () => {
    const count0 = (await server.database.db.select({ n: count() }).from(coVisits).get())!.n;
    for (const who of [h.districtB, h.repA1, h.repA2, h.finance])
      expectError(await coVisit(who.token, fx.v1.id, { score: 3 }), 403, "forbidden");
    expect((await server.database.db.select({ n: count() }).from(coVisits).get())!.n).toBe(count0);
  });

  it("answers 404 for a visit that does not exist", async () => {
    expectError(await coVisit(h.admin.token, "nope", { score: 3 }), 404, "not_found");
  });

  it.each([
    ["a score of 6", { score: 6 }],
    ["a score of 0", { score: 0 }],
    ["a score of 2.5", { score: 2.5 }],
    ["no score", { report: "好" }],
  ])("rejects %s, naming the score", async (_name, body) => {
    expectValidation(await coVisit(h.districtA.token, fx.v1.id, body), "score");
  });
});
