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

describe("products: happy path", () => {
  it("creates a product and answers 201 with the bare object", async () => {
    const res = await server.request("POST", "/api/products", h.admin.token, {
      code: "XTN-10",
      name: "欣泰宁",
      nameEn: "Xintaining",
      unit: "盒",
      rx: true,
      aliases: ["欣泰", "XTN"],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      code: "XTN-10",
      name: "欣泰宁",
      nameEn: "Xintaining",
      unit: "盒",
      rx: true,
      aliases: ["欣泰", "XTN"],
      active: true,
    });
  });

  it("generates a code and fills the defaults when they are absent", async () => {
    const res = await server.request("POST", "/api/products", h.admin.token, { name: "维生素C泡腾片" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: expect.stringMatching(/^PRD/),
      unit: "盒",
      rx: false,
      aliases: [],
    });
  });

  it("reads a product back to every role", async () => {
    const created = await server.request("POST", "/api/products", h.admin.token, { name: "阿托伐他汀钙片" });
    for (const who of [h.admin, h.finance, h.regional, h.repB1]) {
      const res = await server.request("GET", `/api/products/${created.body.id}`, who.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created.body);
    }
  });

  it("patches a product, keeps what the patch does not name, and audits before and after", async () => {
    const created = await server.request("POST", "/api/products", h.admin.token, {
      name: "二甲双胍缓释片",
      unit: "瓶",
      rx: true,
      aliases: ["格华止"],
    });
    const res = await server.request("PATCH", `/api/products/${created.body.id}`, h.admin.token, {
      nameEn: "Metformin XR",
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, nameEn: "Metformin XR" });

    const audit = await auditRowsOf(server, "product", created.body.id);
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["create", h.admin.id],
      ["update", h.admin.id],
    ]);
    expect(audit[0].after).toMatchObject({ name: "二甲双胍缓释片", unit: "瓶" });
    expect(audit[1].before).toMatchObject({ nameEn: null, unit: "瓶", rx: true });
    expect(audit[1].after).toMatchObject({ nameEn: "Metformin XR", unit: "瓶", rx: true });
  });

  it("finds products by name, English name or alias, and by active", async () => {
    const created = await server.request("POST", "/api/products", h.admin.token, {
      name: "氨氯地平片",
      nameEn: "Amlodipine",
      aliases: ["络活喜"],
    });
    for (const q of ["氨氯", "amlodipine", "络活喜"]) {
      const res = await server.request("GET", `/api/products?q=${encodeURIComponent(q)}`, h.repA1.token);
      expect(res.body.items.map((p: any) => p.id)).toContain(created.body.id);
    }
    await server.request("PATCH", `/api/products/${created.body.id}`, h.admin.token, { active: false });
    const active = await server.request("GET", "/api/products?active=true&limit=500", h.repA1.token);
    expect(active.body.items.map((p: any) => p.id)).not.toContain(created.body.id);
    const inactive = await server.request("GET", "/api/products?active=false", h.repA1.token);
    expect(inactive.body.items.map((p: any) => p.id)).toEqual([created.body.id]);
  });
});

describe("products: validation and roles", () => {
  it("rejects an empty name, naming the field", async () => {
    expectValidation(await server.request("POST", "/api/products", h.admin.token, { name: "" }), "name");
  });

  it("rejects aliases that are not a list of words", async () => {
    const res = await server.request("POST", "/api/products", h.admin.token, {
      name: "某药",
      aliases: "欣泰",
    });
    expectValidation(res, "aliases");
  });

  it("rejects rx that is not true or false", async () => {
    const res = await server.request("POST", "/api/products", h.admin.token, { name: "某药", rx: "yes" });
    expectValidation(res, "rx");
  });

  it("rejects a malformed JSON body", async () => {
    expectValidation(await server.request("POST", "/api/products", h.admin.token, "{name"), "body");
  });

  it("answers 409 for a code another product has", async () => {
    await server.request("POST", "/api/products", h.admin.token, { name: "甲药", code: "DUP-1" });
    const res = await server.request("POST", "/api/products", h.admin.token, { name: "乙药", code: "DUP-1" });
    expectError(res, 409, "conflict");
    expect(res.body.error.message).toContain("code");
  });

  it("refuses a rep creating a product", async () => {
    expectError(
      await server.request("POST", "/api/products", h.repA1.token, { name: "私药" }),
      403,
      "forbidden",
    );
  });

  it("refuses a manager or finance patching a product", async () => {
    const created = await server.request("POST", "/api/products", h.admin.token, { name: "丙药" });
    for (const who of [h.regional, h.finance]) {
      const res = await server.request("PATCH", `/api/products/${created.body.id}`, who.token, {
        name: "改名",
      });
      expectError(res, 403, "forbidden");
    }
  });

  it("refuses a request without a token", async () => {
    expectError(await server.request("GET", "/api/products"), 401, "unauthorized");
  });

  it("answers 404 for a product that does not exist", async () => {
    expectError(await server.request("GET", "/api/products/nope", h.admin.token), 404, "not_found");
  });
});

describe("products: pagination", () => {
  it("walks more products than a page by nextCursor with no duplicates and none missing", async () => {
    for (let i = 0; i < 17; i++)
      await server.request("POST", "/api/products", h.admin.token, { name: `分页药${i}` });
    const all = await server.request("GET", "/api/products?limit=500", h.admin.token);
    expect(all.body.items.length).toBeGreaterThan(17);
    const { pages, items } = await walkPages(server, "/api/products", h.repA1.token, 4);
    expect(pages.length).toBe(Math.ceil(all.body.items.length / 4));
    const ids = items.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(all.body.items.map((p: any) => p.id));
  });

  it("lists each product exactly as GET /api/products/{id} shows it", async () => {
    const created = await server.request("POST", "/api/products", h.admin.token, {
      code: "LIST-SHAPE-1",
      name: "列表形状片",
      nameEn: "List Shape",
      unit: "瓶",
      rx: true,
      aliases: ["形状", "shape"],
    });
    const all = await server.request("GET", "/api/products?limit=500", h.admin.token);
    const one = await server.request("GET", `/api/products/${created.body.id}`, h.admin.token);
    const listed = all.body.items.find((p: any) => p.id === created.body.id);
    expect(listed).toEqual(one.body);
    expect(listed).toMatchObject({
      rx: true,
      active: true,
      aliases: ["形状", "shape"],
      nameEn: "List Shape",
    });
  });

  it("rejects limit=501", async () => {
    expectValidation(await server.request("GET", "/api/products?limit=501", h.admin.token), "limit");
  });
});
