import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../src/db/ids";
import { alerts, customers } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import {
  buildHierarchy,
  expectError,
  expectValidation,
  type Hierarchy,
  SHANGHAI_INSTANT,
  walkPages,
} from "./fixtures";

/**
 * `GET /api/alerts` and `/api/alerts/{id}`. The alerts are written straight into the table
 * (the rules that open them are tested elsewhere), so every expected list below is the
 * fixture table filtered by hand.
 */
let server: TestServer;
let h: Hierarchy;

interface Fixture {
  id: string;
  type: "churn_overdue" | "churn_decline" | "stock_discrepancy" | "stock_out" | "follow_up_due";
  rep: "repA1" | "repA2" | "repB1";
  customer: "pA1" | "pA2" | "pB1";
  severity: "info" | "warn" | "critical";
  openedOn: string;
  closed: boolean;
}

/** Opened on its date at 09:30 Shanghai (01:30Z); closed ones the next day. */
const TABLE: Omit<Fixture, "id">[] = [
  {
    type: "churn_overdue",
    rep: "repA1",
    customer: "pA1",
    severity: "warn",
    openedOn: "2026-03-02",
    closed: false,
  },
  {
    type: "churn_decline",
    rep: "repA1",
    customer: "pA1",
    severity: "warn",
    openedOn: "2026-03-15",
    closed: true,
  },
  {
    type: "stock_out",
    rep: "repA1",
    customer: "pA1",
    severity: "info",
    openedOn: "2026-03-31",
    closed: false,
  },
  {
    type: "stock_discrepancy",
    rep: "repA2",
    customer: "pA2",
    severity: "critical",
    openedOn: "2026-04-01",
    closed: false,
  },
  {
    type: "follow_up_due",
    rep: "repA2",
    customer: "pA2",
    severity: "info",
    openedOn: "2026-04-10",
    closed: true,
  },
  {
    type: "churn_overdue",
    rep: "repA2",
    customer: "pA2",
    severity: "critical",
    openedOn: "2026-02-28",
    closed: true,
  },
  {
    type: "churn_overdue",
    rep: "repB1",
    customer: "pB1",
    severity: "critical",
    openedOn: "2026-03-20",
    closed: false,
  },
  {
    type: "stock_out",
    rep: "repB1",
    customer: "pB1",
    severity: "info",
    openedOn: "2026-04-30",
    closed: true,
  },
  {
    type: "follow_up_due",
    rep: "repB1",
    customer: "pB1",
    severity: "warn",
    openedOn: "2026-05-01",
    closed: false,
  },
  {
    type: "churn_decline",
    rep: "repA1",
    customer: "pA1",
    severity: "warn",
    openedOn: "2026-01-31",
    closed: true,
  },
  {
    type: "stock_discrepancy",
    rep: "repA1",
    customer: "pA1",
    severity: "warn",
    openedOn: "2026-04-02",
    closed: true,
  },
];
let fixtures: Fixture[] = [];
const customerIds: Record<Fixture["customer"], string> = { pA1: "", pA2: "", pB1: "" };

const insertCustomer = async (name: string, ownerId: string) => {
  const id = newId();
  const at = new Date().toISOString();
  await server.database.db
    .insert(customers)
    .values({ id, code: `C-${id}`, kind: "pharmacy", name, ownerId, createdAt: at, updatedAt: at });
  return id;
};

const get = (path: string, token: string) => server.request("GET", path, token);
/** Ids of every alert the list answers (walked by cursor), in list order. */
const listIds = async (query: string, token = h.admin.token) =>
  (await walkPages(server, `/api/alerts${query}`, token, 3)).items.map((a: { id: string }) => a.id);
const idsWhere = (f: (x: Fixture) => boolean) =>
  fixtures
    .filter(f)
    .map((x) => x.id)
    .sort();

beforeAll(async () => {
  server = await startTestServer({}, { now: () => new Date("2026-05-02T02:00:00Z") });
  h = await buildHierarchy(server);
  customerIds.pA1 = await insertCustomer("第一医药", h.repA1.id);
  customerIds.pA2 = await insertCustomer("雷允上", h.repA2.id);
  customerIds.pB1 = await insertCustomer("方回春堂", h.repB1.id);
  fixtures = TABLE.map((x) => ({ ...x, id: newId() }));
  for (const x of fixtures) {
    const openedAt = `${x.openedOn}T01:30:00.000Z`;
    await server.database.db.insert(alerts).values({
      id: x.id,
      type: x.type,
      customerId: customerIds[x.customer],
      repId: h[x.rep].id,
      severity: x.severity,
      level: x.type === "churn_overdue" ? (x.severity === "critical" ? "upgraded" : "overdue") : null,
      openedAt,
      openedOn: x.openedOn,
      closedAt: x.closed ? new Date(Date.parse(openedAt) + 86_400_000).toISOString() : null,
      data: { lastPurchase: "2026-01-05", cycleDays: 30 },
      updatedAt: openedAt,
    });
  }
});
afterAll(() => server.close());

describe("GET /api/alerts: filters", () => {
  it("lists every alert to an admin, each once, in id order across pages", async () => {
    const { pages, items } = await walkPages(server, "/api/alerts", h.admin.token, 4);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 3]);
    const ids = items.map((a: { id: string }) => a.id);
    expect(ids).toEqual(idsWhere(() => true));
    expect(new Set(ids).size).toBe(fixtures.length);
  });

  it.each(["churn_overdue", "churn_decline", "stock_discrepancy", "stock_out", "follow_up_due"] as const)(
    "filters by type=%s",
    async (type) => {
      const expected = idsWhere((x) => x.type === type);
      expect(expected.length).toBeGreaterThan(0);
      expect(await listIds(`?type=${type}`)).toEqual(expected);
    },
  );

  it.each(["info", "warn", "critical"] as const)("filters by severity=%s", async (severity) => {
    expect(await listIds(`?severity=${severity}`)).toEqual(idsWhere((x) => x.severity === severity));
  });

  it("filters by status open and closed", async () => {
    expect(await listIds("?status=open")).toEqual(idsWhere((x) => !x.closed));
    expect(await listIds("?status=closed")).toEqual(idsWhere((x) => x.closed));
  });

  it("filters by repId and customerId", async () => {
    expect(await listIds(`?repId=${h.repA2.id}`)).toEqual(idsWhere((x) => x.rep === "repA2"));
    expect(await listIds(`?customerId=${customerIds.pB1}`)).toEqual(idsWhere((x) => x.customer === "pB1"));
    expect(await listIds(`?repId=${h.repA1.id}&customerId=${customerIds.pB1}`)).toEqual([]);
  });

  it("filters by the date opened: month, from and to inclusive", async () => {
    expect(await listIds("?month=2026-03")).toEqual(
      idsWhere((x) => x.openedOn >= "2026-03-01" && x.openedOn <= "2026-03-31"),
    );
    expect(await listIds("?month=2026-03")).toHaveLength(4);
    expect(await listIds("?from=2026-03-31&to=2026-04-02")).toEqual(
      idsWhere((x) => ["2026-03-31", "2026-04-01", "2026-04-02"].includes(x.openedOn)),
    );
    expect(await listIds("?from=2026-04-30")).toEqual(idsWhere((x) => x.openedOn >= "2026-04-30"));
    expect(await listIds("?to=2026-02-28")).toEqual(idsWhere((x) => x.openedOn <= "2026-02-28"));
  });

  it("combines filters and pages through the combination", async () => {
    const expected = idsWhere((x) => x.rep === "repA1" && !x.closed && x.openedOn.startsWith("2026-03"));
    expect(expected).toHaveLength(2);
    const { pages } = await walkPages(
      server,
      `/api/alerts?repId=${h.repA1.id}&status=open&month=2026-03`,
      h.admin.token,
      1,
    );
    expect(pages.flat().map((a: { id: string }) => a.id)).toEqual(expected);
    expect(pages.length).toBeGreaterThanOrEqual(2);
  });
});

describe("GET /api/alerts: shape and scope", () => {
  it("answers each listed alert identically from GET /api/alerts/{id}", async () => {
    const { items } = await walkPages(server, "/api/alerts", h.admin.token, 50);
    for (const item of items) {
      const one = await get(`/api/alerts/${item.id}`, h.admin.token);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(item);
    }
    const x = fixtures.find((f) => f.closed && f.openedOn === "2026-03-15")!;
    expect(items.find((a: { id: string }) => a.id === x.id)).toEqual({
      id: x.id,
      type: "churn_decline",
      customerId: customerIds.pA1,
      repId: h.repA1.id,
      severity: "warn",
      level: null,
      openedAt: "2026-03-15T09:30:00+08:00",
      openedOn: "2026-03-15",
      closedAt: "2026-03-16T09:30:00+08:00",
      data: { lastPurchase: "2026-01-05", cycleDays: 30 },
    });
    for (const a of items) {
      expect(a.openedAt).toMatch(SHANGHAI_INSTANT);
      if (a.closedAt !== null) expect(a.closedAt).toMatch(SHANGHAI_INSTANT);
    }
  });

  it("gives a rep their own alerts, a manager the team's, finance and admin all", async () => {
    expect(await listIds("", h.repA1.token)).toEqual(idsWhere((x) => x.rep === "repA1"));
    expect(await listIds("", h.repB1.token)).toEqual(idsWhere((x) => x.rep === "repB1"));
    expect(await listIds("", h.districtA.token)).toEqual(idsWhere((x) => x.rep !== "repB1"));
    expect(await listIds("", h.districtB.token)).toEqual(idsWhere((x) => x.rep === "repB1"));
    expect(await listIds("", h.regional.token)).toEqual(idsWhere(() => true));
    expect(await listIds("", h.finance.token)).toEqual(idsWhere(() => true));
  });

  it("never widens a rep's scope through a filter", async () => {
    expect(await listIds(`?repId=${h.repB1.id}`, h.repA1.token)).toEqual([]);
    expect(await listIds(`?customerId=${customerIds.pB1}`, h.districtA.token)).toEqual([]);
  });

  it("answers 403 for an alert outside the actor's scope and 200 within it", async () => {
    const south = fixtures.find((x) => x.rep === "repB1")!.id;
    expectError(await get(`/api/alerts/${south}`, h.repA1.token), 403, "forbidden");
    expectError(await get(`/api/alerts/${south}`, h.districtA.token), 403, "forbidden");
    for (const token of [h.repB1.token, h.districtB.token, h.regional.token, h.finance.token])
      expect((await get(`/api/alerts/${south}`, token)).body.id).toBe(south);
  });

  it("answers 404 for an unknown alert and 401 without a token", async () => {
    expectError(await get("/api/alerts/no-such-alert", h.admin.token), 404, "not_found");
    expectError(await get("/api/alerts/no-such-alert", h.repA1.token), 404, "not_found");
    expect((await server.request("GET", "/api/alerts")).status).toBe(401);
  });
});

describe("GET /api/alerts: validation", () => {
  it.each([
    ["type=churn", "type"],
    ["severity=high", "severity"],
    ["status=maybe", "status"],
    ["from=2026-02-30", "from"],
    ["to=yesterday", "to"],
    ["month=2026-13", "month"],
    ["limit=0", "limit"],
    ["limit=501", "limit"],
    ["limit=ten", "limit"],
    ["cursor=%25%25%25", "cursor"],
  ])("rejects ?%s naming %s", async (query, field) => {
    expectValidation(await get(`/api/alerts?${query}`, h.admin.token), field);
  });

  it("accepts the maximum page of 500", async () => {
    const res = await get("/api/alerts?limit=500", h.admin.token);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(fixtures.length);
    expect(res.body.nextCursor).toBeNull();
  });
});
