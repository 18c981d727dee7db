import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { compose } from "../../src/compose";
import { jobMarks, jobRuns } from "../../src/db/schema";
import { isProductFree } from "../../src/domain/care/eligibility";
import { createLogger } from "../../src/lib/log";
import { parseCareGreeting, renderCareEmail, renderCareSms } from "../../src/notify/customer-templates";
import { renderChat } from "../../src/notify/templates";
import { startCron } from "../../src/scheduler/cron";
import type { JobDefinition } from "../../src/scheduler/job";
import { dailyPlanJob } from "../../src/scheduler/jobs/daily-plan";
import { createJobRunner } from "../../src/scheduler/runner";
import { createUser, startTestServer, type TestServer, tempDatabase } from "../helpers/app";
import { brief, buildFixture, D, type JobWorld, jobWorld, PRODUCT_NAMES } from "./world";

const run = promisify(execFile);
const silent = createLogger("silent");

let world: JobWorld | null = null;
const open = async (start?: string) => {
  world = await jobWorld(start);
  return world;
};
afterEach(async () => {
  await world?.close();
  world = null;
});

const local = (iso: string | null) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai",
    dateStyle: "short",
    timeStyle: "short",
  }).format(new Date(iso!));

/** The daily plan's three rows for a date (two reps' plans, one team line). */
const planKeys = (date: string) => [
  `daily-plan:u-rep1:${date}:console:u-rep1`,
  `daily-plan:u-rep2:${date}:console:u-rep2`,
  `team-plan:u-mgr:${date}:console:u-mgr`,
];

describe("daily-plan", () => {
  it("gives each active rep their plan with a log button per visit and the manager one team line", async () => {
    const w = await open();
    const result = await w.jobs.run("daily-plan", D, "", "cron");
    expect(result).toMatchObject({ recipients: 4, done: 4, alreadyDone: 0, queued: 3 });
    const rows = await w.rows();
    expect(rows.map(brief)).toEqual([
      {
        key: "daily-plan:u-rep1:2026-09-15:console:u-rep1",
        to: "u-rep1",
        channel: "console",
        template: "daily_plan",
      },
      {
        key: "daily-plan:u-rep2:2026-09-15:console:u-rep2",
        to: "u-rep2",
        channel: "console",
        template: "daily_plan",
      },
      {
        key: "team-plan:u-mgr:2026-09-15:console:u-mgr",
        to: "u-mgr",
        channel: "console",
        template: "team_plan",
      },
    ]);
    const [mine, toms, team] = rows;
    // Follow-ups first, then overdue A-class accounts; each half-day in one area (东城 am, 西城 pm).
    expect(mine.data).toEqual({
      date: D,
      planIds: {},
      items: [
        { customerId: "c-d1", name: "张伟", slot: "am", reasons: ["follow_up", "overdue"], className: "A" },
        { customerId: "c-d2", name: "李娜", slot: "am", reasons: ["follow_up"], className: null },
        { customerId: "c-h1", name: "北京协和医院", slot: "am", reasons: ["due"], className: "A" },
        { customerId: "c-p1", name: "康美大药房", slot: "pm", reasons: ["overdue"], className: "A" },
        { customerId: "c-p2", name: "同仁堂药店", slot: "pm", reasons: ["overdue"], className: "A" },
        { customerId: "c-p3", name: "老百姓大药房", slot: "pm", reasons: ["overdue"], className: "A" },
      ],
    });
    expect(toms.locale).toBe("en");
    expect(toms.data.items).toEqual([
      { customerId: "c-d4", name: "Wang Wei", slot: "am", reasons: ["follow_up"], className: null },
    ]);
    expect(team.data).toEqual({ date: D, reps: 2, visits: 7 });
    expect(renderChat("daily_plan", "zh-CN", mine.data).choices?.map((c) => c.id)).toEqual([
      "start:visit:c-d1",
      "start:visit:c-d2",
      "start:visit:c-h1",
      "start:visit:c-p1",
      "start:visit:c-p2",
      "start:visit:c-p3",
    ]);
  });

  it("plans a 调休 Saturday (2026-02-14) and not the National Day holiday (2026-10-01) when cron wakes it", async () => {
    const w = await open();
    const saturday = await w.jobs.run("daily-plan", "2026-02-14", "", "cron");
    expect(saturday).toMatchObject({ queued: 3 });
    expect(saturday.skipped).toBeUndefined();
    const holiday = await w.jobs.run("daily-plan", "2026-10-01", "", "cron");
    expect(holiday).toMatchObject({ skipped: "day_off", runId: null, queued: 0 });
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual(planKeys("2026-02-14"));
  });

  it("runs on a holiday when asked by hand, and the plan itself says it is a day off (no visits)", async () => {
    const w = await open();
    const manual = await w.jobs.run("daily-plan", "2026-10-01", "", "manual");
    expect(manual).toMatchObject({ queued: 3 });
    const rows = await w.rows();
    expect(rows.map((r) => r.dedupeKey)).toEqual(planKeys("2026-10-01"));
    expect(rows[0].data.items).toEqual([]);
    expect(rows[2].data).toEqual({ date: "2026-10-01", reps: 2, visits: 0 });
  });
});

describe("follow-up-reminders", () => {
  it("reminds each rep of follow-ups due or overdue, once in the am slot and once in the pm slot", async () => {
    const w = await open();
    expect(await w.jobs.run("follow-up-reminders", D, "am", "cron")).toMatchObject({
      recipients: 2,
      queued: 2,
    });
    expect(await w.jobs.run("follow-up-reminders", D, "pm", "cron")).toMatchObject({
      recipients: 2,
      queued: 2,
    });
    const rows = await w.rows();
    expect(rows.map(brief)).toEqual([
      {
        key: "follow-up:u-rep1:2026-09-15:am:console:u-rep1",
        to: "u-rep1",
        channel: "console",
        template: "follow_up_reminder",
      },
      {
        key: "follow-up:u-rep1:2026-09-15:pm:console:u-rep1",
        to: "u-rep1",
        channel: "console",
        template: "follow_up_reminder",
      },
      {
        key: "follow-up:u-rep2:2026-09-15:am:console:u-rep2",
        to: "u-rep2",
        channel: "console",
        template: "follow_up_reminder",
      },
      {
        key: "follow-up:u-rep2:2026-09-15:pm:console:u-rep2",
        to: "u-rep2",
        channel: "console",
        template: "follow_up_reminder",
      },
    ]);
    // 陈静 (due 09-20) is not yet due; 协和's follow-up is done.
    expect(rows[0].data.items).toEqual([
      { customerId: "c-d2", name: "李娜", dueOn: "2026-09-10", overdueDays: 5, nextStep: "约科室会" },
      { customerId: "c-d1", name: "张伟", dueOn: "2026-09-15", overdueDays: 0, nextStep: "送文献" },
    ]);
    expect(rows[2].data.items).toEqual([
      {
        customerId: "c-d4",
        name: "Wang Wei",
        dueOn: "2026-09-15",
        overdueDays: 0,
        nextStep: "Send the study",
      },
    ]);
  });
});

describe("churn-alerts", () => {
  it("tells the owner of a customer overdue ×1.5 and the owner and manager of one overdue ×2.5", async () => {
    const w = await open();
    const result = await w.jobs.run("churn-alerts", D, "", "cron");
    expect(result).toMatchObject({ counts: { opened: 2, upgraded: 0, closed: 0 }, recipients: 2, queued: 3 });
    const rows = await w.rows();
    expect(rows.map(brief)).toEqual([
      {
        key: "churn-overdue:c-p1:2026-09-15:overdue:console:u-rep1",
        to: "u-rep1",
        channel: "console",
        template: "churn_alert",
      },
      {
        key: "churn-overdue:c-p2:2026-09-15:upgraded:console:u-mgr",
        to: "u-mgr",
        channel: "console",
        template: "churn_alert",
      },
      {
        key: "churn-overdue:c-p2:2026-09-15:upgraded:console:u-rep1",
        to: "u-rep1",
        channel: "console",
        template: "churn_alert",
      },
    ]);
    expect(rows[0].data).toMatchObject({
      customerId: "c-p1",
      name: "康美大药房",
      level: "overdue",
      lastPurchase: "2026-08-29",
      cycleDays: 10,
      silenceDays: 17,
    });
    expect(rows[1].data).toMatchObject({
      customerId: "c-p2",
      level: "upgraded",
      lastPurchase: "2026-08-20",
      cycleDays: 10,
      silenceDays: 26,
    });
    // The alert names the last purchase and the cycle and offers "plan a visit".
    const text = renderChat("churn_alert", "zh-CN", rows[0].data);
    expect(text.text).toContain("康美大药房");
    expect(text.text).toContain("2026-08-29");
    expect(text.choices).toEqual([expect.objectContaining({ id: "plan:visit:c-p1" })]);
  });

  it("tells an episode once (the next day adds nothing) and its upgrade once more, to owner and manager", async () => {
    const w = await open();
    await w.jobs.run("churn-alerts", D, "", "cron");
    const before = (await w.rows()).map((r) => r.dedupeKey);
    const nextDay = await w.jobs.run("churn-alerts", "2026-09-16", "", "cron");
    expect(nextDay).toMatchObject({ counts: { opened: 0, upgraded: 0, closed: 0 }, queued: 0 });
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual(before);

    // 24 September: 康美 has been silent 26 days, more than 2.5 × its 10-day cycle.
    const upgrade = await w.jobs.run("churn-alerts", "2026-09-24", "", "cron");
    expect(upgrade).toMatchObject({ counts: { opened: 0, upgraded: 1, closed: 0 }, queued: 2 });
    const added = (await w.rows()).filter((r) => !before.includes(r.dedupeKey));
    expect(added.map(brief)).toEqual([
      {
        key: "churn-overdue:c-p1:2026-09-15:upgraded:console:u-mgr",
        to: "u-mgr",
        channel: "console",
        template: "churn_alert",
      },
      {
        key: "churn-overdue:c-p1:2026-09-15:upgraded:console:u-rep1",
        to: "u-rep1",
        channel: "console",
        template: "churn_alert",
      },
    ]);
    expect(added[0].data).toMatchObject({ level: "upgraded", silenceDays: 26, lastPurchase: "2026-08-29" });
    expect(await w.jobs.run("churn-alerts", "2026-09-25", "", "manual")).toMatchObject({ queued: 0 });
  });
});

describe("care-preview and care-greetings", () => {
  it("shows each rep at 16:00 who will be greeted tomorrow, with a skip button each", async () => {
    const w = await open("2026-09-14T08:00:00Z");
    expect(await w.jobs.run("care-preview", "2026-09-14", "", "cron")).toMatchObject({ queued: 1 });
    const rows = await w.rows();
    expect(rows.map(brief)).toEqual([
      {
        key: "care-preview:u-rep1:2026-09-15:console:u-rep1",
        to: "u-rep1",
        channel: "console",
        template: "care_preview",
      },
    ]);
    // 陈静 has a birthday too but no consent: not in the preview, not greeted.
    expect(rows[0].data).toEqual({
      date: D,
      items: [
        { customerId: "c-d1", name: "张伟", occasions: ["birthday"], channel: "sms" },
        { customerId: "c-d2", name: "李娜", occasions: ["birthday"], channel: "email" },
      ],
    });
    expect(renderChat("care_preview", "zh-CN", rows[0].data).choices?.map((c) => c.id)).toEqual([
      "care:skip:c-d1:2026-09-15",
      "care:skip:c-d2:2026-09-15",
    ]);
  });

  it("greets each consented customer once on the preferred channel, 08:00–21:00 local, naming no product", async () => {
    const w = await open("2026-09-15T01:30:00Z");
    expect(await w.jobs.run("care-greetings", D, "", "cron")).toMatchObject({ recipients: 2, queued: 2 });
    const rows = await w.rows();
    expect(rows.map((r) => ({ ...brief(r), address: r.address, type: r.recipientType }))).toEqual([
      {
        key: "care:c-d1:2026-09-15:sms:c-d1",
        to: "c-d1",
        channel: "sms",
        template: "care_greeting",
        address: "13800000001",
        type: "customer",
      },
      {
        key: "care:c-d2:2026-09-15:email:c-d2",
        to: "c-d2",
        channel: "email",
        template: "care_greeting",
        address: "lina@example.com",
        type: "customer",
      },
    ]);
    for (const r of rows) {
      expect(r.notBefore).toBe("2026-09-15T00:00:00.000Z");
      expect(r.expiresAt).toBe("2026-09-15T13:00:00.000Z");
      expect(local(r.notBefore)).toBe("15/09/2026, 08:00");
      expect(local(r.expiresAt)).toBe("15/09/2026, 21:00");
    }
    expect(rows[0].data).toMatchObject({
      customerName: "张伟",
      title: "主任",
      repName: "王小明",
      occasions: ["birthday"],
    });
    expect(rows[1].data).toMatchObject({ customerName: "李娜", title: "主治医师", repName: "王小明" });
    const sms = renderCareSms(parseCareGreeting(rows[0].data)!, rows[0].locale, "康健医药");
    expect(sms.text).toMatch(/^【康健医药】尊敬的张伟主任：祝您生日快乐/);
    expect(sms.text).toContain("王小明");
    expect(sms.text.endsWith("拒收请回复R")).toBe(true);
    const email = renderCareEmail(
      parseCareGreeting(rows[1].data)!,
      rows[1].locale,
      "http://x/unsubscribe?t=1",
    );
    for (const text of [sms.text, email.subject, email.text, email.html])
      expect(isProductFree(text, PRODUCT_NAMES), text).toBe(true);
    expect(JSON.stringify(rows.map((r) => r.data))).not.toMatch(/感冒灵|维生素/);
  });

  it("does not greet a customer the rep stopped in the preview", async () => {
    const w = await open();
    await w.services.care.skip("c-d2", D, "u-rep1");
    await w.jobs.run("care-greetings", D, "", "cron");
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual(["care:c-d1:2026-09-15:sms:c-d1"]);
  });
});

describe("manager-digest", () => {
  it("gives each manager on Monday last week's calls per rep, approvals waiting and open churn", async () => {
    const w = await open("2026-09-14T00:30:00Z");
    await w.jobs.run("churn-alerts", "2026-09-14", "", "cron");
    const before = (await w.rows()).length;
    expect(await w.jobs.run("manager-digest", "2026-09-14", "", "cron")).toMatchObject({ queued: 2 });
    const rows = (await w.rows()).filter((r) => r.template === "manager_digest");
    expect(rows.length + before).toBe((await w.rows()).length);
    expect(rows.map(brief)).toEqual([
      {
        key: "manager-digest:u-mgr:2026-09-14:console:u-mgr",
        to: "u-mgr",
        channel: "console",
        template: "manager_digest",
      },
      {
        key: "manager-digest:u-rm:2026-09-14:console:u-rm",
        to: "u-rm",
        channel: "console",
        template: "manager_digest",
      },
    ]);
    // 7–13 Sep: 王小明 in person on 08 and 09, by phone on 10; Tom Lee in person on 09 (his void visit is not counted).
    const reps = [
      { name: "王小明", calls: 3, days: 2 },
      { name: "Tom Lee", calls: 1, days: 1 },
    ];
    expect(rows[0].data).toEqual({
      from: "2026-09-07",
      to: "2026-09-13",
      reps,
      approvalsWaiting: 1,
      openChurn: 2,
    });
    // E1 waits for 李经理 at level 1; 赵大区's level has not come up yet.
    expect(rows[1].data).toEqual({
      from: "2026-09-07",
      to: "2026-09-13",
      reps,
      approvalsWaiting: 0,
      openChurn: 2,
    });
  });

  it("runs only on Mondays when cron wakes it, and any day by hand", async () => {
    const w = await open();
    expect(await w.jobs.run("manager-digest", D, "", "cron")).toMatchObject({
      skipped: "not_this_weekday",
      queued: 0,
    });
    expect(await w.rows()).toEqual([]);
    expect(await w.jobs.run("manager-digest", D, "", "manual")).toMatchObject({ queued: 2 });
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual([
      "manager-digest:u-mgr:2026-09-15:console:u-mgr",
      "manager-digest:u-rm:2026-09-15:console:u-rm",
    ]);
  });
});

describe("idempotence", () => {
  const everyJob = [
    ["daily-plan", D, ""],
    ["follow-up-reminders", D, "am"],
    ["follow-up-reminders", D, "pm"],
    ["churn-alerts", D, ""],
    ["care-preview", "2026-09-14", ""],
    ["care-greetings", D, ""],
    ["manager-digest", "2026-09-14", ""],
  ] as const;

  it("adds no outbox row when every job runs a second time for the same date", async () => {
    const w = await open();
    for (const [job, date, slot] of everyJob) await w.jobs.run(job, date, slot, "cron");
    const first = (await w.rows()).map((r) => r.dedupeKey);
    expect(first).toHaveLength(15);
    for (const [job, date, slot] of everyJob) {
      const again = await w.jobs.run(job, date, slot, "cron");
      expect(again.queued, job).toBe(0);
      expect(again.done, job).toBe(0);
      expect(again.alreadyDone, job).toBe(again.recipients);
    }
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual(first);
  });

  it("completes a run that failed after two recipients, without duplicates, when it runs again", async () => {
    const w = await open();
    let n = 0;
    const failing: JobDefinition = {
      ...dailyPlanJob,
      itemFor: async (ctx, id) => {
        if (++n > 2) throw new Error("the process fell over");
        return dailyPlanJob.itemFor(ctx, id);
      },
    };
    const broken = await createJobRunner(w.services, [failing], silent).run("daily-plan", D, "", "cron");
    expect(broken).toMatchObject({ error: "the process fell over", done: 2, queued: 2 });
    // Reps go first (their plans feed the team lines), each group by id: 王小明 and Tom Lee are
    // done, the managers 李经理 and 赵大区 not.
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual([
      "daily-plan:u-rep1:2026-09-15:console:u-rep1",
      "daily-plan:u-rep2:2026-09-15:console:u-rep2",
    ]);
    const resumed = await w.jobs.run("daily-plan", D, "", "cron");
    expect(resumed).toMatchObject({ recipients: 4, alreadyDone: 2, done: 2, queued: 1 });
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual(planKeys(D));
    const runs = await w.runs();
    expect(runs.map((r) => [r.trigger, r.error, r.finishedAt !== null])).toEqual([
      ["cron", "the process fell over", true],
      ["cron", null, true],
    ]);
  });

  it("resumes a run killed midway after its lease, at the next start's catch-up, doing each recipient once", async () => {
    const w = await open("2026-09-15T00:00:00Z"); // 08:00: daily-plan (07:30) is due, reminders too
    let n = 0;
    const hanging: JobDefinition = {
      ...dailyPlanJob,
      // The third recipient never finishes: as if the process died there (no finish, no error).
      itemFor: (ctx, id) => (++n > 2 ? new Promise(() => {}) : dailyPlanJob.itemFor(ctx, id)),
    };
    void createJobRunner(w.services, [hanging], silent).run("daily-plan", D, "", "cron");
    for (let i = 0; i < 200 && n < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(n).toBe(3);
    // A page is written whole: the two recipients computed before the "death" left no trace.
    const marks = await w.database.db.select().from(jobMarks).where(eq(jobMarks.job, "daily-plan"));
    expect(marks).toHaveLength(0);

    // The restarted process: a new composition over the same database.
    const again = compose(w.config, w.database, silent, { now: w.now });
    const soon = await again.jobs.catchUp("Asia/Shanghai");
    expect(soon.find((r) => r.job === "daily-plan")).toMatchObject({ skipped: "running_elsewhere" });
    w.clock.t += 11 * 60_000; // the dead run's claim has lapsed by now
    const later = await again.jobs.catchUp("Asia/Shanghai");
    const resumed = later.find((r) => r.job === "daily-plan");
    expect(resumed).toMatchObject({ alreadyDone: 0, done: 4, queued: 3 });
    expect(resumed?.skipped).toBeUndefined();
    const plans = (await w.rows()).filter((r) => /^(daily|team)-plan:/.test(r.dedupeKey));
    expect(plans.map((r) => r.dedupeKey)).toEqual(planKeys(D));
    expect(await again.jobs.catchUp("Asia/Shanghai")).toEqual([]);
  });
});

describe("catch-up at start", () => {
  it("runs today's missed jobs once, and not those whose time has not come or that already ran", async () => {
    const w = await open(); // 10:00 on Tuesday 15 September
    w.clock.t = Date.parse("2026-09-14T23:30:00Z"); // 07:30: cron ran the daily plan on time
    await w.jobs.run("daily-plan", D, "", "cron");
    w.clock.t = Date.parse("2026-09-15T02:00:00Z");
    const first = startCron(w.jobs, "Asia/Shanghai", silent, w.now);
    await first.caughtUp;
    await first.stop();
    const runs = await w.runs();
    expect(runs.map((r) => [r.job, r.slot, r.trigger, r.error])).toEqual([
      ["daily-plan", "", "cron", null],
      ["follow-up-reminders", "am", "catch_up", null],
      ["churn-alerts", "", "catch_up", null],
      ["care-greetings", "", "catch_up", null],
    ]);
    const keys = (await w.rows()).map((r) => r.dedupeKey);
    expect(keys).toEqual([
      "care:c-d1:2026-09-15:sms:c-d1",
      "care:c-d2:2026-09-15:email:c-d2",
      "churn-overdue:c-p1:2026-09-15:overdue:console:u-rep1",
      "churn-overdue:c-p2:2026-09-15:upgraded:console:u-mgr",
      "churn-overdue:c-p2:2026-09-15:upgraded:console:u-rep1",
      ...planKeys(D).slice(0, 2),
      "follow-up:u-rep1:2026-09-15:am:console:u-rep1",
      "follow-up:u-rep2:2026-09-15:am:console:u-rep2",
      planKeys(D)[2],
    ]);
    const second = startCron(w.jobs, "Asia/Shanghai", silent, w.now);
    await second.caughtUp;
    await second.stop();
    expect(await w.database.db.select().from(jobRuns)).toHaveLength(4);
    expect((await w.rows()).map((r) => r.dedupeKey)).toEqual(keys);
  });
});

describe("running a job by hand", () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it("POST /api/jobs/{job}/run answers what it queued, and 400s for a slot the job does not have", async () => {
    server = await startTestServer({}, { now: () => new Date("2026-09-15T02:00:00Z") });
    await buildFixture(server.database);
    const admin = await createUser(server.database, { name: "Ops", role: "admin" });
    const first = await server.request("POST", "/api/jobs/daily-plan/run", admin.token, { date: D });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      job: "daily-plan",
      date: D,
      slot: "",
      recipients: 4,
      done: 4,
      alreadyDone: 0,
      queued: 3,
    });
    const second = await server.request("POST", "/api/jobs/daily-plan/run", admin.token, {});
    expect(second.body).toMatchObject({ date: D, done: 0, alreadyDone: 4, queued: 0 });
    const am = await server.request("POST", "/api/jobs/follow-up-reminders/run", admin.token, { slot: "am" });
    expect(am.body).toMatchObject({ slot: "am", queued: 2 });

    const wrong = await server.request("POST", "/api/jobs/daily-plan/run", admin.token, { slot: "am" });
    expect(wrong.status).toBe(400);
    const none = await server.request("POST", "/api/jobs/follow-up-reminders/run", admin.token, {});
    expect(none.status).toBe(400);
    expect((await server.request("POST", "/api/jobs/weekly-report/run", admin.token, {})).status).toBe(404);
    const rep = await createUser(server.database, { name: "Rep", role: "rep" });
    expect((await server.request("POST", "/api/jobs/daily-plan/run", rep.token, {})).status).toBe(403);
  });

  it("npm run job prints what it queued", async () => {
    const temp = await tempDatabase();
    await buildFixture(temp.database);
    temp.database.close();
    try {
      const { stdout } = await run(
        "node_modules/.bin/tsx",
        ["src/cli/job.ts", "daily-plan", "--date", "2026-02-14"],
        {
          env: {
            ...process.env,
            DATABASE_URL: `file:${join(temp.dir, "app.db")}`,
            NODE_ENV: "test",
            LOG_LEVEL: "silent",
          },
        },
      );
      const [head, ...lines] = stdout.trim().split("\n");
      expect(head).toBe(
        "daily-plan for 2026-02-14: 4 recipients, 4 done now, 0 already done, 3 messages queued",
      );
      expect(lines.map((l) => l.trim().split(/\s+/)).sort()).toEqual([
        ["console", "daily_plan", "daily-plan:u-rep1:2026-02-14:console:u-rep1"],
        ["console", "daily_plan", "daily-plan:u-rep2:2026-02-14:console:u-rep2"],
        ["console", "team_plan", "team-plan:u-mgr:2026-02-14:console:u-mgr"],
      ]);
      const again = await run(
        "node_modules/.bin/tsx",
        ["src/cli/job.ts", "daily-plan", "--date", "2026-02-14"],
        { env: { ...process.env, DATABASE_URL: `file:${join(temp.dir, "app.db")}`, NODE_ENV: "test" } },
      );
      expect(again.stdout.trim()).toBe(
        "daily-plan for 2026-02-14: 4 recipients, 0 done now, 4 already done, 0 messages queued",
      );
    } finally {
      rmSync(temp.dir, { recursive: true, force: true });
    }
  });
});
