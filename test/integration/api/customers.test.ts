import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentEvents } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  auditRowsOf,
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  SHANGHAI_INSTANT,
  walkPages,
} from "./fixtures";

let server: TestServer;
let h: Hierarchy;
/** One customer per rep, created by the rep. */
let ofA1: any;
let ofA2: any;
let ofB1: any;

const CONTRACT_FIELDS = [
  "id",
  "code",
  "kind",
  "name",
  "parentId",
  "ownerId",
  "city",
  "cityTier",
  "area",
  "address",
  "phone",
  "email",
  "birthday",
  "timezone",
  "stage",
  "consent",
  "preferredChannel",
];

beforeAll(async () => {
  server = await startTestServer();
  h = await buildHierarchy(server);
  const mk = async (token: string, name: string) => {
    const res = await server.request("POST", "/api/customers", token, {
      kind: "pharmacy",
      name,
      city: "上海",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  ofA1 = await mk(h.repA1.token, "益丰大药房(静安店)");
  ofA2 = await mk(h.repA2.token, "华氏大药房(徐汇店)");
  ofB1 = await mk(h.repB1.token, "杭州九洲大药房");
});
afterAll(() => server.close());

describe("customers: happy path", () => {
  it("creates a hospital and answers 201 with the bare object", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "hospital",
      name: "复旦大学附属华山医院",
      city: "上海",
      cityTier: 1,
      area: "静安区",
      address: "乌鲁木齐中路12号",
      phone: "021-52889999",
      beds: 1300,
      dailyOutpatients: 12000,
      monthlyPurchaseCny: 8_500_000.5,
    });
    expect(res.status).toBe(201);
    for (const f of CONTRACT_FIELDS) expect(res.body).toHaveProperty(f);
    expect(res.body).toMatchObject({
      kind: "hospital",
      name: "复旦大学附属华山医院",
      ownerId: h.repA1.id,
      parentId: null,
      cityTier: 1,
      stage: "to_identify",
      beds: 1300,
      dailyOutpatients: 12000,
      monthlyPurchaseCny: 8_500_000.5,
      consent: {
        sms: { state: "none", at: null, by: null },
        email: { state: "none", at: null, by: null },
      },
    });
    expect(res.body.code).toMatch(/^H[0-9A-Z]{8}$/);
    expect(res.body).not.toHaveProperty("department");
  });

  it("creates a doctor under a department of a hospital, with the doctor's own fields", async () => {
    const hospital = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "hospital",
      name: "上海市第六人民医院",
    });
    const dept = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "department",
      name: "内分泌科",
      parentId: hospital.body.id,
    });
    expect(dept.status).toBe(201);
    const doctor = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "doctor",
      name: "贾伟平",
      parentId: dept.body.id,
      department: "内分泌科",
      title: "主任医师",
      kol: true,
      birthday: "03-15",
      code: "DR-JIA-001",
    });
    expect(doctor.status).toBe(201);
    expect(doctor.body).toMatchObject({
      parentId: dept.body.id,
      department: "内分泌科",
      title: "主任医师",
      kol: true,
      birthday: "03-15",
      code: "DR-JIA-001",
    });
    expect(doctor.body).not.toHaveProperty("beds");
  });

  it("reads a customer back as created", async () => {
    const res = await server.request("GET", `/api/customers/${ofA1.id}`, h.repA1.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(ofA1);
  });

  it("patches a customer, keeps what the patch does not name, and audits before and after", async () => {
    const created = await server.request("POST", "/api/customers", h.repA2.token, {
      kind: "pharmacy",
      name: "国大药房(长宁店)",
      city: "上海",
      monthlySalesCny: 600_000,
    });
    const res = await server.request("PATCH", `/api/customers/${created.body.id}`, h.repA2.token, {
      stage: "intent",
      ourMonthlySalesCny: 12_000,
    });
    expect(res.status).toBe(200);
    // `grade` is computed from the figures, so it may change with them.
    expect(res.body).toEqual({
      ...created.body,
      stage: "intent",
      ourMonthlySalesCny: 12_000,
      grade: res.body.grade,
    });

    const audit = await auditRowsOf(server, "customer", created.body.id);
    expect(audit.map((a) => [a.action, a.actorId, a.via])).toEqual([
      ["create", h.repA2.id, "api"],
      ["update", h.repA2.id, "api"],
    ]);
    expect(audit[0].after).toMatchObject({ name: "国大药房(长宁店)", ownerId: h.repA2.id });
    expect(audit[1].before).toMatchObject({ stage: "to_identify", ourMonthlySalesCny: null });
    expect(audit[1].after).toMatchObject({ stage: "intent", ourMonthlySalesCny: 12_000 });
  });

  it("lets a manager create a customer for a rep of the team", async () => {
    const res = await server.request("POST", "/api/customers", h.regional.token, {
      kind: "distributor",
      name: "国药控股杭州有限公司",
      ownerId: h.repB1.id,
      tier: "first",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ownerId: h.repB1.id, tier: "first" });
    expect((await auditRowsOf(server, "customer", res.body.id))[0].actorId).toBe(h.regional.id);
  });
});

describe("customers: consent", () => {
  it("records a granted consent with the time in the company's offset and who recorded it", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "doctor",
      name: "宁光",
      email: "ning.guang@example.com",
      consent: { email: { state: "granted", method: "paper_form", evidence: "签字同意书 2026-03 第12号" } },
    });
    expect(res.status).toBe(201);
    expect(res.body.consent.email).toMatchObject({
      state: "granted",
      by: h.repA1.id,
      method: "paper_form",
      evidence: "签字同意书 2026-03 第12号",
    });
    expect(res.body.consent.email.at).toMatch(SHANGHAI_INSTANT);
    expect(Math.abs(Date.parse(res.body.consent.email.at) - Date.now())).toBeLessThan(60_000);
    expect(res.body.consent.sms.state).toBe("none");
  });

  it("appends a ledger row for a withdrawal and shows the consent as withdrawn", async () => {
    const created = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "doctor",
      name: "王卫庆",
      phone: "13900001111",
      consent: {
        email: { state: "granted", method: "paper_form", evidence: "表格" },
        sms: { state: "granted", method: "verbal" },
      },
    });
    const res = await server.request("PATCH", `/api/customers/${created.body.id}`, h.districtA.token, {
      consent: { email: { state: "withdrawn", method: "phone_call", evidence: "电话中表示不再接收邮件" } },
    });
    expect(res.status).toBe(200);
    expect(res.body.consent.email).toMatchObject({
      state: "withdrawn",
      by: h.districtA.id,
      method: "phone_call",
    });
    expect(res.body.consent.email.at).toMatch(SHANGHAI_INSTANT);
    expect(res.body.consent.sms.state).toBe("granted");

    const ledger = await server.database.db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.customerId, created.body.id))
      .orderBy(asc(consentEvents.at), asc(consentEvents.id));
    expect(ledger.map((r) => [r.channel, r.state, r.by])).toEqual(
      expect.arrayContaining([
        ["email", "granted", h.repA1.id],
        ["sms", "granted", h.repA1.id],
        ["email", "withdrawn", h.districtA.id],
      ]),
    );
    expect(ledger).toHaveLength(3);
    const read = await server.request("GET", `/api/customers/${created.body.id}`, h.repA1.token);
    expect(read.body.consent.email.state).toBe("withdrawn");
  });

  it("rejects a consent without how it was obtained", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "doctor",
      name: "某医生",
      consent: { sms: { state: "granted" } },
    });
    expectValidation(res, "consent.sms.method");
  });

  it("rejects a consent state the ledger does not know", async () => {
    const res = await server.request("PATCH", `/api/customers/${ofA1.id}`, h.repA1.token, {
      consent: { sms: { state: "maybe", method: "verbal" } },
    });
    expectValidation(res, "consent.sms.state");
  });
});

describe("customers: validation", () => {
  it("rejects the kind clinic, naming the field", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "clinic",
      name: "社区诊所",
    });
    expectValidation(res, "kind");
  });

  it("rejects an empty name", async () => {
    expectValidation(
      await server.request("POST", "/api/customers", h.repA1.token, { kind: "pharmacy", name: "" }),
      "name",
    );
  });

  it("rejects a birthday that is not MM-DD or YYYY-MM-DD", async () => {
    const res = await server.request("PATCH", `/api/customers/${ofA1.id}`, h.repA1.token, {
      birthday: "1975/03/15",
    });
    expectValidation(res, "birthday");
  });

  it("rejects a city tier of 4", async () => {
    const res = await server.request("PATCH", `/api/customers/${ofA1.id}`, h.repA1.token, { cityTier: 4 });
    expectValidation(res, "cityTier");
  });

  it("rejects money with three decimals", async () => {
    const res = await server.request("PATCH", `/api/customers/${ofA1.id}`, h.repA1.token, {
      monthlySalesCny: 12.345,
    });
    expectValidation(res, "monthlySalesCny");
  });

  it("rejects a doctor hanging under a pharmacy", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "doctor",
      name: "某医生",
      parentId: ofA1.id,
    });
    expectValidation(res, "parentId");
  });

  it("rejects a parent that does not exist", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "department",
      name: "心内科",
      parentId: "nope",
    });
    expectValidation(res, "parentId");
  });

  it("rejects a customer as its own parent", async () => {
    const res = await server.request("PATCH", `/api/customers/${ofA1.id}`, h.repA1.token, {
      parentId: ofA1.id,
    });
    expectValidation(res, "parentId");
  });

  it("rejects a pharmacy chain placed under one of its own stores", async () => {
    const chain = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "pharmacy",
      name: "一心堂",
    });
    const store = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "pharmacy",
      name: "一心堂(虹口店)",
      parentId: chain.body.id,
    });
    expect(store.status).toBe(201);
    const res = await server.request("PATCH", `/api/customers/${chain.body.id}`, h.repA1.token, {
      parentId: store.body.id,
    });
    expectValidation(res, "parentId");
  });

  it("rejects changing the owner by a patch: that is the handover action", async () => {
    const res = await server.request("PATCH", `/api/customers/${ofA1.id}`, h.admin.token, {
      ownerId: h.repA2.id,
    });
    expectValidation(res, "ownerId");
  });

  it("rejects a field customers do not have", async () => {
    const res = await server.request("PATCH", `/api/customers/${ofA1.id}`, h.repA1.token, { vip: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation");
  });

  it("rejects a malformed JSON body", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, '{"kind":"pharmacy",name:}');
    expectValidation(res, "body");
  });

  it("answers 409, not 500, for a code another customer has", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "pharmacy",
      name: "重复编码药房",
      code: ofA1.code,
    });
    expectError(res, 409, "conflict");
    expect(res.body.error.message).toContain("code");
  });

  it("answers 404 for a customer that does not exist", async () => {
    expectError(await server.request("GET", "/api/customers/nope", h.admin.token), 404, "not_found");
  });
});

describe("customers: who may see and change what", () => {
  it("refuses a rep reading another rep's customer", async () => {
    expectError(await server.request("GET", `/api/customers/${ofA2.id}`, h.repA1.token), 403, "forbidden");
  });

  it("refuses a rep patching another rep's customer", async () => {
    const res = await server.request("PATCH", `/api/customers/${ofA2.id}`, h.repA1.token, { stage: "new" });
    expectError(res, 403, "forbidden");
  });

  it("refuses a manager reading a customer of a rep outside their team", async () => {
    expectError(
      await server.request("GET", `/api/customers/${ofB1.id}`, h.districtA.token),
      403,
      "forbidden",
    );
  });

  it("lets a regional manager read customers of both districts", async () => {
    expect((await server.request("GET", `/api/customers/${ofA2.id}`, h.regional.token)).status).toBe(200);
    expect((await server.request("GET", `/api/customers/${ofB1.id}`, h.regional.token)).status).toBe(200);
  });

  it("refuses a rep creating a customer for another rep", async () => {
    const res = await server.request("POST", "/api/customers", h.repA1.token, {
      kind: "pharmacy",
      name: "别人的药房",
      ownerId: h.repA2.id,
    });
    expectError(res, 403, "forbidden");
  });

  it("refuses a district manager creating a customer for a rep of the other district", async () => {
    const res = await server.request("POST", "/api/customers", h.districtB.token, {
      kind: "pharmacy",
      name: "越界药房",
      ownerId: h.repA1.id,
    });
    expectError(res, 403, "forbidden");
  });

  it("lets finance read any customer but refuses finance patching one", async () => {
    expect((await server.request("GET", `/api/customers/${ofB1.id}`, h.finance.token)).status).toBe(200);
    const res = await server.request("PATCH", `/api/customers/${ofB1.id}`, h.finance.token, { stage: "new" });
    expectError(res, 403, "forbidden");
    const after = await server.request("GET", `/api/customers/${ofB1.id}`, h.admin.token);
    expect(after.body.stage).toBe("to_identify");
  });

  it("refuses finance creating a customer", async () => {
    const res = await server.request("POST", "/api/customers", h.finance.token, {
      kind: "pharmacy",
      name: "财务药房",
    });
    expectError(res, 403, "forbidden");
  });

  it("lists only a rep's own customers to the rep", async () => {
    const { items } = await walkPages(server, "/api/customers", h.repA2.token, 500);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((c) => c.ownerId === h.repA2.id)).toBe(true);
  });

  it("lists a district's customers to its manager and nothing of the other district", async () => {
    const { items } = await walkPages(server, "/api/customers", h.districtA.token, 500);
    const owners = new Set(items.map((c) => c.ownerId));
    expect(owners.has(h.repA1.id) && owners.has(h.repA2.id)).toBe(true);
    expect(owners.has(h.repB1.id)).toBe(false);
  });

  it("gives a manager nothing when filtering by a rep outside the team", async () => {
    const res = await server.request("GET", `/api/customers?repId=${h.repB1.id}`, h.districtA.token);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });
});

describe("customers: filters and pagination", () => {
  it("filters by repId, kind, city and stage", async () => {
    const byRep = await server.request("GET", `/api/customers?repId=${h.repA1.id}&limit=500`, h.admin.token);
    expect(byRep.body.items.length).toBeGreaterThan(2);
    expect(byRep.body.items.every((c: any) => c.ownerId === h.repA1.id)).toBe(true);

    const doctors = await server.request("GET", "/api/customers?kind=doctor&limit=500", h.admin.token);
    expect(doctors.body.items.length).toBeGreaterThan(0);
    expect(doctors.body.items.every((c: any) => c.kind === "doctor")).toBe(true);

    const hangzhou = await server.request(
      "GET",
      `/api/customers?city=${encodeURIComponent("上海")}`,
      h.admin.token,
    );
    expect(hangzhou.body.items.every((c: any) => c.city === "上海")).toBe(true);
    expect(hangzhou.body.items.map((c: any) => c.id)).toContain(ofA1.id);

    const intent = await server.request("GET", "/api/customers?stage=intent", h.admin.token);
    expect(intent.body.items.length).toBeGreaterThan(0);
    expect(intent.body.items.every((c: any) => c.stage === "intent")).toBe(true);
  });

  it("filters by parentId", async () => {
    const hospital = await server.request("POST", "/api/customers", h.repB1.token, {
      kind: "hospital",
      name: "浙江大学医学院附属第一医院",
    });
    const ids: string[] = [];
    for (const name of ["心内科", "内分泌科"]) {
      const d = await server.request("POST", "/api/customers", h.repB1.token, {
        kind: "department",
        name,
        parentId: hospital.body.id,
      });
      ids.push(d.body.id);
    }
    const res = await server.request("GET", `/api/customers?parentId=${hospital.body.id}`, h.repB1.token);
    expect(res.body.items.map((c: any) => c.id)).toEqual(ids);
  });

  it("rejects a kind filter that is not a kind", async () => {
    expectValidation(await server.request("GET", "/api/customers?kind=clinic", h.admin.token), "kind");
  });

  it("walks more customers than a page by nextCursor with no duplicates and none missing", async () => {
    const created: string[] = [];
    for (let i = 0; i < 23; i++) {
      const res = await server.request("POST", "/api/customers", h.repA2.token, {
        kind: "pharmacy",
        name: `分页药房${i}`,
        area: "分页区",
      });
      created.push(res.body.id);
    }
    const { pages, items } = await walkPages(
      server,
      `/api/customers?area=${encodeURIComponent("分页区")}`,
      h.repA2.token,
      7,
    );
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 2]);
    expect(items.map((c) => c.id)).toEqual(created);
  });

  it("uses a default page of 50", async () => {
    const total = (await server.request("GET", "/api/customers?limit=500", h.admin.token)).body.items.length;
    for (let i = total; i <= 50; i++)
      await server.request("POST", "/api/customers", h.repB1.token, {
        kind: "pharmacy",
        name: `填充药房${i}`,
      });
    const res = await server.request("GET", "/api/customers", h.admin.token);
    expect(res.body.items.length).toBe(50);
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });

  it("rejects limit=501 and limit=0", async () => {
    expectValidation(await server.request("GET", "/api/customers?limit=501", h.admin.token), "limit");
    expectValidation(await server.request("GET", "/api/customers?limit=0", h.admin.token), "limit");
  });
});
