import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { customers, holidays, importBatches, purchases, visits } from "../../src/db/schema";
import { createLogger } from "../../src/lib/log";
import { renderChat } from "../../src/notify/templates";
import type { JobDefinition } from "../../src/scheduler/job";
import { churnAlertsJob } from "../../src/scheduler/jobs/churn-alerts";
import { createJobRunner } from "../../src/scheduler/runner";
import { brief, D, type JobWorld, jobWorld } from "./world";

const at = "2026-01-01T00:00:00.000Z";

let world: JobWorld | null = null;
const open = async (start?: string) => {
  world = await jobWorld(start);
  return world;
};
afterEach(async () => {
  await world?.close();
  world = null;
});

const at10 = (date: string) => Date.parse(`${date}T02:00:00Z`); // 10:00 in Shanghai
const rowsOf = async (w: JobWorld, template: string) =>
  (await w.rows()).filter((r) => r.template === template);
const itemsOf = (data: Record<string, unknown>) => data.items as { customerId: string }[];

describe("daily-plan and the working-day calendar", () => {
  it.each([
    ["2026-09-20", "a 调休 Sunday before National Day", true],
    ["2026-10-10", "a 调休 Saturday after National Day", true],
    ["2026-10-08", "the Thursday after the National Day week", true],
    ["2026-09-19", "an ordinary Saturday", false],
    ["2026-09-25", "中秋 (a Friday)", false],
    ["2026-10-07", "the last day of the National Day week (a Wednesday)", false],
    ["2026-01-04", "the 调休 Sunday after New Year", true],
    ["2026-02-23", "the last Monday of the Spring Festival holiday", false],
  ])("on %s (%s) the cron run plans: %s", async (date, _what, works) => {
    const w = await open(`${date}T00:00:00Z`);
    const r = await w.jobs.run("daily-plan", date, "", "cron");
    if (works) {
      expect(r.skipped).toBeUndefined();
      expect(r.queued).toBe(3);
    } else {
      expect(r).toMatchObject({ skipped: "day_off", queued: 0 });
      expect(await w.rows()).toEqual([]);
    }
  });

  it("follows an admin's entries for a year the statutory data does not cover (2027)", async () => {
    const w = await open("2027-02-08T00:00:00Z");
    await w.database.db.insert(holidays).values([
      { date: "2027-02-08", kind: "off", name: "春节", createdAt: at, updatedAt: at },
      { date: "2027-02-20", kind: "work", name: "春节调休", createdAt: at, updatedAt: at },
    ]);
    expect(await w.jobs.run("daily-plan", "2027-02-08", "", "cron")).toMatchObject({
      skipped: "day_off",
      queued: 0,
    });
    w.clock.t = Date.parse("2027-02-20T00:00:00Z");
    expect(await w.jobs.run("daily-plan", "2027-02-20", "", "cron")).toMatchObject({ queued: 3 });
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual([
      "daily-plan:u-rep1:2027-02-20:console:u-rep1",
      "daily-plan:u-rep2:2027-02-20:console:u-rep2",
      "team-plan:u-mgr:2027-02-20:console:u-mgr",
    ]);
  });

  it("does not raise churn alerts on a holiday when cron wakes the job", async () => {
    const w = await open("2026-10-01T01:00:00Z");
    expect(await w.jobs.run("churn-alerts", "2026-10-01", "", "cron")).toMatchObject({
      skipped: "day_off",
      queued: 0,
    });
    expect(await w.rows()).toEqual([]);
  });
});

describe("follow-up-reminders", () => {
  it("reminds on the due day, not before, and not again in the same slot", async () => {
    const w = await open("2026-09-19T00:00:00Z");
    await w.jobs.run("follow-up-reminders", "2026-09-19", "am", "cron");
    const early = (await rowsOf(w, "follow_up_reminder")).find((r) => r.recipientId === "u-rep1")!;
    expect(itemsOf(early.data).map((i) => i.customerId)).not.toContain("c-d3"); // due 09-20
    w.clock.t = Date.parse("2026-09-20T00:00:00Z");
    await w.jobs.run("follow-up-reminders", "2026-09-20", "am", "cron");
    const again = await w.jobs.run("follow-up-reminders", "2026-09-20", "am", "cron");
    expect(again).toMatchObject({ queued: 0, done: 0 });
    const onDay = (await rowsOf(w, "follow_up_reminder")).filter(
      (r) => r.recipientId === "u-rep1" && r.data.date === "2026-09-20",
    );
    expect(onDay).toHaveLength(1);
    expect(itemsOf(onDay[0].data)).toContainEqual(
      expect.objectContaining({ customerId: "c-d3", dueOn: "2026-09-20", overdueDays: 0 }),
    );
    // 协和's follow-up was done: never reminded.
    expect(itemsOf(onDay[0].data).map((i) => i.customerId)).not.toContain("c-h1");
  });

  it("does not remind of the follow-up promised in a visit that was voided", async () => {
    const w = await open();
    await w.database.db.insert(visits).values({
      id: "v-void",
      repId: "u-rep1",
      customerId: "c-p3",
      at: "2026-09-10T04:00:00.000Z",
      date: "2026-09-10",
      timeKnown: false,
      rating: 5,
      followUpOn: D,
      nextStep: "录错了",
      status: "void",
      createdAt: at,
      updatedAt: at,
    });
    await w.jobs.run("follow-up-reminders", D, "am", "cron");
    await w.jobs.run("daily-plan", D, "", "cron");
    const [mine] = (await rowsOf(w, "follow_up_reminder")).filter((r) => r.recipientId === "u-rep1");
    expect.soft(itemsOf(mine.data).map((i) => i.customerId)).toEqual(["c-d2", "c-d1"]);
    // Nor does the daily plan put 老百姓 first as a follow-up: it is there as an overdue account only.
    const plan = (await rowsOf(w, "daily_plan")).find((r) => r.recipientId === "u-rep1")!;
    const item = (plan.data.items as { customerId: string; reasons: string[] }[]).find(
      (i) => i.customerId === "c-p3",
    );
    expect.soft(item?.reasons).toEqual(["overdue"]);
  });

  it("leaves out the follow-ups of an erased customer, as the daily plan does", async () => {
    const w = await open();
    await w.services.privacy.eraseCustomer("c-d2", { id: "u-admin", role: "admin", via: "api" });
    await w.jobs.run("daily-plan", D, "", "manual");
    await w.jobs.run("follow-up-reminders", D, "am", "cron");
    const plan = (await rowsOf(w, "daily_plan")).find((r) => r.recipientId === "u-rep1")!;
    expect(itemsOf(plan.data).map((i) => i.customerId)).not.toContain("c-d2");
    const [mine] = (await rowsOf(w, "follow_up_reminder")).filter((r) => r.recipientId === "u-rep1");
    expect(itemsOf(mine.data).map((i) => i.customerId)).toEqual(["c-d1"]);
  });

  it("leaves out the follow-ups of a deactivated customer", async () => {
    const w = await open();
    await w.database.db.update(customers).set({ active: false }).where(eq(customers.id, "c-d2"));
    await w.jobs.run("follow-up-reminders", D, "am", "cron");
    const [mine] = (await rowsOf(w, "follow_up_reminder")).filter((r) => r.recipientId === "u-rep1");
    expect(itemsOf(mine.data).map((i) => i.customerId)).toEqual(["c-d1"]);
  });
});

describe("churn-alerts", () => {
  /** 康泰药房 buys every 10 days through 华润 (a distributor) until 31 July: flow data only. */
  const flowFed = async (w: JobWorld, asOf: string) => {
    const { db } = w.database;
    await db.insert(customers).values([
      {
        id: "c-dist",
        code: "DIST",
        kind: "distributor",
        name: "华润医药",
        ownerId: "u-rep1",
        createdAt: at,
        updatedAt: at,
      },
      {
        id: "c-flow",
        code: "FLOW",
        kind: "pharmacy",
        name: "康泰药房",
        ownerId: "u-rep1",
        createdAt: at,
        updatedAt: at,
      },
    ]);
    await db.insert(purchases).values(
      ["2026-07-01", "2026-07-11", "2026-07-21", "2026-07-31"].map((date, i) => ({
        id: `pf-${i}`,
        sellerId: "c-dist",
        buyerId: "c-flow",
        productId: "p-gml",
        date,
        quantity: 5,
        amountCny: 250,
        source: "flow" as const,
        naturalKey: `pf-${i}`,
        createdAt: at,
        updatedAt: at,
      })),
    );
    await flowBatch(w, "b-1", asOf);
  };
  const flowBatch = (w: JobWorld, id: string, asOf: string) =>
    w.database.db.insert(importBatches).values({
      id,
      kind: "purchases",
      source: "flow",
      sellerId: "c-dist",
      asOf,
      by: "u-admin",
      createdAt: at,
    });

  it("counts a flow-fed customer's silence only up to the flow data's as-of date", async () => {
    const w = await open();
    await flowFed(w, "2026-08-10");
    await w.jobs.run("churn-alerts", D, "", "cron");
    // 10 days of silence up to 10 August: not overdue, although 15 September is 46 days on.
    expect((await rowsOf(w, "churn_alert")).filter((r) => r.data.customerId === "c-flow")).toEqual([]);

    await flowBatch(w, "b-2", "2026-09-10"); // September's file: nothing bought since 31 July
    w.clock.t = at10("2026-09-16");
    await w.jobs.run("churn-alerts", "2026-09-16", "", "cron");
    const told = (await rowsOf(w, "churn_alert")).filter((r) => r.data.customerId === "c-flow");
    expect(told.map(brief).map((b) => b.key)).toEqual([
      "churn-overdue:c-flow:2026-09-16:upgraded:console:u-mgr",
      "churn-overdue:c-flow:2026-09-16:upgraded:console:u-rep1",
    ]);
    expect(told[0].data).toMatchObject({
      lastPurchase: "2026-07-31",
      cycleDays: 10,
      silenceDays: 41,
      asOf: "2026-09-10",
    });
  });

  it("closes the episode when the customer buys again, and tells a later silence as a new episode", async () => {
    const w = await open();
    await w.jobs.run("churn-alerts", D, "", "cron");
    await w.database.db.insert(purchases).values({
      id: "pu-again",
      sellerId: null,
      buyerId: "c-p1",
      productId: "p-gml",
      date: "2026-09-16",
      quantity: 10,
      amountCny: 500,
      source: "erp",
      naturalKey: "pu-again",
      createdAt: at,
      updatedAt: at,
    });
    w.clock.t = at10("2026-09-16");
    const closing = await w.jobs.run("churn-alerts", "2026-09-16", "", "cron");
    expect(closing.counts).toMatchObject({ closed: 1, opened: 0 });
    expect(closing.queued).toBe(0);
    // 9 October: 23 days since 16 September, more than 1.5 × the 10-day cycle.
    w.clock.t = at10("2026-10-09");
    const reopened = await w.jobs.run("churn-alerts", "2026-10-09", "", "cron");
    expect(reopened.error).toBeUndefined();
    const keys = (await rowsOf(w, "churn_alert"))
      .filter((r) => r.data.customerId === "c-p1")
      .map((r) => r.dedupeKey);
    expect(keys).toEqual([
      "churn-overdue:c-p1:2026-09-15:overdue:console:u-rep1",
      "churn-overdue:c-p1:2026-10-09:overdue:console:u-rep1",
    ]);
  });
});

describe("churn-alerts after a crash", () => {
  it("tells everyone once when a run that fell over after the first recipient runs again", async () => {
    const w = await open();
    let n = 0;
    const failing: JobDefinition = {
      ...churnAlertsJob,
      itemFor: async (ctx, id) => {
        if (++n > 1) throw new Error("the process fell over");
        return churnAlertsJob.itemFor(ctx, id);
      },
    };
    const broken = await createJobRunner(w.services, [failing], createLogger("silent")).run(
      "churn-alerts",
      D,
      "",
      "cron",
    );
    expect(broken).toMatchObject({ error: "the process fell over", done: 1 });
    const resumed = await w.jobs.run("churn-alerts", D, "", "cron");
    expect(resumed).toMatchObject({ alreadyDone: 1, done: 1, counts: { opened: 0, upgraded: 0 } });
    expect((await rowsOf(w, "churn_alert")).map((r) => r.dedupeKey)).toEqual([
      "churn-overdue:c-p1:2026-09-15:overdue:console:u-rep1",
      "churn-overdue:c-p2:2026-09-15:upgraded:console:u-mgr",
      "churn-overdue:c-p2:2026-09-15:upgraded:console:u-rep1",
    ]);
  });
});

describe("personal data in the reps' chat messages", () => {
  it("shows customers by name only: no phone number or email address in any job message, in either language", async () => {
    const w = await open("2026-09-14T08:00:00Z");
    await w.jobs.run("care-preview", "2026-09-14", "", "cron");
    w.clock.t = at10(D);
    for (const [job, slot] of [
      ["daily-plan", ""],
      ["follow-up-reminders", "am"],
      ["churn-alerts", ""],
    ] as const)
      await w.jobs.run(job, D, slot, "cron");
    await w.jobs.run("manager-digest", D, "", "manual");
    const chat = (await w.rows()).filter((r) => r.recipientType === "user");
    expect(new Set(chat.map((r) => r.template))).toEqual(
      new Set([
        "care_preview",
        "daily_plan",
        "team_plan",
        "follow_up_reminder",
        "churn_alert",
        "manager_digest",
      ]),
    );
    for (const r of chat) {
      const stored = JSON.stringify(r.data);
      for (const locale of ["zh-CN", "en"]) {
        const shown = renderChat(r.template, locale, r.data);
        const text = `${shown.text} ${JSON.stringify(shown.choices ?? [])} ${stored}`;
        expect(text, r.dedupeKey).not.toMatch(/1[3-9]\d{9}/);
        expect(text, r.dedupeKey).not.toMatch(/[^\s@"]+@[^\s@"]+\.[a-z]{2,}/i);
      }
    }
  });

  it("still sends a rep's daily plan queued before one of its customers was erased", async () => {
    const w = await open("2026-09-14T23:30:00Z"); // 07:30
    await w.jobs.run("daily-plan", D, "", "cron");
    await w.services.privacy.eraseCustomer("c-p3", { id: "u-admin", role: "admin", via: "api" });
    await w.composition.outbox.drain();
    const plan = (await rowsOf(w, "daily_plan")).find((r) => r.recipientId === "u-rep1")!;
    expect.soft(plan.status).toBe("sent");
    expect
      .soft((itemsOf(plan.data) ?? []).map((i) => i.customerId))
      .toEqual(expect.arrayContaining(["c-d1", "c-d2", "c-h1", "c-p1", "c-p2"]));
  });
});
