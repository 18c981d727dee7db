import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthCloses } from "../../../src/db/schema";
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
let distributor: any; // owned by repB1
let pharmacyA1: any;
let pharmacyA2: any;
let hospitalB1: any;
let xtn: any;
let mtf: any;

const customer = async (token: string, body: object) => {
  const res = await server.request("POST", "/api/customers", token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const purchase = async (body: object) => {
  const res = await server.request("POST", "/api/purchases", h.admin.token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
  distributor = await customer(h.repB1.token, { kind: "distributor", name: "国药控股浙江有限公司" });
  pharmacyA1 = await customer(h.repA1.token, { kind: "pharmacy", name: "第一医药(南京东路店)" });
  pharmacyA2 = await customer(h.repA2.token, { kind: "pharmacy", name: "雷允上(西区店)" });
  hospitalB1 = await customer(h.repB1.token, { kind: "hospital", name: "浙江省人民医院" });
  xtn = (await server.request("POST", "/api/products", h.admin.token, { name: "欣泰宁", code: "XTN" })).body;
  mtf = (await server.request("POST", "/api/products", h.admin.token, { name: "二甲双胍", code: "MTF" }))
    .body;

  // The filter fixtures: 2026-03 and 2026-04, both sources, both products.
  await purchase({
    buyerId: pharmacyA1.id,
    productId: xtn.id,
    date: "2026-03-05",
    quantity: 10,
    amountCny: 1200,
  });
  await purchase({
    buyerId: pharmacyA1.id,
    productId: mtf.id,
    date: "2026-03-31",
    quantity: 5,
    amountCny: 250.5,
  });
  await purchase({
    sellerId: distributor.id,
    buyerId: pharmacyA2.id,
    productId: xtn.id,
    date: "2026-04-01",
    quantity: 20,
    amountCny: 2400,
    source: "flow",
    documentNo: "FL-0401-1",
  });
  await purchase({
    buyerId: hospitalB1.id,
    productId: xtn.id,
    date: "2026-04-15",
    quantity: -2,
    amountCny: -240,
    source: "erp",
    documentNo: "ERP-88",
  });
});
afterAll(() => server.close());

describe("purchases: happy path", () => {
  it("records a purchase and answers 201 with the bare object it also reads back", async () => {
    const res = await server.request("POST", "/api/purchases", h.admin.token, {
      buyerId: pharmacyA1.id,
      productId: xtn.id,
      date: "2026-05-06",
      quantity: 3,
      amountCny: 360.25,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      sellerId: null,
      buyerId: pharmacyA1.id,
      productId: xtn.id,
      date: "2026-05-06",
      quantity: 3,
      amountCny: 360.25,
      source: "manual",
      documentNo: null,
    });
    const read = await server.request("GET", `/api/purchases/${res.body.id}`, h.repA1.token);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it("accepts customerId as a synonym of buyerId", async () => {
    const res = await server.request("POST", "/api/purchases", h.admin.token, {
      customerId: pharmacyA2.id,
      productId: mtf.id,
      date: "2026-05-07",
      quantity: 1,
      amountCny: 50,
    });
    expect(res.status).toBe(201);
    expect(res.body.buyerId).toBe(pharmacyA2.id);
  });

  it("writes an audit row for a purchase", async () => {
    const p = await purchase({ buyerId: hospitalB1.id, productId: mtf.id, date: "2026-05-08", quantity: 7 });
    const audit = await auditRowsOf(server, "purchase", p.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "create", actorId: h.admin.id, before: null });
    expect(audit[0].after).toMatchObject({ buyerId: hospitalB1.id, productId: mtf.id, quantity: 7 });
  });

  it("answers 409 for the same purchase recorded twice", async () => {
    const body = {
      buyerId: pharmacyA2.id,
      productId: xtn.id,
      date: "2026-05-09",
      quantity: 4,
      documentNo: "D-1",
    };
    await purchase(body);
    const res = await server.request("POST", "/api/purchases", h.admin.token, body);
    expectError(res, 409, "duplicate");
  });

  it("answers 409 for a purchase in a closed month", async () => {
    await server.database.db
      .insert(monthCloses)
      .values({ month: "2026-01", closedAt: new Date().toISOString(), by: h.admin.id });
    const res = await server.request("POST", "/api/purchases", h.admin.token, {
      buyerId: pharmacyA1.id,
      productId: xtn.id,
      date: "2026-01-20",
      quantity: 1,
    });
    expectError(res, 409, "locked");
  });
});

describe("purchases: validation", () => {
  const base = () => ({ buyerId: pharmacyA1.id, productId: xtn.id, date: "2026-06-01", quantity: 1 });

  it("rejects amountCny 12.345, naming the field", async () => {
    expectValidation(
      await server.request("POST", "/api/purchases", h.admin.token, { ...base(), amountCny: 12.345 }),
      "amountCny",
    );
  });

  it("rejects an amount given as text", async () => {
    expectValidation(
      await server.request("POST", "/api/purchases", h.admin.token, { ...base(), amountCny: "1200" }),
      "amountCny",
    );
  });

  it("rejects a date that does not exist", async () => {
    expectValidation(
      await server.request("POST", "/api/purchases", h.admin.token, { ...base(), date: "2026-02-30" }),
      "date",
    );
  });

  it("rejects a quantity of 0", async () => {
    expectValidation(
      await server.request("POST", "/api/purchases", h.admin.token, { ...base(), quantity: 0 }),
      "quantity",
    );
  });

  it("rejects a purchase without a buyer", async () => {
    const { buyerId: _, ...noBuyer } = base();
    expectValidation(await server.request("POST", "/api/purchases", h.admin.token, noBuyer), "buyerId");
  });

  it("rejects a product that does not exist", async () => {
    expectValidation(
      await server.request("POST", "/api/purchases", h.admin.token, { ...base(), productId: "nope" }),
      "productId",
    );
  });

  it("rejects a seller that is not a distributor", async () => {
    expectValidation(
      await server.request("POST", "/api/purchases", h.admin.token, { ...base(), sellerId: pharmacyA2.id }),
      "sellerId",
    );
  });

  it("rejects a source it does not know", async () => {
    expectValidation(
      await server.request("POST", "/api/purchases", h.admin.token, { ...base(), source: "phone" }),
      "source",
    );
  });

  it("rejects a malformed JSON body", async () => {
    expectValidation(await server.request("POST", "/api/purchases", h.admin.token, "[1,2"), "body");
  });
});

describe("purchases: who may see and record what", () => {
  it("refuses a rep recording a purchase", async () => {
    const res = await server.request("POST", "/api/purchases", h.repA1.token, {
      buyerId: pharmacyA1.id,
      productId: xtn.id,
      date: "2026-06-02",
      quantity: 1,
    });
    expectError(res, 403, "forbidden");
  });

  it("shows a rep only purchases of their own customers", async () => {
    const { items } = await walkPages(server, "/api/purchases", h.repA1.token, 500);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((p) => p.buyerId === pharmacyA1.id)).toBe(true);
  });

  it("shows the owner of the selling distributor the purchases it sold", async () => {
    const { items } = await walkPages(server, "/api/purchases", h.repB1.token, 500);
    expect(items.some((p) => p.sellerId === distributor.id && p.buyerId === pharmacyA2.id)).toBe(true);
  });

  it("refuses a rep reading a purchase of another rep's customer", async () => {
    const list = await server.request("GET", `/api/purchases?customerId=${pharmacyA2.id}`, h.admin.token);
    const res = await server.request("GET", `/api/purchases/${list.body.items[0].id}`, h.repA1.token);
    expectError(res, 403, "forbidden");
  });

  it("refuses a district manager reading a purchase of the other district", async () => {
    const list = await server.request("GET", `/api/purchases?customerId=${hospitalB1.id}`, h.admin.token);
    const res = await server.request("GET", `/api/purchases/${list.body.items[0].id}`, h.districtA.token);
    expectError(res, 403, "forbidden");
  });

  it("lets finance read every purchase", async () => {
    const all = await server.request("GET", "/api/purchases?limit=500", h.admin.token);
    const fin = await server.request("GET", "/api/purchases?limit=500", h.finance.token);
    expect(fin.body.items).toEqual(all.body.items);
  });

  it("answers 404 for a purchase that does not exist", async () => {
    expectError(await server.request("GET", "/api/purchases/nope", h.admin.token), 404, "not_found");
  });
});

describe("purchases: filters and pagination", () => {
  const ids = async (query: string) => {
    const res = await server.request("GET", `/api/purchases?limit=500&${query}`, h.admin.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as any[];
  };

  it("filters by month", async () => {
    const march = await ids("month=2026-03");
    expect(march.map((p) => p.date).sort()).toEqual(["2026-03-05", "2026-03-31"]);
  });

  it("filters by from and to, both inclusive", async () => {
    const rows = await ids("from=2026-03-31&to=2026-04-01");
    expect(rows.map((p) => p.date).sort()).toEqual(["2026-03-31", "2026-04-01"]);
  });

  it("filters by customerId as buyer or seller", async () => {
    expect((await ids(`customerId=${distributor.id}`)).map((p) => p.documentNo)).toEqual(["FL-0401-1"]);
    expect((await ids(`customerId=${pharmacyA1.id}&month=2026-03`)).length).toBe(2);
  });

  it("filters by productId and source", async () => {
    const rows = await ids(`productId=${xtn.id}&source=erp`);
    expect(rows.map((p) => p.documentNo)).toEqual(["ERP-88"]);
    expect(rows[0].quantity).toBe(-2);
  });

  it("filters by repId through the customers' owner", async () => {
    const rows = await ids(`repId=${h.repA2.id}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((p) => p.buyerId === pharmacyA2.id)).toBe(true);
  });

  it("rejects a month that is not YYYY-MM and a from that is not a date", async () => {
    expectValidation(await server.request("GET", "/api/purchases?month=2026-13", h.admin.token), "month");
    expectValidation(await server.request("GET", "/api/purchases?from=2026-02-30", h.admin.token), "from");
  });

  it("walks more purchases than a page by nextCursor with no duplicates and none missing", async () => {
    for (let day = 1; day <= 26; day++)
      await purchase({
        buyerId: pharmacyA1.id,
        productId: mtf.id,
        date: `2026-07-${String(day).padStart(2, "0")}`,
        quantity: day,
      });
    const { pages, items } = await walkPages(server, "/api/purchases?month=2026-07", h.repA1.token, 8);
    expect(pages.map((p) => p.length)).toEqual([8, 8, 8, 2]);
    expect(items.map((p) => p.quantity).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 26 }, (_, i) => i + 1),
    );
    expect(new Set(items.map((p) => p.id)).size).toBe(26);
  });

  it("rejects limit=501", async () => {
    expectValidation(await server.request("GET", "/api/purchases?limit=501", h.admin.token), "limit");
  });
});
