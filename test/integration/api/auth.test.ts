import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, bindCodes, users } from "../../../src/db/schema";
import { hashToken } from "../../../src/lib/secrets";
import { startTestServer, type TestServer } from "../../helpers/app";
import { auditRowsOf, buildHierarchy, expectError, type Hierarchy, SHANGHAI_INSTANT } from "./fixtures";

let server: TestServer;
let h: Hierarchy;

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
});
afterAll(() => server.close());

describe("GET /api/health", () => {
  it("answers ok with the database and platform states, without a token", async () => {
    const res = await server.request("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", db: "ok", platforms: { slack: "off", wecom: "off" } });
  });
});

describe("unknown routes", () => {
  it("answers 404 in the error shape for an unknown API route", async () => {
    const res = await server.request("GET", "/api/no-such-thing", h.admin.token);
    expectError(res, 404, "not_found");
  });

  it("answers 404 in the error shape outside the API", async () => {
    const res = await server.request("GET", "/nowhere");
    expectError(res, 404, "not_found");
  });
});

describe("bearer tokens", () => {
  it("refuses a request without a token", async () => {
    expectError(await server.request("GET", "/api/customers"), 401, "unauthorized");
  });

  it("refuses a token nobody was given", async () => {
    expectError(await server.request("GET", "/api/customers", "rm_not-a-real-token"), 401, "unauthorized");
  });

  it("refuses an Authorization header that is not a bearer token", async () => {
    const res = await fetch(`${server.url}/api/customers`, {
      headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
    });
    expect(res.status).toBe(401);
    const body: any = await res.json();
    expect(body.error.code).toBe("unauthorized");
  });

  it("refuses a revoked token", async () => {
    const created = await server.request("POST", `/api/users/${h.repB1.id}/tokens`, h.admin.token, {});
    expect(created.status).toBe(201);
    expect((await server.request("GET", "/api/customers", created.body.token)).status).toBe(200);
    await server.database.db
      .update(apiTokens)
      .set({ revokedAt: new Date().toISOString() })
      .where(eq(apiTokens.id, created.body.id));
    expectError(await server.request("GET", "/api/customers", created.body.token), 401, "unauthorized");
  });

  it("refuses the token of a deactivated user", async () => {
    const res = await server.request("POST", "/api/users", h.admin.token, { name: "临时代表", role: "rep" });
    const token = (await server.request("POST", `/api/users/${res.body.id}/tokens`, h.admin.token, {})).body
      .token;
    expect((await server.request("GET", "/api/products", token)).status).toBe(200);
    const off = await server.request("PATCH", `/api/users/${res.body.id}`, h.admin.token, { active: false });
    expect(off.status).toBe(200);
    expectError(await server.request("GET", "/api/products", token), 401, "unauthorized");
  });

  it("answers 401 rather than 404 for an unknown API route without a token", async () => {
    expectError(await server.request("GET", "/api/no-such-thing"), 401, "unauthorized");
  });
});

describe("POST /api/users/{id}/tokens", () => {
  it("issues a working token that is stored only as a hash", async () => {
    const res = await server.request("POST", `/api/users/${h.repA1.id}/tokens`, h.admin.token, {
      name: "手机",
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), token: expect.any(String) });
    const me = await server.request("GET", `/api/users/${h.repA1.id}`, res.body.token);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(h.repA1.id);

    const rows = await server.database.db.select().from(apiTokens).where(eq(apiTokens.id, res.body.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].userId).toBe(h.repA1.id);
    expect(rows[0].tokenHash).toBe(hashToken(res.body.token));
    const everything = await server.database.client.execute("select * from api_tokens");
    expect(JSON.stringify(everything.rows)).not.toContain(res.body.token);

    const audit = await auditRowsOf(server, "api_token", res.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBe(h.admin.id);
    expect(JSON.stringify(audit[0].after)).not.toContain(res.body.token);
  });

  it("refuses a manager issuing tokens", async () => {
    const res = await server.request("POST", `/api/users/${h.repA1.id}/tokens`, h.districtA.token, {});
    expectError(res, 403, "forbidden");
  });

  it("answers 404 for a user that does not exist", async () => {
    const res = await server.request("POST", "/api/users/nobody/tokens", h.admin.token, {});
    expectError(res, 404, "not_found");
  });
});

describe("POST /api/users/{id}/bind-codes", () => {
  it("gives a one-time code with its expiry in the company's offset", async () => {
    const res = await server.request("POST", `/api/users/${h.repA1.id}/bind-codes`, h.admin.token);
    expect(res.status).toBe(201);
    expect(res.body.code).toMatch(/^[23456789A-HJ-NP-Z]{8}$/);
    expect(res.body.expiresAt).toMatch(SHANGHAI_INSTANT);
    const hoursAhead = (Date.parse(res.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hoursAhead).toBeGreaterThan(23);
    expect(hoursAhead).toBeLessThanOrEqual(24);
    const stored = await server.database.db
      .select()
      .from(bindCodes)
      .where(eq(bindCodes.codeHash, hashToken(res.body.code)));
    expect(stored).toHaveLength(1);
    expect(stored[0].userId).toBe(h.repA1.id);
  });

  it("lets a manager create one for a rep of their team", async () => {
    const res = await server.request("POST", `/api/users/${h.repA2.id}/bind-codes`, h.regional.token);
    expect(res.status).toBe(201);
  });

  it("refuses a manager creating one for a rep outside their team", async () => {
    const res = await server.request("POST", `/api/users/${h.repB1.id}/bind-codes`, h.districtA.token);
    expectError(res, 403, "forbidden");
  });

  it("refuses a rep creating one", async () => {
    const res = await server.request("POST", `/api/users/${h.repA1.id}/bind-codes`, h.repA1.token);
    expectError(res, 403, "forbidden");
  });
});

describe("request bodies", () => {
  it("answers a malformed JSON body with a validation error, never a 500", async () => {
    const res = await server.request("POST", "/api/products", h.admin.token, '{"name": "阿莫西林",');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation");
    expect(res.body.error.message).toContain("malformed JSON");
    expect(res.body.error.details[0].field).toBe("body");
  });

  it("keeps users untouched by a refused request", async () => {
    const before = await server.database.db.select().from(users);
    await server.request("POST", "/api/users", h.repA1.token, { name: "黑客", role: "admin" });
    const after = await server.database.db.select().from(users);
    expect(after).toHaveLength(before.length);
  });
});
