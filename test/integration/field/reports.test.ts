import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../helpers/app";
import { type FieldServer, fixtureWriter, startFieldServer } from "../../helpers/field-app";

/**
 * A small hand-built month (March 2026, Asia/Shanghai). Every expected figure below was
 * worked out by hand from this fixture; none is recomputed by the code under test.
 *
 * 王小明 (rep1, under managerA) — doctors: D1 A (P1 3×4 grow; P2 0×1 C evaluate), D2 B
 * nurture (P1 1×2), D3 C develop (P1 0×3), D4 none (P1 2×0), D5 B maintain (P2 4×1).
 *   03-02 in person: D1 [P1,P2] (plan PL1 completed), D2 [P1], D3 [P1]
 *   03-03 in person: D1 [P1], H1 [] (plan PL2 normal)
 *   03-05 in person: D1 [P1], D2 [P1,P2]
 *   03-06 phone: D1 [P1]
 *   not counted: 02-28 23:30 and 04-01 00:30 Shanghai (D5; UTC would put the second in March), a void visit 03-10
 *   plans: PL1 completed+visited, PL2 normal+visited, PL3 normal not visited, PL4 void, PL5 temporary
 *   → field days 3, calls 8, in person 7, 2.33 per field day, 9 messages / 8 = 1.13, plans 2/3
 *   → frequency A 1/1 (D1 4 visits ≥ 4), B 1/2 (D2 2 ≥ 2; D5 0), C 0/1 (D3 1 < 4); coverage A 1, B 0.5, C 1
 * 李娜 (rep2, under managerA) — D6 A grow (P1 3×3): 03-10 ×2, 03-11 ×1, all [P1]
 *   → field days 2, calls 3, 1.5 per day, 1 message per call, no plans; frequency A 0 (3 < 4); coverage A 1
 * "张, 伟" (rep3, under managerB) — D7 B develop (P2 2×3): 03-12 in person, no products
 *   → field days 1, calls 1, 1 per day, 0 messages; frequency B 0; coverage B 1
 */
let server: FieldServer;
const t: Record<string, string> = {};
const ids: Record<string, string> = {};

const sfeTeamMetrics = {
  fieldDays: 6,
  calls: 12,
  inPersonCalls: 11,
  callsPerFieldDay: 1.83,
  productMessagesPerCall: 1,
  planAttainment: 0.6667,
  frequencyAttainment: { A: 0.5, B: 0.3333, C: 0 },
  coverage: { A: 1, B: 0.6667, C: 1 },
};

const rep1Metrics = {
  fieldDays: 3,
  calls: 8,
  inPersonCalls: 7,
  callsPerFieldDay: 2.33,
  productMessagesPerCall: 1.13,
  planAttainment: 0.6667,
  frequencyAttainment: { A: 1, B: 0.5, C: 0 },
  coverage: { A: 1, B: 0.5, C: 1 },
};

const rep2Metrics = {
  fieldDays: 2,
  calls: 3,
  inPersonCalls: 3,
  callsPerFieldDay: 1.5,
  productMessagesPerCall: 1,
  planAttainment: null,
  frequencyAttainment: { A: 0, B: null, C: null },
  coverage: { A: 1, B: null, C: null },
};

const rep3Metrics = {
  fieldDays: 1,
  calls: 1,
  inPersonCalls: 1,
  callsPerFieldDay: 1,
  productMessagesPerCall: 0,
  planAttainment: null,
  frequencyAttainment: { A: null, B: 0, C: null },
  coverage: { A: null, B: 1, C: null },
};

const buildPeople = async () => {
  const db = server.database;
  const admin = await createUser(db, { name: "管理员", role: "admin" });
  const finance = await createUser(db, { name: "财务", role: "finance" });
  const managerA = await createUser(db, { name: "北区经理", role: "manager" });
  const managerB = await createUser(db, { name: "南区经理", role: "manager" });
  const rep1 = await createUser(db, { name: "王小明", role: "rep", managerId: managerA.id });
  const rep2 = await createUser(db, { name: "李娜", role: "rep", managerId: managerA.id });
  const rep3 = await createUser(db, { name: "张, 伟", role: "rep", managerId: managerB.id });
  for (const [k, u] of Object.entries({ admin, finance, managerA, managerB, rep1, rep2, rep3 })) {
    t[k] = u.token;
    ids[k] = u.id;
  }
};

const buildSfeFixture = async () => {
  const f = fixtureWriter(server.database);
  const { rep1, rep2, rep3 } = ids;
  const P1 = await f.product("代文", "P1");
  const P2 = await f.product('络活喜, "片"', "P2");
  Object.assign(ids, { P1, P2 });
  await f.product("停产药", "P9", false);
  const doc = (name: string, ownerId: string) => f.customer({ kind: "doctor", name, ownerId });
  const [D1, D2, D3, D4, D5] = [
    await doc("D1", rep1),
    await doc("D2", rep1),
    await doc("D3", rep1),
    await doc("D4", rep1),
    await doc("D5", rep1),
  ];
  const D6 = await doc("D6", rep2);
  const D7 = await doc("D7", rep3);
  const H1 = await f.customer({
    kind: "hospital",
    name: "瑞金医院",
    ownerId: rep1,
    beds: 600,
    dailyOutpatients: 1500,
  });
  ids.H1 = H1;
  await f.segment(D1, P1, 3, 4);
  await f.segment(D1, P2, 0, 1);
  await f.segment(D2, P1, 1, 2);
  await f.segment(D3, P1, 0, 3);
  await f.segment(D4, P1, 2, 0);
  await f.segment(D5, P2, 4, 1);
  await f.segment(D6, P1, 3, 3);
  await f.segment(D7, P2, 2, 3);
  const PL1 = await f.plan(rep1, D1, "2026-03-02", "completed");
  const PL2 = await f.plan(rep1, H1, "2026-03-03", "normal");
  await f.plan(rep1, D2, "2026-03-04", "normal");
  await f.plan(rep1, D3, "2026-03-05", "void");
  await f.plan(rep1, D2, "2026-03-06", "temporary");
  await f.visit(rep1, D1, "2026-03-02T09:00:00+08:00", [P1, P2], { planId: PL1 });
  await f.visit(rep1, D2, "2026-03-02T10:00:00+08:00", [P1]);
  await f.visit(rep1, D3, "2026-03-02T15:00:00+08:00", [P1]);
  await f.visit(rep1, D1, "2026-03-03T09:00:00+08:00", [P1]);
  await f.visit(rep1, H1, "2026-03-03T14:00:00+08:00", [], { planId: PL2 });
  await f.visit(rep1, D1, "2026-03-05T09:00:00+08:00", [P1]);
  await f.visit(rep1, D2, "2026-03-05T11:00:00+08:00", [P1, P2]);
  await f.visit(rep1, D1, "2026-03-06T16:00:00+08:00", [P1], { method: "phone" });
  await f.visit(rep1, D5, "2026-02-28T23:30:00+08:00", [P2]);
  await f.visit(rep1, D5, "2026-04-01T00:30:00+08:00", [P2]);
  await f.visit(rep1, D5, "2026-03-10T10:00:00+08:00", [P2], { status: "void" });
  await f.visit(rep2, D6, "2026-03-10T09:00:00+08:00", [P1]);
  await f.visit(rep2, D6, "2026-03-10T16:00:00+08:00", [P1]);
  await f.visit(rep2, D6, "2026-03-11T09:00:00+08:00", [P1]);
  await f.visit(rep3, D7, "2026-03-12T09:00:00+08:00", []);
};

/**
 * Coverage fixture: targets are hospitals (any grade) and pharmacies graded A–C (D, not yet
 * covered, is not a target).
 *   H1 rep1 A · H2 rep1 C (199 beds) · S1 rep1 A · S2 rep1 D · S3 rep3 C
 *   P1: H1 listed; H2 blank 竞品: 厂家X; S1 blank 价格; S3 blank 价格; S2 blank (not a target)
 *   P2: H1 blank 药事会未开; nothing recorded elsewhere
 */
const buildCoverageFixture = async () => {
  const f = fixtureWriter(server.database);
  const { rep1, rep3, P1, P2, H1 } = ids;
  const H2 = await f.customer({
    kind: "hospital",
    name: "社区医院",
    ownerId: rep1,
    beds: 199,
    dailyOutpatients: 499,
  });
  const S1 = await f.customer({
    kind: "pharmacy",
    name: "大参林",
    ownerId: rep1,
    monthlySalesCny: 600_000,
    ourMonthlySalesCny: 20_000,
  });
  const S2 = await f.customer({
    kind: "pharmacy",
    name: "老百姓",
    ownerId: rep1,
    monthlySalesCny: 600_000,
    ourMonthlySalesCny: 0,
  });
  const S3 = await f.customer({
    kind: "pharmacy",
    name: "益丰",
    ownerId: rep3,
    monthlySalesCny: 100_000,
    ourMonthlySalesCny: 5_000,
  });
  await f.coverage(H1, P1, true);
  await f.coverage(H2, P1, false, "竞品: 厂家X");
  await f.coverage(S1, P1, false, "价格");
  await f.coverage(S3, P1, false, "价格");
  await f.coverage(S2, P1, false, "不进");
  await f.coverage(H1, P2, false, "药事会未开");
};

beforeAll(async () => {
  server = await startFieldServer(new Date("2026-03-20T02:00:00Z"));
  await buildPeople();
  await buildSfeFixture();
  await buildCoverageFixture();
});
afterAll(() => server.close());

const get = (path: string, token: string) => server.request("GET", path, token);

describe("GET /api/reports/sfe", () => {
  it("gives admin every rep (by name) and the whole team", async () => {
    const res = await get("/api/reports/sfe?month=2026-03", t.admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.month).toBe("2026-03");
    expect(res.body.reps).toEqual([
      { repId: ids.rep3, name: "张, 伟", ...rep3Metrics },
      { repId: ids.rep2, name: "李娜", ...rep2Metrics },
      { repId: ids.rep1, name: "王小明", ...rep1Metrics },
    ]);
    expect(res.body.team).toEqual(sfeTeamMetrics);
  });

  it("defaults to the current month in the company time zone", async () => {
    const res = await get("/api/reports/sfe", t.finance);
    expect(res.status).toBe(200);
    expect(res.body.month).toBe("2026-03");
    expect(res.body.team.calls).toBe(12);
  });

  it("gives a manager their team only", async () => {
    const res = await get("/api/reports/sfe?month=2026-03", t.managerA);
    expect(res.body.reps.map((r: { repId: string }) => r.repId)).toEqual([ids.rep2, ids.rep1]);
    expect(res.body.team).toEqual({
      fieldDays: 5,
      calls: 11,
      inPersonCalls: 10,
      callsPerFieldDay: 2,
      productMessagesPerCall: 1.09,
      planAttainment: 0.6667,
      frequencyAttainment: { A: 0.5, B: 0.5, C: 0 },
      coverage: { A: 1, B: 0.5, C: 1 },
    });
  });

  it("filters by managerId and repId within scope", async () => {
    const team = await get(`/api/reports/sfe?month=2026-03&managerId=${ids.managerB}`, t.admin);
    expect(team.body.reps).toEqual([{ repId: ids.rep3, name: "张, 伟", ...rep3Metrics }]);
    const one = await get(`/api/reports/sfe?month=2026-03&repId=${ids.rep2}`, t.managerA);
    expect(one.body.reps).toEqual([{ repId: ids.rep2, name: "李娜", ...rep2Metrics }]);
    expect(one.body.team).toEqual(rep2Metrics);
  });

  it("gives a rep themself only and refuses anyone else", async () => {
    const mine = await get("/api/reports/sfe?month=2026-03", t.rep1);
    expect(mine.body.reps).toEqual([{ repId: ids.rep1, name: "王小明", ...rep1Metrics }]);
    expect((await get(`/api/reports/sfe?month=2026-03&repId=${ids.rep2}`, t.rep1)).status).toBe(403);
    expect((await get(`/api/reports/sfe?month=2026-03&managerId=${ids.managerA}`, t.rep1)).status).toBe(403);
    expect((await get(`/api/reports/sfe?month=2026-03&repId=${ids.rep3}`, t.managerA)).status).toBe(403);
  });

  it("narrows to one product: its visits and the doctors' segments for it", async () => {
    const res = await get(`/api/reports/sfe?month=2026-03&repId=${ids.rep1}&productId=${ids.P2}`, t.admin);
    // P2 visits: 03-02 D1 [P1,P2], 03-05 D2 [P1,P2]; P2 classes: D1 C evaluate (1), D5 B maintain (2).
    expect(res.body.team).toEqual({
      fieldDays: 2,
      calls: 2,
      inPersonCalls: 2,
      callsPerFieldDay: 1,
      productMessagesPerCall: 2,
      planAttainment: null,
      frequencyAttainment: { A: null, B: 0, C: 1 },
      coverage: { A: null, B: 0, C: 1 },
    });
  });

  it("counts nothing in a month without activity", async () => {
    const res = await get("/api/reports/sfe?month=2026-05", t.admin);
    expect(res.body.team).toMatchObject({
      fieldDays: 0,
      calls: 0,
      callsPerFieldDay: null,
      planAttainment: null,
    });
  });

  it.each([
    ["month=2026-13", "month"],
    ["month=2026-3", "month"],
    ["format=xml", "format"],
  ])("rejects ?%s naming %s", async (query, field) => {
    const res = await get(`/api/reports/sfe?${query}`, t.admin);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });
});

describe("GET /api/reports/coverage", () => {
  it("counts targets, listings, blanks and reasons per active product", async () => {
    const res = await get("/api/reports/coverage", t.admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.asOf).toBe("2026-03-20");
    expect(res.body.products).toEqual([
      {
        productId: ids.P1,
        name: "代文",
        targets: { hospitals: 2, pharmacies: 2, total: 4 },
        listed: 1,
        blank: 3,
        blankRate: 0.75,
        reasons: [
          { reason: "价格", count: 2 },
          { reason: "竞品: 厂家X", count: 1 },
        ],
      },
      {
        productId: ids.P2,
        name: '络活喜, "片"',
        targets: { hospitals: 2, pharmacies: 2, total: 4 },
        listed: 0,
        blank: 4,
        blankRate: 1,
        reasons: [
          { reason: null, count: 3 },
          { reason: "药事会未开", count: 1 },
        ],
      },
    ]);
  });

  it("scopes a manager to the team's accounts and filters by product", async () => {
    const res = await get(`/api/reports/coverage?productId=${ids.P1}`, t.managerA);
    expect(res.body.products).toEqual([
      {
        productId: ids.P1,
        name: "代文",
        targets: { hospitals: 2, pharmacies: 1, total: 3 },
        listed: 1,
        blank: 2,
        blankRate: 0.6667,
        reasons: [
          { reason: "价格", count: 1 },
          { reason: "竞品: 厂家X", count: 1 },
        ],
      },
    ]);
  });

  it("gives a rep with no accounts an empty count, and refuses another rep", async () => {
    const res = await get(`/api/reports/coverage?productId=${ids.P1}`, t.rep2);
    expect(res.body.products[0]).toMatchObject({
      targets: { hospitals: 0, pharmacies: 0, total: 0 },
      blankRate: null,
    });
    expect((await get(`/api/reports/coverage?repId=${ids.rep1}`, t.rep2)).status).toBe(403);
  });
});

describe("?format=csv", () => {
  const text = (bytes: Buffer) => bytes.subarray(3).toString("utf8");

  it("writes the SFE report as UTF-8 CSV with a BOM, a header row and RFC 4180 quoting", async () => {
    const res = await server.raw("/api/reports/sfe?month=2026-03&format=csv", t.admin);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe("text/csv; charset=utf-8");
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text(res.bytes).split("\r\n");
    expect(lines[0]).toBe(
      "month,repId,name,fieldDays,calls,inPersonCalls,callsPerFieldDay,productMessagesPerCall,planAttainment," +
        "frequencyAttainmentA,frequencyAttainmentB,frequencyAttainmentC,coverageA,coverageB,coverageC",
    );
    expect(lines[1]).toBe(`2026-03,${ids.rep3},"张, 伟",1,1,1,1,0,,,0,,,1,`);
    expect(lines[3]).toBe(`2026-03,${ids.rep1},王小明,3,8,7,2.33,1.13,0.6667,1,0.5,0,1,0.5,1`);
    expect(lines[4]).toBe("2026-03,,team,6,12,11,1.83,1,0.6667,0.5,0.3333,0,1,0.6667,1");
    expect(lines[5]).toBe("");
    expect(lines).toHaveLength(6);
  });

  it("writes the coverage report with quotes doubled inside a quoted name", async () => {
    const res = await server.raw("/api/reports/coverage?format=csv", t.admin);
    const lines = text(res.bytes).split("\r\n");
    expect(lines[0]).toBe(
      "productId,name,targetHospitals,targetPharmacies,targets,listed,blank,blankRate,reasons",
    );
    expect(lines[1]).toBe(`${ids.P1},代文,2,2,4,1,3,0.75,价格 (2); 竞品: 厂家X (1)`);
    expect(lines[2]).toBe(`${ids.P2},"络活喜, ""片""",2,2,4,0,4,1,— (3); 药事会未开 (1)`);
  });
});
