import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingDefaults } from "../../../src/schemas/settings";
import { startTestServer, type TestServer } from "../../helpers/app";
import { auditRowsOf, buildHierarchy, expectError, expectValidation, type Hierarchy } from "./fixtures";

let server: TestServer;
let h: Hierarchy;

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
});
afterAll(() => server.close());

describe("settings: happy path", () => {
  it("lists every setting with its value and default on one page", async () => {
    const res = await server.request("GET", "/api/settings", h.repA1.token);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((s: any) => s.key).sort()).toEqual(Object.keys(settingDefaults).sort());
    const cap = res.body.items.find((s: any) => s.key === "plan.dailyCap");
    expect(cap).toEqual({ id: "plan.dailyCap", key: "plan.dailyCap", value: 10, default: 10 });
  });

  it("reads one setting by key", async () => {
    const res = await server.request("GET", "/api/settings/care.window", h.regional.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: "care.window",
      key: "care.window",
      value: settingDefaults["care.window"],
      default: settingDefaults["care.window"],
    });
  });

  it("changes a setting by PUT, keeps the default beside it, and audits before and after", async () => {
    const res = await server.request("PUT", "/api/settings/plan.dailyCap", h.admin.token, { value: 12 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: "plan.dailyCap", key: "plan.dailyCap", value: 12, default: 10 });
    expect((await server.request("GET", "/api/settings/plan.dailyCap", h.repA1.token)).body.value).toBe(12);

    await server.request("PUT", "/api/settings/plan.dailyCap", h.admin.token, { value: 8 });
    const audit = await auditRowsOf(server, "setting", "plan.dailyCap");
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["update", h.admin.id],
      ["update", h.admin.id],
    ]);
    expect(audit[0].before).toBeNull();
    expect(audit[0].after).toEqual({ value: 12 });
    expect(audit[1].before).toEqual({ value: 12 });
    expect(audit[1].after).toEqual({ value: 8 });
  });

  it("accepts an object value of the right shape", async () => {
    const value = { from: "09:00", to: "20:30" };
    const res = await server.request("PUT", "/api/settings/care.window", h.admin.token, { value });
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual(value);
  });

  it("accepts null where the setting allows it", async () => {
    const key = "/api/settings/approval.fallbackApproverId";
    await server.request("PUT", key, h.admin.token, { value: h.regional.id });
    expect((await server.request("GET", key, h.admin.token)).body.value).toBe(h.regional.id);
    const res = await server.request("PUT", key, h.admin.token, { value: null });
    expect(res.status).toBe(200);
    expect(res.body.value).toBeNull();
    expect((await server.request("GET", key, h.admin.token)).body.value).toBeNull();
    const audit = await auditRowsOf(server, "setting", "approval.fallbackApproverId");
    expect(audit.at(-1)?.after).toEqual({ value: null });
  });
});

describe("settings: validation and roles", () => {
  it("rejects a number given as text, naming the value", async () => {
    const res = await server.request("PUT", "/api/settings/plan.dailyCap", h.admin.token, { value: "ten" });
    expectValidation(res, "value");
  });

  it("rejects an object of the wrong shape, naming the inner field", async () => {
    const res = await server.request("PUT", "/api/settings/care.window", h.admin.token, {
      value: { from: "8am", to: "21:00" },
    });
    expectValidation(res, "value.from");
  });

  it("rejects a segment grid without all 25 cells", async () => {
    const res = await server.request("PUT", "/api/settings/segment.grid", h.admin.token, {
      value: settingDefaults["segment.grid"].slice(0, 3),
    });
    expectValidation(res, "value");
  });

  it("rejects money with three decimals in a setting", async () => {
    const res = await server.request("PUT", "/api/settings/expense.perHeadCapCny", h.admin.token, {
      value: 300.125,
    });
    expectValidation(res, "value");
  });

  it("rejects a body without a value", async () => {
    expectValidation(await server.request("PUT", "/api/settings/plan.dailyCap", h.admin.token, {}), "value");
  });

  it("rejects a malformed JSON body", async () => {
    expectValidation(
      await server.request("PUT", "/api/settings/plan.dailyCap", h.admin.token, "value=3"),
      "body",
    );
  });

  it("keeps the old value after a refused change", async () => {
    await server.request("PUT", "/api/settings/churn.notify", h.admin.token, { value: "everyone" });
    const res = await server.request("GET", "/api/settings/churn.notify", h.admin.token);
    expect(res.body.value).toBe(settingDefaults["churn.notify"]);
  });

  it("answers 404 for a key that is not a setting", async () => {
    expectError(await server.request("GET", "/api/settings/no.such.key", h.admin.token), 404, "not_found");
    expectError(
      await server.request("PUT", "/api/settings/no.such.key", h.admin.token, { value: 1 }),
      404,
      "not_found",
    );
  });

  it("refuses anyone but an admin changing a setting", async () => {
    for (const who of [h.repA1, h.regional, h.finance]) {
      const res = await server.request("PUT", "/api/settings/plan.dailyCap", who.token, { value: 3 });
      expectError(res, 403, "forbidden");
    }
  });

  it("refuses a request without a token", async () => {
    expectError(await server.request("GET", "/api/settings"), 401, "unauthorized");
  });
});
