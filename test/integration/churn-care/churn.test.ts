import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alerts, auditLog } from "../../../src/db/schema";
import { purchaseEvents } from "../../../src/domain/churn/churn";
import { addDays } from "../../../src/domain/dates";
import { churnNumbers, createChurnService } from "../../../src/services/churn";
import { loadChurnSettings } from "../../../src/services/churn-data";
import { createUser } from "../../helpers/app";
import { type ChurnServer, churnFixtures, startChurnServer } from "../../helpers/churn-app";

const D = "2026-06-01";
let clock = new Date(`${D}T02:00:00Z`);
let server: ChurnServer;
let fx: ReturnType<typeof churnFixtures>;
let rep: { id: string; token: string };
let manager: { id: string; token: string };

const churn = () => createChurnService(server.services);
const openAlertsOf = (customerId: string) =>
  server.database.db.select().from(alerts).where(eq(alerts.customerId, customerId));

beforeEach(async () => {
  clock = new Date(`${D}T02:00:00Z`);
  server = await startChurnServer(() => clock);
  manager = await createUser(server.database, { name: "经理", role: "manager" });
  rep = await createUser(server.database, { name: "代表", role: "rep", managerId: manager.id });
  fx = churnFixtures(server.database);
});
afterEach(() => server.close());

const pharmacy = (name: string, fields = {}) =>
  fx.customer({ kind: "pharmacy", name, ownerId: rep.id, ...fields });

describe("churn episodes", () => {
  it("is not overdue at exactly cycle × 1.5 and is one day later", async () => {
    const exact = await pharmacy("正好药店");
    const late = await pharmacy("晚一天药店");
    await fx.purchase(exact, addDays(D, -45), 10);
    await fx.purchase(late, addDays(D, -46), 10);
    const run = await churn().evaluate(D);
    expect(run.opened.map((a) => a.customerId)).toEqual([late]);
    const [a] = run.opened;
    expect(a).toMatchObject({ type: "churn_overdue", severity: "warn", level: "overdue", repId: rep.id });
    expect(a.data).toMatchObject({
      lastPurchase: addDays(D, -46),
      cycleDays: 30,
      silenceDays: 46,
      asOf: D,
      level: "overdue",
      previous90Cny: 0,
      last90Cny: 100,
    });
    expect(run.recipients.get(a.id)).toEqual([{ userId: rep.id, reason: "owner" }]);
    expect(await openAlertsOf(exact)).toHaveLength(0);
  });

  it("upgrades the same episode past × 2.5 without opening a second one", async () => {
    const c = await pharmacy("安静药店");
    await fx.purchase(c, addDays(D, -50), 10);
    const first = await churn().evaluate(D);
    expect(first.opened).toHaveLength(1);
    const later = addDays(D, 26); // silence 76 > 75
    const second = await churn().evaluate(later);
    expect(second.opened).toHaveLength(0);
    expect(second.upgraded).toHaveLength(1);
    expect(second.upgraded[0]).toMatchObject({
      id: first.opened[0].id,
      severity: "critical",
      level: "upgraded",
    });
    expect(second.recipients.get(first.opened[0].id)).toEqual([
      { userId: rep.id, reason: "owner" },
      { userId: manager.id, reason: "manager" },
    ]);
    const rows = await openAlertsOf(c);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ level: "upgraded", severity: "critical", closedAt: null });
    const third = await churn().evaluate(addDays(later, 1));
    expect([third.opened.length, third.upgraded.length, third.closed]).toEqual([0, 0, 0]);
  });

  it("reads a long history as the rules over every line would: last events, returns netted out, old days ignored", async () => {
    const c = await pharmacy("老客户药店");
    // Three years every 40 days, then the last half year every 15 days: the cycle is the
    // median of the last 6 intervals (15), not of all 27 (40). A same-day full return after
    // the last purchase is no event, and its amounts net to 0 in the last decline window.
    const days: [number, number, number][] = [];
    for (let k = 0; k <= 20; k++) days.push([-1200 + 40 * k, 10, 100 + k]);
    for (let k = 0; k <= 6; k++) days.push([-185 + 15 * k, 10, 200 + k]);
    days.push([-30, 5, 80], [-30, -5, -80]);
    for (const [offset, quantity, amount] of days) await fx.purchase(c, addDays(D, offset), quantity, amount);
    const lines = [...new Set(days.map(([o]) => addDays(D, o)))].sort().map((date) => ({
      date,
      quantity: days.filter(([o]) => addDays(D, o) === date).reduce((n, [, q]) => n + q, 0),
      amountCny: days.filter(([o]) => addDays(D, o) === date).reduce((n, [, , a]) => n + a, 0),
    }));
    const settings = await loadChurnSettings(server.services.settings);
    const expected = churnNumbers(
      {
        id: c,
        kind: "pharmacy",
        ownerId: rep.id,
        ownerManagerId: manager.id,
        name: "老客户药店",
        events: purchaseEvents(lines),
        asOf: D,
        lines,
      },
      D,
      settings,
    );
    const { customers } = await churn().currentPicture({ ownerIds: [rep.id], date: D });
    expect(expected).toMatchObject({
      cycleDays: 15,
      silenceDays: 95,
      level: "upgraded",
      decline: true,
      last90Cny: 0,
    });
    expect(customers.find((r) => r.customerId === c)).toMatchObject({ ...expected, alertIds: [] });
  });

  it("closes the episode when a purchase arrives", async () => {
    const c = await pharmacy("回来药店");
    await fx.purchase(c, addDays(D, -60), 10);
    const opened = await churn().evaluate(D);
    expect(opened.opened).toHaveLength(1);
    await fx.purchase(c, D, 5);
    const run = await churn().evaluate(D);
    expect(run.closed).toBe(1);
    const [row] = await openAlertsOf(c);
    expect(row.closedAt).not.toBeNull();
    expect(row.data.closedBy).toBe("purchase");
  });

  it("counts silence only up to a flow import's as-of date", async () => {
    const distributor = await fx.customer({ kind: "distributor", name: "九州通", ownerId: rep.id });
    const flowFed = await pharmacy("流向药店");
    const erpFed = await pharmacy("直供药店");
    await fx.purchase(distributor, addDays(D, -5), 100); // the distributor itself buys from the company
    await fx.purchase(flowFed, addDays(D, -60), 10, 100, distributor);
    await fx.purchase(erpFed, addDays(D, -60), 10);
    await fx.flowBatch(distributor, addDays(D, -40));
    const run = await churn().evaluate(D);
    expect(run.opened.map((a) => a.customerId)).toEqual([erpFed]);
    const picture = await churn().currentPicture({ ownerIds: null });
    expect(picture.customers.map((c) => c.customerId)).toEqual([erpFed]);
    // Once the flow file covers up to today, the same history is overdue.
    await fx.flowBatch(distributor, D);
    const later = await churn().evaluate(D);
    expect(later.opened.map((a) => a.customerId)).toEqual([flowFed]);
    expect(later.opened[0].data).toMatchObject({ asOf: D, silenceDays: 60 });
  });

  it("alerts a decline below 60 % of the previous window but not at exactly 60 %", async () => {
    const sixty = await pharmacy("六成药店");
    const below = await pharmacy("五成九药店");
    for (const [c, last] of [
      [sixty, 600],
      [below, 590],
    ] as const) {
      await fx.purchase(c, addDays(D, -150), 10, 1000);
      await fx.purchase(c, addDays(D, -10), 10, last);
    }
    const run = await churn().evaluate(D);
    const declines = run.opened.filter((a) => a.type === "churn_decline");
    expect(declines.map((a) => a.customerId)).toEqual([below]);
    expect(declines[0].data).toMatchObject({ previous90Cny: 1000, last90Cny: 590 });
  });

  it("sums the decline windows to the fen, each window's first day exclusive and last day inclusive", async () => {
    const c = await pharmacy("边界药店");
    await fx.purchase(c, addDays(D, -180), 10, 5000); // the previous window's exclusive start
    await fx.purchase(c, addDays(D, -179), 10, 100.1);
    await fx.purchase(c, addDays(D, -90), 10, 200.2); // the previous window's last day
    await fx.purchase(c, addDays(D, -89), 10, 0.1);
    await fx.purchase(c, addDays(D, -89), -5, -0.05); // a return the same day nets out
    await fx.purchase(c, D, 10, 0.2); // the as-of date is the last window's last day
    const run = await churn().evaluate(D);
    const [decline] = run.opened.filter((a) => a.type === "churn_decline");
    expect(decline?.customerId).toBe(c);
    expect(decline.data).toMatchObject({ previous90Cny: 300.3, last90Cny: 0.25 });
  });

  it("changes nothing when evaluated twice on the same date", async () => {
    const a = await pharmacy("甲");
    const b = await pharmacy("乙");
    await fx.purchase(a, addDays(D, -100), 10);
    await fx.purchase(b, addDays(D, -150), 10, 1000);
    await fx.purchase(b, addDays(D, -20), 10, 100);
    const first = await churn().evaluate(D);
    expect(first.opened.length).toBeGreaterThan(0);
    const alertsBefore = await server.database.db.select().from(alerts);
    const auditBefore = await server.database.db.select().from(auditLog);
    const second = await churn().evaluate(D);
    expect(second).toMatchObject({ opened: [], upgraded: [], closed: 0 });
    expect(await server.database.db.select().from(alerts)).toEqual(alertsBefore);
    expect(await server.database.db.select().from(auditLog)).toHaveLength(auditBefore.length);
    expect(auditBefore.every((r) => r.actorId === null && r.via === "system")).toBe(true);
  });
});

describe("GET /api/alerts and the churn report", () => {
  it("filters alerts and scopes them to the rep, the manager's team and admin", async () => {
    const admin = await createUser(server.database, { name: "管理员", role: "admin" });
    const otherManager = await createUser(server.database, { name: "别的经理", role: "manager" });
    const otherRep = await createUser(server.database, {
      name: "别的代表",
      role: "rep",
      managerId: otherManager.id,
    });
    const mine = await pharmacy("我的药店");
    const theirs = await fx.customer({ kind: "hospital", name: "别人的医院", ownerId: otherRep.id });
    await fx.purchase(mine, addDays(D, -50), 10);
    await fx.purchase(theirs, addDays(D, -200), 10);
    await churn().evaluate(D);

    const asRep = await server.request("GET", "/api/alerts", rep.token);
    expect(asRep.status).toBe(200);
    expect(asRep.body.items.map((a: { customerId: string }) => a.customerId)).toEqual([mine]);
    expect(asRep.body.items[0].openedAt).toMatch(/\+08:00$/);
    const asManager = await server.request("GET", "/api/alerts", manager.token);
    expect(asManager.body.items.map((a: { customerId: string }) => a.customerId)).toEqual([mine]);
    const asAdmin = await server.request("GET", "/api/alerts?type=churn_overdue", admin.token);
    expect(asAdmin.body.items).toHaveLength(2);

    const critical = await server.request("GET", "/api/alerts?severity=critical", admin.token);
    expect(critical.body.items.map((a: { customerId: string }) => a.customerId)).toEqual([theirs]);
    const byCustomer = await server.request(
      "GET",
      `/api/alerts?customerId=${theirs}&status=open`,
      admin.token,
    );
    expect(byCustomer.body.items).toHaveLength(1);
    expect((await server.request("GET", "/api/alerts?status=closed", admin.token)).body.items).toHaveLength(
      0,
    );
    expect(
      (await server.request("GET", `/api/alerts?from=${addDays(D, 1)}`, admin.token)).body.items,
    ).toHaveLength(0);
    expect(
      (await server.request("GET", `/api/alerts?from=${D}&to=${D}`, admin.token)).body.items,
    ).toHaveLength(2);
    expect((await server.request("GET", "/api/alerts?status=maybe", admin.token)).status).toBe(400);

    const theirId = critical.body.items[0].id;
    expect((await server.request("GET", `/api/alerts/${theirId}`, rep.token)).status).toBe(403);
    expect((await server.request("GET", `/api/alerts/${theirId}`, otherRep.token)).body.customerId).toBe(
      theirs,
    );
    expect((await server.request("GET", "/api/alerts/nope", admin.token)).status).toBe(404);
  });

  it("lists a customer overdue now even when no alert was opened, in JSON and CSV", async () => {
    const quiet = await pharmacy("沉默药店");
    const fine = await pharmacy("正常药店");
    await fx.purchase(quiet, addDays(D, -80), 10);
    await fx.purchase(fine, addDays(D, -3), 10);
    const res = await server.request("GET", "/api/reports/churn", rep.token);
    expect(res.status).toBe(200);
    expect(res.body.date).toBe(D);
    expect(res.body.customers).toEqual([
      expect.objectContaining({ customerId: quiet, level: "upgraded", silenceDays: 80, alertIds: [] }),
    ]);
    const csv = await server.raw("/api/reports/churn?format=csv", rep.token);
    expect(csv.contentType).toContain("text/csv");
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.bytes.toString("utf8").slice(1).split("\r\n");
    expect(lines[0]).toMatch(/^customerId,name,kind,ownerId,level/);
    expect(lines[1]).toContain("沉默药店");
    const other = await createUser(server.database, { name: "外人", role: "rep" });
    expect((await server.request("GET", "/api/reports/churn", other.token)).body.customers).toEqual([]);
    expect((await server.request("GET", `/api/reports/churn?repId=${rep.id}`, other.token)).status).toBe(403);
  });
});
