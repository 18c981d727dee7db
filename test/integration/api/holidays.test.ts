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
  // 2026 National Day: 10-01..10-08 off, with make-up working days around it.
  for (let d = 1; d <= 8; d++)
    await server.request("PUT", `/api/holidays/2026-10-0${d}`, h.admin.token, {
      kind: "off",
      name: "国庆节",
    });
  await server.request("PUT", "/api/holidays/2026-09-27", h.admin.token, {
    kind: "work",
    name: "国庆节调休",
  });
  await server.request("PUT", "/api/holidays/2026-10-10", h.admin.token, {
    kind: "work",
    name: "国庆节调休",
  });
});
afterAll(() => server.close());

describe("holidays: happy path", () => {
  it("creates a day by PUT and answers 201 with the bare object", async () => {
    const res = await server.request("PUT", "/api/holidays/2026-05-01", h.admin.token, {
      kind: "off",
      name: "劳动节",
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: "2026-05-01", date: "2026-05-01", kind: "off", name: "劳动节" });
  });

  it("reads a day back", async () => {
    const res = await server.request("GET", "/api/holidays/2026-10-01", h.repA1.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: "2026-10-01", date: "2026-10-01", kind: "off", name: "国庆节" });
  });

  it("updates an existing day by PUT with 200 and audits before and after", async () => {
    await server.request("PUT", "/api/holidays/2026-06-19", h.admin.token, { kind: "off", name: "端午" });
    const res = await server.request("PUT", "/api/holidays/2026-06-19", h.admin.token, {
      kind: "off",
      name: "端午节",
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("端午节");
    const audit = await auditRowsOf(server, "holiday", "2026-06-19");
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["create", h.admin.id],
      ["update", h.admin.id],
    ]);
    expect(audit[0].before).toBeNull();
    expect(audit[1].before).toMatchObject({ name: "端午" });
    expect(audit[1].after).toMatchObject({ name: "端午节" });
  });

  it("deletes a day with 204 and then answers 404 for it", async () => {
    await server.request("PUT", "/api/holidays/2026-12-31", h.admin.token, { kind: "off" });
    const res = await fetch(`${server.url}/api/holidays/2026-12-31`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${h.admin.token}` },
    });
    expect(res.status).toBe(204);
    expectError(await server.request("GET", "/api/holidays/2026-12-31", h.admin.token), 404, "not_found");
    const audit = await auditRowsOf(server, "holiday", "2026-12-31");
    expect(audit.map((a) => a.action)).toEqual(["create", "delete"]);
  });

  it("lists days in date order with from, to, month and type filters", async () => {
    const week = await server.request("GET", "/api/holidays?from=2026-09-27&to=2026-10-03", h.repA1.token);
    expect(week.body.items.map((d: any) => d.date)).toEqual([
      "2026-09-27",
      "2026-10-01",
      "2026-10-02",
      "2026-10-03",
    ]);
    const work = await server.request("GET", "/api/holidays?type=work", h.repA1.token);
    expect(work.body.items.map((d: any) => d.date)).toEqual(["2026-09-27", "2026-10-10"]);
    const october = await server.request("GET", "/api/holidays?month=2026-10", h.repA1.token);
    expect(october.body.items).toHaveLength(9);
    expect(october.body.items.every((d: any) => d.date.startsWith("2026-10"))).toBe(true);
  });

  it("walks the calendar by nextCursor with no duplicates and none missing", async () => {
    const all = await server.request("GET", "/api/holidays?limit=500", h.admin.token);
    expect(all.body.items.length).toBeGreaterThan(9);
    const { pages, items } = await walkPages(server, "/api/holidays", h.admin.token, 3);
    expect(pages.length).toBe(Math.ceil(all.body.items.length / 3));
    expect(items.map((d) => d.date)).toEqual(all.body.items.map((d: any) => d.date));
  });
});

describe("holidays: validation and roles", () => {
  it("rejects 2026-02-30, naming the date", async () => {
    expectValidation(
      await server.request("PUT", "/api/holidays/2026-02-30", h.admin.token, { kind: "off" }),
      "date",
    );
  });

  it("rejects a kind other than off or work", async () => {
    expectValidation(
      await server.request("PUT", "/api/holidays/2026-11-11", h.admin.token, { kind: "shopping" }),
      "kind",
    );
  });

  it("rejects a malformed JSON body", async () => {
    expectValidation(await server.request("PUT", "/api/holidays/2026-11-11", h.admin.token, "{"), "body");
  });

  it("rejects a from filter that is not a date and limit=501", async () => {
    expectValidation(await server.request("GET", "/api/holidays?from=2026-02-30", h.admin.token), "from");
    expectValidation(await server.request("GET", "/api/holidays?limit=501", h.admin.token), "limit");
  });

  it("refuses a rep or a manager changing the calendar", async () => {
    for (const who of [h.repA1, h.regional, h.finance]) {
      const res = await server.request("PUT", "/api/holidays/2026-11-11", who.token, { kind: "off" });
      expectError(res, 403, "forbidden");
    }
    expectError(await server.request("GET", "/api/holidays/2026-11-11", h.admin.token), 404, "not_found");
  });

  it("refuses a request without a token", async () => {
    expectError(await server.request("GET", "/api/holidays"), 401, "unauthorized");
  });
});
