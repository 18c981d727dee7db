/**
 * The daily plan (DOMAIN.md §3) for the seeded demo reps, through the real services and
 * database. The ordering rule verified here is the one of src/domain/plans/daily-plan.ts:
 *
 *   candidates are ranked by
 *     1. a manager co-visit booked for the day,
 *     2. then a follow-up due (today or late),
 *     3. then overdue (never visited, or not for longer than 30 / monthly target days),
 *     4. then class A, B, C, unclassified,
 *     5. then the oldest last visit (never visited first),
 *     6. then the customer id;
 *   the first `plan.dailyCap` of that ranking make the plan, and the plan lists the AM
 *   half-day, then the PM half-day, each in that rank order.
 *
 * So an A-class overdue customer is only left out when the day is already full of
 * co-visits, follow-ups and A-class overdue customers.
 */
import { and, eq, lte, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { holidays, users, visits } from "../../src/db/schema";
import { seedDemo } from "../../src/db/seed";
import { isoWeekday } from "../../src/domain/dates";
import type { PlanItem } from "../../src/domain/plans/daily-plan";
import { createServices, type Services } from "../../src/services";
import type { DailyPlanView } from "../../src/services/plans";
import { tempDatabase } from "../helpers/app";

const REF_DATE = "2026-11-22";
const WEEK = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"];
// 08:30 in Shanghai on the Monday: the plan reads no clock, but the services get a fixed one.
const NOW = new Date("2026-11-23T00:30:00Z");

type Env = Awaited<ReturnType<typeof tempDatabase>>;

const seeded = async () => {
  const env = await tempDatabase();
  await seedDemo(env.database, { refDate: REF_DATE });
  const services = createServices(env.database, loadConfig({ NODE_ENV: "test" }, env.dir), {
    now: () => NOW,
  });
  return { env, services };
};

let env: Env;
let services: Services;
let repIds: string[];
let adminId: string;
/** Each customer's last logged visit up to the end of November (what the planner reads). */
let lastVisit: Map<string, string>;

beforeAll(async () => {
  ({ env, services } = await seeded());
  const db = env.database.db;
  const team = await db.select({ id: users.id, role: users.role }).from(users).orderBy(users.id);
  repIds = team.filter((u) => u.role === "rep").map((u) => u.id);
  adminId = team.find((u) => u.role === "admin")!.id;
  const last = await db
    .select({ customerId: visits.customerId, last: max(visits.date) })
    .from(visits)
    .where(and(eq(visits.status, "logged"), lte(visits.date, "2026-11-30")))
    .groupBy(visits.customerId);
  lastVisit = new Map(last.map((r) => [r.customerId, r.last ?? ""]));
}, 60_000);
afterAll(() => env.cleanup());

const weekPlans = async (s: Services = services) => {
  const out: DailyPlanView[] = [];
  for (const rep of repIds) for (const date of WEEK) out.push(await s.plans.daily(rep, date));
  return out;
};

const setCap = (cap: number) => services.settings.set("plan.dailyCap", cap, adminId);

// The rank of the header comment, as a tuple compared left to right.
const CLASS_RANK: Record<string, number> = { A: 0, B: 1, C: 2 };
const rankOf = (i: PlanItem): (number | string)[] => [
  i.reasons.includes("co_visit") ? 0 : i.reasons.includes("follow_up") ? 1 : 2,
  i.reasons.includes("overdue") ? 0 : 1,
  CLASS_RANK[i.className ?? ""] ?? 3,
  lastVisit.get(i.customerId) ?? "",
  i.customerId,
];
const compareRank = (a: PlanItem, b: PlanItem): number => {
  const [x, y] = [rankOf(a), rankOf(b)];
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
  return 0;
};
const isAOverdue = (i: PlanItem) => i.className === "A" && i.reasons.includes("overdue");
const isBooked = (i: PlanItem) => i.reasons.includes("co_visit") || i.reasons.includes("follow_up");
const label = (p: DailyPlanView) => `rep ${p.repId} on ${p.date}`;

describe("the daily plan of the seeded reps", () => {
  let plans: DailyPlanView[];

  beforeAll(async () => {
    plans = await weekPlans();
  });

  it("covers eight reps over the working week of 2026-11-23", () => {
    expect(repIds).toHaveLength(8);
    expect(plans).toHaveLength(40);
    for (const p of plans) {
      expect(p.workingDay, label(p)).toBe(true);
      expect(p.items.length, label(p)).toBeGreaterThan(0);
    }
  });

  it("is the same read for all reps at once (the job's page read) as read rep by rep", async () => {
    for (const date of WEEK) {
      const together = await services.plans.dailyMany(repIds, date);
      expect([...together.keys()]).toEqual(repIds);
      for (const rep of repIds)
        expect(together.get(rep), `${rep} ${date}`).toEqual(
          plans.find((p) => p.repId === rep && p.date === date),
        );
    }
  });

  it("is the same on a second run, and on a second database seeded the same way", async () => {
    expect(await weekPlans()).toEqual(plans);
    const other = await seeded();
    try {
      const again = await weekPlans(other.services);
      const itemsOf = (ps: DailyPlanView[]) =>
        ps.map((p) => ({ date: p.date, repId: p.repId, items: p.items }));
      expect(itemsOf(again)).toEqual(itemsOf(plans));
    } finally {
      other.env.cleanup();
    }
  }, 60_000);

  it("keeps every day to the default cap of 10 and lists no customer twice", () => {
    for (const p of plans) {
      expect(p.items.length, label(p)).toBeLessThanOrEqual(10);
      const ids = p.items.map((i) => i.customerId);
      expect(new Set(ids).size, label(p)).toBe(ids.length);
    }
    // The seeded reps have more due customers than a day holds, so the cap is what limits them.
    expect(plans.filter((p) => p.items.length === 10).length).toBeGreaterThan(30);
  });

  it("lists the morning first, each half-day in rank order", () => {
    for (const p of plans) {
      const slots = p.items.map((i) => i.slot);
      expect(slots, label(p)).toEqual([...slots].sort());
      for (const slot of ["am", "pm"] as const) {
        const half = p.items.filter((i) => i.slot === slot);
        expect(half, `${label(p)} ${slot}`).toEqual([...half].sort(compareRank));
      }
    }
  });

  it("fills the cap by rank: nobody left out outranks anyone planned, so A-class overdue customers come first", async () => {
    await setCap(30);
    const uncapped = await weekPlans();
    await setCap(10);
    let dropped = 0;
    let droppedAOverdue = 0;
    uncapped.forEach((all, n) => {
      const capped = plans[n];
      expect(all.date).toBe(capped.date);
      const ranked = [...all.items].sort(compareRank);
      // The capped plan is exactly the top of the full ranking.
      expect(new Set(capped.items.map((i) => i.customerId)), label(capped)).toEqual(
        new Set(ranked.slice(0, capped.items.length).map((i) => i.customerId)),
      );
      const planned = new Set(capped.items.map((i) => i.customerId));
      const left = ranked.filter((i) => !planned.has(i.customerId));
      dropped += left.length;
      for (const l of left.filter(isAOverdue)) {
        droppedAOverdue += 1;
        for (const i of capped.items)
          expect(
            isBooked(i) || isAOverdue(i),
            `${label(capped)}: ${i.customerId} planned over ${l.customerId}`,
          ).toBe(true);
      }
      // In the full ranking, every A-class overdue customer comes before any other due customer.
      const unbooked = ranked.filter((i) => !isBooked(i));
      const firstOther = unbooked.findIndex((i) => !isAOverdue(i));
      if (firstOther >= 0) expect(unbooked.slice(firstOther).some(isAOverdue), label(all)).toBe(false);
    });
    // The seeded world exercises the rule: customers are left out, A-class overdue ones among them.
    expect(dropped).toBeGreaterThan(0);
    expect(droppedAOverdue).toBeGreaterThan(0);
    expect(plans.flatMap((p) => p.items).filter(isAOverdue).length).toBeGreaterThan(0);
    expect(plans.flatMap((p) => p.items).filter(isBooked).length).toBeGreaterThan(0);
  }, 60_000);

  it("follows the plan.dailyCap setting", async () => {
    await setCap(6);
    const small = await weekPlans();
    await setCap(10);
    small.forEach((p, n) => {
      expect(p.items.length, label(p)).toBe(Math.min(6, plans[n].items.length));
      const top = [...plans[n].items].sort(compareRank).slice(0, p.items.length);
      expect(new Set(p.items.map((i) => i.customerId)), label(p)).toEqual(
        new Set(top.map((i) => i.customerId)),
      );
    });
  });
});

describe("days off and make-up days", () => {
  const rep = () => repIds[0];

  it.each([
    ["a Saturday", "2026-11-28"],
    ["a Sunday", "2026-11-29"],
    ["the National Day holiday (a Thursday)", "2026-10-01"],
  ])("gives an empty plan on %s (%s)", async (_what, date) => {
    for (const id of repIds) {
      const plan = await services.plans.daily(id, date);
      expect(plan).toMatchObject({ date, workingDay: false, items: [], reason: "day_off" });
    }
  });

  it("plans an admin-entered make-up Saturday, and not before it is entered", async () => {
    const saturday = "2026-12-05";
    expect(isoWeekday(saturday)).toBe(6);
    expect(await services.plans.daily(rep(), saturday)).toMatchObject({ workingDay: false, items: [] });
    const at = NOW.toISOString();
    await env.database.write((db) =>
      db
        .insert(holidays)
        .values({ date: saturday, kind: "work", name: "调休上班", createdAt: at, updatedAt: at }),
    );
    for (const id of repIds) {
      const plan = await services.plans.daily(id, saturday);
      expect(plan.workingDay).toBe(true);
      expect(plan.reason).toBeUndefined();
      expect(plan.items.length).toBeGreaterThan(0);
      expect(plan.items.length).toBeLessThanOrEqual(10);
      expect(new Set(plan.items.map((i) => i.customerId)).size).toBe(plan.items.length);
    }
  });

  it("plans the seeded company make-up Saturday (2026-12-26) and skips an admin-entered weekday off", async () => {
    expect(await services.plans.daily(rep(), "2026-12-26")).toMatchObject({ workingDay: true });
    expect((await services.plans.daily(rep(), "2026-12-26")).items.length).toBeGreaterThan(0);
    const monday = "2026-11-30";
    expect((await services.plans.daily(rep(), monday)).items.length).toBeGreaterThan(0);
    const at = NOW.toISOString();
    await env.database.write((db) =>
      db
        .insert(holidays)
        .values({ date: monday, kind: "off", name: "公司活动", createdAt: at, updatedAt: at }),
    );
    expect(await services.plans.daily(rep(), monday)).toMatchObject({
      workingDay: false,
      items: [],
      reason: "day_off",
    });
  });
});
