import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../../src/db/schema";
import { createUser } from "../../helpers/app";
import { type FieldServer, fixtureWriter, startFieldServer } from "../../helpers/field-app";

let server: FieldServer;
let admin: { id: string; token: string };
let finance: { token: string };
let managerA: { id: string; token: string };
let managerB: { id: string; token: string };
let rep1: { id: string; token: string };
let rep2: { id: string; token: string };
let p1: string;
let p2: string;
let p3: string;
let doctor1: string;
let doctor2: string;
let hospital1: string;

const put = (path: string, token: string, body: unknown) => server.request("PUT", path, token, body);

const expectValidation = (res: { status: number; body: any }, field: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe("validation");
  expect(res.body.error.message).toContain(field);
  expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
};

beforeAll(async () => {
  server = await startFieldServer();
  const db = server.database;
  admin = await createUser(db, { name: "管理员", role: "admin" });
  finance = await createUser(db, { name: "财务", role: "finance" });
  managerA = await createUser(db, { name: "北区经理", role: "manager" });
  managerB = await createUser(db, { name: "南区经理", role: "manager" });
  rep1 = await createUser(db, { name: "王小明", role: "rep", managerId: managerA.id });
  rep2 = await createUser(db, { name: "张伟", role: "rep", managerId: managerB.id });
  const f = fixtureWriter(db);
  p1 = await f.product("代文", "P1");
  p2 = await f.product("络活喜", "P2");
  p3 = await f.product("拜新同", "P3");
  hospital1 = await f.customer({
    kind: "hospital",
    name: "瑞金医院",
    ownerId: rep1.id,
    beds: 600,
    dailyOutpatients: 2000,
  });
  doctor1 = await f.customer({ kind: "doctor", name: "李医生", ownerId: rep1.id, parentId: hospital1 });
  doctor2 = await f.customer({ kind: "doctor", name: "陈医生", ownerId: rep2.id });
});
afterAll(() => server.close());

describe("PUT /api/customers/{id}/segments/{productId}", () => {
  it.each([
    [0, 0, null, "none", null],
    [4, 0, null, "none", null],
    [0, 1, "C", "evaluate", { min: 1, max: 1 }],
    [1, 1, "C", "evaluate", { min: 1, max: 1 }],
    [2, 1, "B", "nurture", { min: 2, max: 4 }],
    [0, 2, "B", "nurture", { min: 2, max: 4 }],
    [2, 2, "B", "nurture", { min: 2, max: 4 }],
    [3, 1, "B", "maintain", { min: 2, max: 2 }],
    [4, 2, "B", "maintain", { min: 2, max: 2 }],
    [0, 3, "C", "develop", { min: 4, max: 6 }],
    [0, 4, "C", "develop", { min: 4, max: 6 }],
    [1, 3, "B", "develop", { min: 4, max: 6 }],
    [2, 4, "B", "develop", { min: 4, max: 6 }],
    [3, 3, "A", "grow", { min: 4, max: 6 }],
    [4, 4, "A", "grow", { min: 4, max: 6 }],
  ])("usage %i × potential %i is class %s, %s, %o a month", async (usage, potential, cls, strategy, vpm) => {
    const res = await put(`/api/customers/${doctor2}/segments/${p3}`, admin.token, { usage, potential });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ productId: p3, usage, potential, class: cls, strategy, visitsPerMonth: vpm });
  });

  it("shows every product's segment on the doctor and the highest visit target", async () => {
    expect(
      (await put(`/api/customers/${doctor1}/segments/${p1}`, rep1.token, { usage: 3, potential: 4 })).status,
    ).toBe(200);
    expect(
      (await put(`/api/customers/${doctor1}/segments/${p2}`, rep1.token, { usage: 1, potential: 1 })).status,
    ).toBe(200);
    expect(
      (await put(`/api/customers/${doctor1}/segments/${p3}`, rep1.token, { usage: 4, potential: 1 })).status,
    ).toBe(200);
    const res = await server.request("GET", `/api/customers/${doctor1}`, rep1.token);
    expect(res.status).toBe(200);
    expect(res.body.segments).toEqual([
      {
        productId: p1,
        usage: 3,
        potential: 4,
        class: "A",
        strategy: "grow",
        visitsPerMonth: { min: 4, max: 6 },
      },
      {
        productId: p2,
        usage: 1,
        potential: 1,
        class: "C",
        strategy: "evaluate",
        visitsPerMonth: { min: 1, max: 1 },
      },
      {
        productId: p3,
        usage: 4,
        potential: 1,
        class: "B",
        strategy: "maintain",
        visitsPerMonth: { min: 2, max: 2 },
      },
    ]);
    expect(res.body.visitsPerMonth).toEqual({ min: 4, max: 6 });
  });

  it("recomputes the highest target when a segment changes: nurture 2–4 beats maintain 2–2", async () => {
    const res = await put(`/api/customers/${doctor1}/segments/${p1}`, rep1.token, { usage: 2, potential: 2 });
    expect(res.body).toMatchObject({ class: "B", strategy: "nurture", visitsPerMonth: { min: 2, max: 4 } });
    const doc = await server.request("GET", `/api/customers/${doctor1}`, rep1.token);
    expect(doc.body.segments).toHaveLength(3);
    expect(doc.body.visitsPerMonth).toEqual({ min: 2, max: 4 });
  });

  it("gives a doctor without segments an empty list and no target", async () => {
    const f = fixtureWriter(server.database);
    const fresh = await f.customer({ kind: "doctor", name: "新医生", ownerId: rep1.id });
    const res = await server.request("GET", `/api/customers/${fresh}`, rep1.token);
    expect(res.body.segments).toEqual([]);
    expect(res.body.visitsPerMonth).toBeNull();
  });

  it("writes an audit row with before and after", async () => {
    const rows = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "segment"), eq(auditLog.entityId, `${doctor1}:${p1}`)));
    expect(rows.map((r) => r.action)).toEqual(["create", "update"]);
    expect(rows[1].actorId).toBe(rep1.id);
    expect(rows[1].before).toEqual({ usage: 3, potential: 4 });
    expect(rows[1].after).toMatchObject({ usage: 2, potential: 2 });
  });

  it.each([
    [{ usage: 5, potential: 1 }, "usage"],
    [{ usage: -1, potential: 1 }, "usage"],
    [{ usage: 1.5, potential: 1 }, "usage"],
    [{ usage: "2", potential: 1 }, "usage"],
    [{ usage: 2 }, "potential"],
    [{ usage: 2, potential: 7 }, "potential"],
  ])("rejects %o naming %s", async (body, field) => {
    expectValidation(await put(`/api/customers/${doctor1}/segments/${p1}`, rep1.token, body), field);
  });

  it("takes segments for doctors only", async () => {
    const res = await put(`/api/customers/${hospital1}/segments/${p1}`, rep1.token, {
      usage: 1,
      potential: 1,
    });
    expectValidation(res, "customerId");
  });

  it("answers 404 for an unknown product or customer", async () => {
    const noProduct = await put(`/api/customers/${doctor1}/segments/nope`, rep1.token, {
      usage: 1,
      potential: 1,
    });
    expect(noProduct.status).toBe(404);
    expect(noProduct.body.error.code).toBe("not_found");
    const noCustomer = await put(`/api/customers/nope/segments/${p1}`, admin.token, {
      usage: 1,
      potential: 1,
    });
    expect(noCustomer.status).toBe(404);
  });

  it("lets a rep change only their own doctors, a manager their team's, finance none", async () => {
    const body = { usage: 1, potential: 2 };
    const path = `/api/customers/${doctor2}/segments/${p1}`;
    expect((await put(path, rep1.token, body)).status).toBe(403);
    expect((await put(path, managerA.token, body)).status).toBe(403);
    expect((await put(path, finance.token, body)).status).toBe(403);
    expect((await put(path, managerB.token, body)).status).toBe(200);
    expect((await put(path, rep2.token, body)).status).toBe(200);
    expect((await put(path, admin.token, body)).status).toBe(200);
    expect((await put(`/api/customers/${doctor1}/segments/${p1}`, managerA.token, body)).status).toBe(200);
  });

  it("does not stop finance reading customers (the role check is per route)", async () => {
    const res = await server.request("GET", `/api/customers/${doctor1}`, finance.token);
    expect(res.status).toBe(200);
    expect(res.body.segments).toHaveLength(3);
  });
});

describe("PUT /api/customers/{id}/coverage/{productId}", () => {
  const path = () => `/api/customers/${hospital1}/coverage/${p1}`;

  it("requires a reason when the product is not listed", async () => {
    expectValidation(await put(path(), rep1.token, { listed: false }), "reason");
    expectValidation(await put(path(), rep1.token, { listed: false, reason: "   " }), "reason");
    expectValidation(await put(path(), rep1.token, { reason: "价格" }), "listed");
  });

  it("records a blank with its reason, then a listing, each with an audit row", async () => {
    const blank = await put(path(), rep1.token, { listed: false, reason: " 竞品：络活喜 " });
    expect(blank.status, JSON.stringify(blank.body)).toBe(200);
    expect(blank.body).toMatchObject({
      customerId: hospital1,
      productId: p1,
      listed: false,
      reason: "竞品：络活喜",
    });
    expect(blank.body.updatedAt).toMatch(/\+08:00$/);
    const listed = await put(path(), rep1.token, { listed: true, reason: "ignored" });
    expect(listed.body).toMatchObject({ listed: true, reason: null });
    const rows = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "coverage"), eq(auditLog.entityId, `${hospital1}:${p1}`)));
    expect(rows.map((r) => r.action)).toEqual(["create", "update"]);
    expect(rows[1].before).toEqual({ listed: false, reason: "竞品：络活喜" });
  });

  it("shows the account's coverage on the customer", async () => {
    await put(`/api/customers/${hospital1}/coverage/${p2}`, rep1.token, {
      listed: false,
      reason: "药事会未开",
    });
    const res = await server.request("GET", `/api/customers/${hospital1}`, rep1.token);
    expect(res.body.grade).toBe("A");
    expect(res.body.coverage).toEqual([
      { productId: p1, listed: true, reason: null },
      { productId: p2, listed: false, reason: "药事会未开" },
    ]);
  });

  it("takes coverage for hospitals and pharmacies only, within the actor's scope", async () => {
    expectValidation(
      await put(`/api/customers/${doctor1}/coverage/${p1}`, rep1.token, { listed: true }),
      "customerId",
    );
    expect((await put(path(), rep2.token, { listed: true })).status).toBe(403);
    expect((await put(path(), finance.token, { listed: true })).status).toBe(403);
    expect((await put(path(), managerA.token, { listed: true })).status).toBe(200);
  });
});
