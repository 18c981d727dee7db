import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  auditRowsOf,
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  walkPages,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
});
afterAll(() => server.close());

const USER_FIELDS = [
  "id",
  "name",
  "role",
  "managerId",
  "email",
  "phone",
  "locale",
  "timezone",
  "territory",
  "slackUserId",
  "wecomUserId",
  "active",
];

describe("users: happy path", () => {
  it("creates a user and answers 201 with the bare object", async () => {
    const res = await server.request("POST", "/api/users", h.admin.token, {
      name: "陈静",
      role: "rep",
      managerId: h.districtA.id,
      email: "chen.jing@example.com",
      phone: "+86 138 0013 8000",
      locale: "en",
      timezone: "Asia/Urumqi",
      territory: "浦东",
      slackUserId: "U0CHENJING",
    });
    expect(res.status).toBe(201);
    for (const f of USER_FIELDS) expect(res.body).toHaveProperty(f);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: "陈静",
      role: "rep",
      managerId: h.districtA.id,
      email: "chen.jing@example.com",
      locale: "en",
      timezone: "Asia/Urumqi",
      territory: "浦东",
      slackUserId: "U0CHENJING",
      wecomUserId: null,
      active: true,
    });
    expect(res.body).not.toHaveProperty("items");
  });

  it("reads a user back as created", async () => {
    const created = await server.request("POST", "/api/users", h.admin.token, {
      name: "刘洋",
      role: "finance",
    });
    const res = await server.request("GET", `/api/users/${created.body.id}`, h.admin.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
    expect(res.body.locale).toBe("zh-CN");
  });

  it("patches a user and writes an audit row with before and after", async () => {
    const created = await server.request("POST", "/api/users", h.admin.token, {
      name: "赵敏",
      role: "rep",
      managerId: h.districtA.id,
    });
    const res = await server.request("PATCH", `/api/users/${created.body.id}`, h.admin.token, {
      managerId: h.districtB.id,
      territory: "西湖区",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, managerId: h.districtB.id, territory: "西湖区" });

    const audit = await auditRowsOf(server, "user", created.body.id);
    expect(audit.map((a) => a.action)).toEqual(["create", "update"]);
    expect(audit.every((a) => a.actorId === h.admin.id)).toBe(true);
    expect(audit[0].before).toBeNull();
    expect(audit[0].after).toMatchObject({ name: "赵敏", managerId: h.districtA.id });
    expect(audit[1].before).toMatchObject({ managerId: h.districtA.id, territory: null });
    expect(audit[1].after).toMatchObject({ managerId: h.districtB.id, territory: "西湖区" });
  });

  it("keeps the fields a patch does not name", async () => {
    const created = await server.request("POST", "/api/users", h.admin.token, {
      name: "吴昊",
      role: "rep",
      locale: "en",
      active: false,
    });
    const res = await server.request("PATCH", `/api/users/${created.body.id}`, h.admin.token, {
      territory: "徐汇区",
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, territory: "徐汇区" });
  });

  it("lets a rep change their own language and time zone", async () => {
    const res = await server.request("PATCH", `/api/users/${h.repA2.id}`, h.repA2.token, {
      locale: "en",
      timezone: "Europe/Berlin",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ locale: "en", timezone: "Europe/Berlin" });
  });

  it("lists users with filters by role and manager", async () => {
    const reps = await server.request(
      "GET",
      `/api/users?role=rep&managerId=${h.districtA.id}`,
      h.admin.token,
    );
    expect(reps.status).toBe(200);
    expect(reps.body.nextCursor).toBeNull();
    expect(reps.body.items.every((u: any) => u.role === "rep" && u.managerId === h.districtA.id)).toBe(true);
    expect(reps.body.items.map((u: any) => u.id)).toEqual(expect.arrayContaining([h.repA1.id, h.repA2.id]));
    expect(reps.body.items.map((u: any) => u.id)).not.toContain(h.repB1.id);
  });
});

describe("users: scope", () => {
  it("shows a regional manager the whole team down the hierarchy", async () => {
    const { items } = await walkPages(server, "/api/users", h.regional.token, 500);
    const ids = items.map((u) => u.id);
    expect(ids).toEqual(
      expect.arrayContaining([h.regional.id, h.districtA.id, h.districtB.id, h.repA1.id, h.repB1.id]),
    );
    expect(ids).not.toContain(h.admin.id);
    expect(ids).not.toContain(h.finance.id);
  });

  it("shows a rep only themself", async () => {
    const res = await server.request("GET", "/api/users", h.repA1.token);
    expect(res.body.items.map((u: any) => u.id)).toEqual([h.repA1.id]);
  });

  it("refuses a rep reading another rep", async () => {
    expectError(await server.request("GET", `/api/users/${h.repA2.id}`, h.repA1.token), 403, "forbidden");
  });

  it("refuses a district manager reading a rep of the other district", async () => {
    expectError(await server.request("GET", `/api/users/${h.repB1.id}`, h.districtA.token), 403, "forbidden");
  });

  it("refuses a manager creating a user", async () => {
    const res = await server.request("POST", "/api/users", h.regional.token, { name: "新人", role: "rep" });
    expectError(res, 403, "forbidden");
  });

  it("refuses a rep promoting themself", async () => {
    const res = await server.request("PATCH", `/api/users/${h.repA1.id}`, h.repA1.token, { role: "admin" });
    expectError(res, 403, "forbidden");
  });
});

describe("users: validation", () => {
  it("rejects an unknown role, naming the field", async () => {
    const res = await server.request("POST", "/api/users", h.admin.token, { name: "某人", role: "boss" });
    expectValidation(res, "role");
  });

  it("rejects an empty name", async () => {
    expectValidation(
      await server.request("POST", "/api/users", h.admin.token, { name: "  ", role: "rep" }),
      "name",
    );
  });

  it("rejects an email that is not one", async () => {
    const res = await server.request("POST", "/api/users", h.admin.token, {
      name: "某人",
      role: "rep",
      email: "not-an-email",
    });
    expectValidation(res, "email");
  });

  it("rejects a time zone that does not exist", async () => {
    const res = await server.request("PATCH", `/api/users/${h.repA1.id}`, h.admin.token, {
      timezone: "Mars/Base",
    });
    expectValidation(res, "timezone");
  });

  it("rejects a manager that does not exist", async () => {
    const res = await server.request("POST", "/api/users", h.admin.token, {
      name: "某人",
      role: "rep",
      managerId: "nobody",
    });
    expectValidation(res, "managerId");
  });

  it("rejects a user managing themself", async () => {
    const res = await server.request("PATCH", `/api/users/${h.repA1.id}`, h.admin.token, {
      managerId: h.repA1.id,
    });
    expectValidation(res, "managerId");
  });

  it("rejects a manager change that would make the hierarchy a loop", async () => {
    const res = await server.request("PATCH", `/api/users/${h.regional.id}`, h.admin.token, {
      managerId: h.repA1.id,
    });
    expectValidation(res, "managerId");
    const regional = await server.request("GET", `/api/users/${h.regional.id}`, h.admin.token);
    expect(regional.body.managerId).toBeNull();
  });

  it("rejects a field users do not have", async () => {
    const res = await server.request("PATCH", `/api/users/${h.repA1.id}`, h.admin.token, { salary: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation");
  });

  it("answers 409, not 500, when a Slack user id is already linked to someone else", async () => {
    const first = await server.request("POST", "/api/users", h.admin.token, {
      name: "甲",
      role: "rep",
      slackUserId: "U0TAKEN",
    });
    expect(first.status).toBe(201);
    const second = await server.request("POST", "/api/users", h.admin.token, {
      name: "乙",
      role: "rep",
      slackUserId: "U0TAKEN",
    });
    expectError(second, 409, "conflict");
    expect(second.body.error.message).toContain("slackUserId");
  });

  it("answers 404 for a user that does not exist", async () => {
    expectError(await server.request("GET", "/api/users/nobody", h.admin.token), 404, "not_found");
    expectError(
      await server.request("PATCH", "/api/users/nobody", h.admin.token, { territory: "x" }),
      404,
      "not_found",
    );
  });
});

describe("users: deactivation", () => {
  it("refuses to deactivate a user who still owns customers", async () => {
    const owner = await server.request("POST", "/api/users", h.admin.token, { name: "孙丽", role: "rep" });
    const customer = await server.request("POST", "/api/customers", h.admin.token, {
      kind: "pharmacy",
      name: "老百姓大药房(南京西路店)",
      ownerId: owner.body.id,
    });
    expect(customer.status).toBe(201);
    const res = await server.request("PATCH", `/api/users/${owner.body.id}`, h.admin.token, {
      active: false,
    });
    expectError(res, 409, "conflict");
    expect(res.body.error.message).toContain("handover");
    const still = await server.request("GET", `/api/users/${owner.body.id}`, h.admin.token);
    expect(still.body.active).toBe(true);
  });

  it("deactivates a user who owns nothing", async () => {
    const u = await server.request("POST", "/api/users", h.admin.token, { name: "周杰", role: "rep" });
    const res = await server.request("PATCH", `/api/users/${u.body.id}`, h.admin.token, { active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    const inactive = await server.request("GET", "/api/users?active=false", h.admin.token);
    expect(inactive.body.items.map((x: any) => x.id)).toContain(u.body.id);
  });
});

describe("users: pagination", () => {
  it("walks every user once by nextCursor", async () => {
    for (let i = 0; i < 12; i++)
      await server.request("POST", "/api/users", h.admin.token, { name: `分页代表${i}`, role: "rep" });
    const all = await server.request("GET", "/api/users?limit=500", h.admin.token);
    const { pages, items } = await walkPages(server, "/api/users", h.admin.token, 5);
    expect(pages.length).toBeGreaterThan(2);
    const ids = items.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(all.body.items.map((u: any) => u.id));
  });

  it("lists each user exactly as GET /api/users/{id} shows it; active=true leaves out the inactive", async () => {
    const u = await server.request("POST", "/api/users", h.admin.token, {
      name: "列表形状",
      role: "rep",
      managerId: h.districtA.id,
      email: "shape@example.com",
      locale: "en",
      timezone: "Asia/Shanghai",
    });
    await server.request("PATCH", `/api/users/${u.body.id}`, h.admin.token, { active: false });
    const one = await server.request("GET", `/api/users/${u.body.id}`, h.admin.token);
    const all = await server.request("GET", "/api/users?limit=500", h.admin.token);
    const listed = all.body.items.find((x: any) => x.id === u.body.id);
    expect(listed).toEqual(one.body);
    expect(listed).toMatchObject({ active: false, managerId: h.districtA.id, email: "shape@example.com" });
    const active = await server.request("GET", "/api/users?active=true&limit=500", h.admin.token);
    expect(active.body.items.map((x: any) => x.id)).not.toContain(u.body.id);
    expect(active.body.items.every((x: any) => x.active === true)).toBe(true);
  });

  it("rejects a cursor this API did not give", async () => {
    expectValidation(await server.request("GET", "/api/users?cursor=%2F%2F%2F", h.admin.token), "cursor");
  });

  it("rejects limit=501", async () => {
    expectValidation(await server.request("GET", "/api/users?limit=501", h.admin.token), "limit");
  });
});
