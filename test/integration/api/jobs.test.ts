import { count, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobMarks, jobRuns, outbox } from "../../../src/db/schema";
import { jobNames } from "../../../src/scheduler/job";
import { startTestServer, type TestServer } from "../../helpers/app";
import { buildHierarchy, expectError, expectValidation, type Hierarchy, rowCount } from "./fixtures";

/** The server's clock: Tuesday 2026-09-15 10:00 in Shanghai unless a test moves it. */
const clock = { t: Date.parse("2026-09-15T02:00:00Z") };
let server: TestServer;
let h: Hierarchy;

beforeAll(async () => {
  server = await startTestServer({}, { now: () => new Date(clock.t) });
  h = await buildHierarchy(server);
  // A follow-up due on 2026-09-15 for repA1, so follow-up-reminders has a recipient.
  const pharmacy = await server.request("POST", "/api/customers", h.repA1.token, {
    kind: "pharmacy",
    name: "第一医药(南京东路店)",
  });
  expect(pharmacy.status, JSON.stringify(pharmacy.body)).toBe(201);
  const visit = await server.request("POST", "/api/visits", h.repA1.token, {
    customerId: pharmacy.body.id,
    date: "2026-09-10",
    rating: 5,
    followUpOn: "2026-09-15",
  });
  expect(visit.status, JSON.stringify(visit.body)).toBe(201);
});
afterAll(() => server.close());

const run = (job: string, token: string | undefined, body?: unknown) =>
  server.request("POST", `/api/jobs/${job}/run`, token, body);

const outboxRows = async (prefix = "") =>
  (await server.database.db
    .select({ n: count() })
    .from(outbox)
    .where(like(outbox.dedupeKey, `${prefix}%`))
    .get())!.n;
const runRows = () => rowCount(server, jobRuns);
const markRows = () => rowCount(server, jobMarks);
/** What a refused request must leave as it was. */
const written = async () => ({ runs: await runRows(), marks: await markRows(), outbox: await outboxRows() });

describe("POST /api/jobs/{job}/run: who may run a job", () => {
  it.each([
    ["manager", () => h.regional],
    ["finance", () => h.finance],
    ["rep", () => h.repA1],
  ] as const)("refuses a %s with 403 and runs nothing", async (_, who) => {
    const before = await written();
    expectError(await run("daily-plan", who().token, { date: "2026-09-01" }), 403, "forbidden");
    expect(await written()).toEqual(before);
  });

  it("answers 401 without a token or with a bad one, and runs nothing", async () => {
    const before = await written();
    expectError(await run("daily-plan", undefined, { date: "2026-09-01" }), 401, "unauthorized");
    expectError(await run("daily-plan", "nope", { date: "2026-09-01" }), 401, "unauthorized");
    expect(await written()).toEqual(before);
  });

  it("runs every job named in CONTRACT.md for an admin", async () => {
    for (const job of jobNames) {
      const slot = job === "follow-up-reminders" ? { slot: "pm" } : {};
      const res = await run(job, h.admin.token, { date: "2026-08-03", ...slot });
      expect(res.status, `${job}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body).toMatchObject({ job, date: "2026-08-03", slot: slot.slot ?? "" });
      expect(res.body.error).toBeUndefined();
      expect(res.body.skipped).toBeUndefined();
    }
  });
});

describe("POST /api/jobs/{job}/run: what it queued, once", () => {
  it("answers the counts of the daily plan, and they match the outbox", async () => {
    const res = await run("daily-plan", h.admin.token, { date: "2026-09-16" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      job: "daily-plan",
      date: "2026-09-16",
      slot: "",
      alreadyDone: 0,
      runId: expect.any(String),
    });
    // Every active rep and manager of the hierarchy is considered, each done now.
    expect(res.body.recipients).toBe(6);
    expect(res.body.done).toBe(6);
    // A plan for each of the three reps, a team line for each district manager (the regional
    // manager has no reps of their own).
    expect(res.body.queued).toBe(5);
    const forDate = (await server.database.db.select().from(outbox)).filter((r) =>
      r.dedupeKey.includes(":2026-09-16:"),
    );
    expect(forDate.map((r) => [r.template, r.recipientId, r.channel]).sort()).toEqual(
      [
        ["daily_plan", h.repA1.id, "console"],
        ["daily_plan", h.repA2.id, "console"],
        ["daily_plan", h.repB1.id, "console"],
        ["team_plan", h.districtA.id, "console"],
        ["team_plan", h.districtB.id, "console"],
      ].sort(),
    );
    const [runRow] = (await server.database.db.select().from(jobRuns)).filter((r) => r.id === res.body.runId);
    expect(runRow).toMatchObject({ job: "daily-plan", date: "2026-09-16", trigger: "manual", error: null });
    expect(runRow.finishedAt).not.toBeNull();
  });

  it("sends nothing twice for the same job and date; another date is a new run", async () => {
    const first = await run("daily-plan", h.admin.token, { date: "2026-09-17" });
    expect(first.body.queued).toBeGreaterThan(0);
    const rows = await outboxRows();
    const again = await run("daily-plan", h.admin.token, { date: "2026-09-17" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      recipients: first.body.recipients,
      done: 0,
      alreadyDone: first.body.recipients,
      queued: 0,
    });
    expect(again.body.runId).not.toBe(first.body.runId);
    expect(await outboxRows()).toBe(rows);
    const next = await run("daily-plan", h.admin.token, { date: "2026-09-18" });
    expect(next.body).toMatchObject({ alreadyDone: 0, queued: first.body.queued });
    expect(await outboxRows()).toBe(rows + first.body.queued);
  });

  it("two runs at once for the same date send each message once between them", async () => {
    const before = await outboxRows();
    const answers = await Promise.all([
      run("daily-plan", h.admin.token, { date: "2026-09-21" }),
      run("daily-plan", h.admin.token, { date: "2026-09-21" }),
    ]);
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    const queued = answers.reduce((n, a) => n + a.body.queued, 0);
    const single = await run("daily-plan", h.admin.token, { date: "2026-09-22" });
    expect(queued).toBe(single.body.queued);
    expect(await outboxRows()).toBe(before + 2 * single.body.queued);
    const third = await run("daily-plan", h.admin.token, { date: "2026-09-21" });
    expect(third.body).toMatchObject({ done: 0, queued: 0 });
  });

  it("keeps the am and pm slots of follow-up-reminders apart, each once", async () => {
    const am = await run("follow-up-reminders", h.admin.token, { date: "2026-09-15", slot: "am" });
    expect(am.status, JSON.stringify(am.body)).toBe(200);
    expect(am.body).toMatchObject({ slot: "am", recipients: 1, done: 1, queued: 1 });
    const [row] = (await server.database.db.select().from(outbox)).filter((r) =>
      r.dedupeKey.startsWith("follow-up:"),
    );
    expect(row).toMatchObject({
      recipientId: h.repA1.id,
      dedupeKey: `follow-up:${h.repA1.id}:2026-09-15:am:console:${h.repA1.id}`,
    });
    const amAgain = await run("follow-up-reminders", h.admin.token, { date: "2026-09-15", slot: "am" });
    expect(amAgain.body).toMatchObject({ slot: "am", alreadyDone: 1, queued: 0 });
    const pm = await run("follow-up-reminders", h.admin.token, { date: "2026-09-15", slot: "pm" });
    expect(pm.body).toMatchObject({ slot: "pm", alreadyDone: 0, queued: 1 });
    expect(await outboxRows("follow-up:")).toBe(2);
  });

  it("runs for today in the company time zone when no date is given", async () => {
    clock.t = Date.parse("2026-09-23T17:30:00Z"); // 01:30 on the 24th in Shanghai, still the 23rd in UTC
    try {
      const res = await run("daily-plan", h.admin.token, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.date).toBe("2026-09-24");
      const bare = await server.request("POST", "/api/jobs/churn-alerts/run", h.admin.token);
      expect(bare.status, JSON.stringify(bare.body)).toBe(200);
      expect(bare.body.date).toBe("2026-09-24");
    } finally {
      clock.t = Date.parse("2026-09-15T02:00:00Z");
    }
  });

  it("runs by hand on a day off and outside manager-digest's weekday (no calendar check)", async () => {
    const holiday = await run("daily-plan", h.admin.token, { date: "2026-10-01" }); // National Day
    expect(holiday.body.skipped).toBeUndefined();
    expect(holiday.body.recipients).toBe(6);
    const thursday = await run("manager-digest", h.admin.token, { date: "2026-09-24" });
    expect(thursday.body.skipped).toBeUndefined();
    expect(thursday.body.runId).toEqual(expect.any(String));
  });
});

describe("POST /api/jobs/{job}/run: refused, nothing run", () => {
  const cases: [string, string, unknown, string][] = [
    ["a date that does not exist", "daily-plan", { date: "2026-02-30" }, "date"],
    ["a date with slashes", "daily-plan", { date: "2026/09/15" }, "date"],
    ["a date as a number", "daily-plan", { date: 20260915 }, "date"],
    ["a date-time", "daily-plan", { date: "2026-09-15T08:00:00+08:00" }, "date"],
    ["a slot that is not am or pm", "follow-up-reminders", { date: "2026-09-15", slot: "noon" }, "slot"],
    ["an empty slot", "follow-up-reminders", { date: "2026-09-15", slot: "" }, "slot"],
    ["no slot for a job that has two", "follow-up-reminders", { date: "2026-09-15" }, "slot"],
    ["a slot for a job without slots", "daily-plan", { date: "2026-09-15", slot: "am" }, "slot"],
    ["a slot for care-greetings", "care-greetings", { date: "2026-09-15", slot: "pm" }, "slot"],
  ];
  it.each(cases)("refuses %s with 400 naming the field", async (_, job, body, field) => {
    const before = await written();
    const res = await run(job, h.admin.token, body);
    expectValidation(res, field);
    for (const d of res.body.error.details) expect(typeof d.message).toBe("string");
    expect(await written()).toEqual(before);
  });

  it("refuses a body that is not JSON or not an object", async () => {
    const before = await written();
    expectError(await run("daily-plan", h.admin.token, "{date:"), 400, "validation");
    expectError(await run("daily-plan", h.admin.token, ["2026-09-15"]), 400, "validation");
    expect(await written()).toEqual(before);
  });

  it("answers 404 for a job that does not exist, naming the jobs there are", async () => {
    const before = await written();
    for (const job of ["weekly-report", "Daily-Plan", "daily_plan"]) {
      const res = await run(job, h.admin.token, { date: "2026-09-15" });
      expectError(res, 404, "not_found");
      expect(res.body.error.message).toContain("daily-plan");
    }
    expectError(await server.request("POST", "/api/jobs/daily-plan", h.admin.token, {}), 404, "not_found");
    expectError(await server.request("GET", "/api/jobs/daily-plan/run", h.admin.token), 404, "not_found");
    expect(await written()).toEqual(before);
  });
});
