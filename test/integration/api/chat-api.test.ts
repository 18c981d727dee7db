import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";
import { translate } from "../../../src/conversations/messages";
import { chatEvents, chatSessions, outbox, users, visits } from "../../../src/db/schema";
import { createUser, startTestServer, type TestServer } from "../../helpers/app";
import {
  auditRowsOf,
  buildHierarchy,
  created,
  expectError,
  expectValidation,
  type Hierarchy,
  rowCount,
  SHANGHAI_INSTANT,
} from "./fixtures";

/** Monday 2026-11-23, 10:00 in Shanghai. */
const NOW = new Date("2026-11-23T02:00:00Z");
const CJK = /[\u4e00-\u9fff]/;

let server: TestServer;
let h: Hierarchy;
let repEn: Awaited<ReturnType<typeof createUser>>;
let wang: any; // 王建国, a doctor at 北京协和医院 (repA1's)
let wangWei: any; // Wang Wei, a doctor at Union Hospital (repEn's)

const customer = (token: string, body: object) => created(server, "/api/customers", token, body);

beforeAll(async () => {
  server = await startTestServer({}, { now: () => NOW });
  h = await buildHierarchy(server);
  repEn = await createUser(server.database, {
    name: "Tom Lee",
    role: "rep",
    managerId: h.districtA.id,
    locale: "en",
  });
  const xiehe = await customer(h.repA1.token, { kind: "hospital", name: "北京协和医院" });
  wang = await customer(h.repA1.token, { kind: "doctor", name: "王建国", parentId: xiehe.id, title: "主任" });
  const union = await customer(repEn.token, { kind: "hospital", name: "Union Hospital" });
  wangWei = await customer(repEn.token, {
    kind: "doctor",
    name: "Wang Wei",
    parentId: union.id,
    title: "Director",
  });
});
afterAll(() => server.close());

let n = 0;
const chat = (token: string | undefined, body: Record<string, unknown>) =>
  server.request("POST", "/api/chat", token, { eventId: `api-${++n}`, ...body });
const textOf = (body: any): string => body.replies.map((r: any) => r.text).join("\n");
const visitsOf = (repId: string) => server.database.db.select().from(visits).where(eq(visits.repId, repId));
const tableCount = (table: typeof chatEvents | typeof chatSessions | typeof visits) =>
  rowCount(server, table);
/** What a refused request must leave as it was. */
const written = async () => ({
  events: await tableCount(chatEvents),
  sessions: await tableCount(chatSessions),
  visits: await tableCount(visits),
  sessionRows: await server.database.db.select().from(chatSessions),
});

describe("POST /api/chat: a visit logged through the API", () => {
  it("in Chinese: one line, 确认, and the visit is stored with the company offset and audited", async () => {
    const first = await chat(h.repA1.token, { text: "拜访 协和 王主任 昨天 评级6" });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.session).toEqual({ flow: "visit", step: "confirm", status: "active" });
    expect(first.body.pending).toEqual([]);
    expect(textOf(first.body)).toMatch(CJK);
    expect(await visitsOf(h.repA1.id)).toHaveLength(0); // nothing before the confirmation
    const done = await chat(h.repA1.token, { text: "确认" });
    expect(done.status).toBe(200);
    expect(done.body.session).toEqual({ flow: null, step: null, status: "completed" });
    expect(textOf(done.body)).toMatch(CJK);

    const list = await server.request("GET", `/api/visits?repId=${h.repA1.id}`, h.repA1.token);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const [v] = list.body.items;
    expect(v).toMatchObject({
      repId: h.repA1.id,
      customerId: wang.id,
      at: "2026-11-22T12:00:00+08:00",
      timeKnown: false,
      method: "in_person",
      rating: 6,
    });
    expect(v.at).toMatch(SHANGHAI_INSTANT);
    const audit = await auditRowsOf(server, "visit", v.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "create", actorId: h.repA1.id, via: "api" });
  });

  it("in English for an English-speaking rep, with a follow-up date", async () => {
    const first = await chat(repEn.token, { text: "visit Wang Wei today rating 5 follow up tomorrow" });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.session).toEqual({ flow: "visit", step: "confirm", status: "active" });
    expect(textOf(first.body)).not.toMatch(CJK);
    const done = await chat(repEn.token, { text: "confirm" });
    expect(done.body.session.status).toBe("completed");
    expect(textOf(done.body)).not.toMatch(CJK);
    expect(textOf(done.body)).toContain("2026-11-24");
    const list = await server.request("GET", `/api/visits?repId=${repEn.id}`, repEn.token);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      repId: repEn.id,
      customerId: wangWei.id,
      at: "2026-11-23T12:00:00+08:00",
      rating: 5,
      followUpOn: "2026-11-24",
    });
  });

  it("cancels a flow on 取消 without storing anything", async () => {
    const before = await tableCount(visits);
    await chat(h.repA1.token, { text: "拜访 协和 王主任 今天 评级3" });
    const cancelled = await chat(h.repA1.token, { text: "取消" });
    expect(cancelled.body.session.status).toBe("cancelled");
    expect(textOf(cancelled.body)).toBe(translate("zh-CN", "common.cancelled"));
    expect(await tableCount(visits)).toBe(before);
  });
});

describe("POST /api/chat: the user's language", () => {
  it("answers each user in their own language", async () => {
    const zh = await chat(h.repB1.token, { text: "帮助" });
    expect(textOf(zh.body)).toBe(translate("zh-CN", "common.help"));
    const en = await chat(repEn.token, { text: "help" });
    expect(textOf(en.body)).toBe(translate("en", "common.help"));
    // The words work in either language; the answer follows the user, not the words.
    const zhTypedEn = await chat(h.repB1.token, { text: "help" });
    expect(textOf(zhTypedEn.body)).toBe(translate("zh-CN", "common.help"));
  });

  it("switches with English / 中文 and keeps the choice on the user", async () => {
    const switched = await chat(h.repA2.token, { text: "English" });
    expect(textOf(switched.body)).toBe(translate("en", "common.language_set"));
    const user = await server.request("GET", `/api/users/${h.repA2.id}`, h.admin.token);
    expect(user.body.locale).toBe("en");
    expect(textOf((await chat(h.repA2.token, { text: "帮助" })).body)).toBe(translate("en", "common.help"));
    const back = await chat(h.repA2.token, { text: "中文" });
    expect(textOf(back.body)).toBe(translate("zh-CN", "common.language_set"));
    const row = await server.database.db.select().from(users).where(eq(users.id, h.repA2.id)).get();
    expect(row?.locale).toBe("zh-CN");
  });

  it("renders pending messages in the recipient's language, once", async () => {
    const job = await server.request("POST", "/api/jobs/daily-plan/run", h.admin.token, {
      date: "2026-11-23",
    });
    expect(job.status, JSON.stringify(job.body)).toBe(200);
    await server.composition.outbox.drain();
    const en = await chat(repEn.token, { text: "help" });
    const enPlan = en.body.pending.filter((p: any) => p.template === "daily_plan");
    expect(enPlan).toHaveLength(1);
    expect(enPlan[0].text).not.toMatch(CJK);
    expect(enPlan[0].text).toContain("2026-11-23");
    const zh = await chat(h.repB1.token, { text: "帮助" });
    const zhPlan = zh.body.pending.filter((p: any) => p.template === "daily_plan");
    expect(zhPlan).toHaveLength(1);
    expect(zhPlan[0].text).toMatch(CJK);
    expect((await chat(repEn.token, { text: "help" })).body.pending).toEqual([]);
  });
});

describe("POST /api/chat: a repeated eventId", () => {
  it("answers a redelivery byte for byte as the first time", async () => {
    const raw = async () => {
      const res = await fetch(`${server.url}/api/chat`, {
        method: "POST",
        headers: { authorization: `Bearer ${h.repA2.token}`, "content-type": "application/json" },
        body: JSON.stringify({ eventId: "same-bytes", text: "拜访" }),
      });
      expect(res.status).toBe(200);
      return res.text();
    };
    const first = await raw();
    expect(JSON.parse(first).session).toMatchObject({ flow: "visit" });
    expect(await raw()).toBe(first);
    await chat(h.repA2.token, { text: "取消" });
  });

  it("answers with the first answer and does nothing again, even with other text", async () => {
    const first = await chat(h.repB1.token, { eventId: "dup-1", text: "拜访 协和 王主任 昨天 评级4" });
    expect(first.status).toBe(200);
    const before = await written();
    const again = await chat(h.repB1.token, { eventId: "dup-1", text: "取消" });
    expect(again.status).toBe(200);
    expect(again.body.replies).toEqual(first.body.replies);
    expect(again.body.session).toEqual(first.body.session);
    expect(await written()).toEqual(before);
  });

  it("stores one visit when the confirmation is delivered twice", async () => {
    await chat(repEn.token, { text: "visit Wang Wei yesterday rating 3" });
    const before = (await visitsOf(repEn.id)).length;
    const done = await chat(repEn.token, { eventId: "dup-confirm", text: "confirm" });
    expect(done.body.session.status).toBe("completed");
    const redelivered = await chat(repEn.token, { eventId: "dup-confirm", text: "confirm" });
    expect(redelivered.body).toEqual(done.body);
    expect(await visitsOf(repEn.id)).toHaveLength(before + 1);
  });

  it("returns the first answer's pending messages again, and does not take newer ones", async () => {
    await chat(h.repA1.token, { text: "帮助" }); // whatever was waiting is seen
    const job = await server.request("POST", "/api/jobs/daily-plan/run", h.admin.token, {
      date: "2026-11-24",
    });
    expect(job.body.queued).toBeGreaterThan(0);
    await server.composition.outbox.drain();
    const first = await chat(h.repA1.token, { eventId: "dup-pending", text: "帮助" });
    expect(first.body.pending.map((p: any) => p.template)).toEqual(["daily_plan"]);
    const next = await server.request("POST", "/api/jobs/daily-plan/run", h.admin.token, {
      date: "2026-11-25",
    });
    expect(next.body.queued).toBeGreaterThan(0);
    await server.composition.outbox.drain();
    const unread = () =>
      server.database.db
        .select()
        .from(outbox)
        .where(eq(outbox.recipientId, h.repA1.id))
        .then((rows) => rows.filter((r) => r.channel === "console" && r.readAt === null).length);
    expect(await unread()).toBe(1);
    const again = await chat(h.repA1.token, { eventId: "dup-pending", text: "帮助" });
    expect(again.body).toEqual(first.body);
    expect(await unread()).toBe(1); // the 2026-11-25 plan waits for the next new message
    const fresh = await chat(h.repA1.token, { text: "帮助" });
    expect(fresh.body.pending).toHaveLength(1);
    expect(fresh.body.pending[0].text).toContain("2026-11-25");
  });

  it("is one user's: the same eventId from another user is that user's own message", async () => {
    const mine = await chat(h.repA1.token, { eventId: "shared-1", text: "拜访 协和 王主任 今天 评级5" });
    expect(mine.body.session).toMatchObject({ flow: "visit", step: "confirm" });
    const theirs = await chat(repEn.token, { eventId: "shared-1", text: "help" });
    expect(theirs.status).toBe(200);
    expect(textOf(theirs.body)).toBe(translate("en", "common.help"));
    expect(textOf(theirs.body)).not.toContain("王建国");
    expect(theirs.body.session.flow).toBeNull();
    await chat(h.repA1.token, { text: "取消" });
  });
});

describe("POST /api/chat: as whom", () => {
  it("lets an admin try a flow as a rep: the rep's language, the rep's visit", async () => {
    const tried = await chat(h.admin.token, { userId: repEn.id, text: "visit Wang Wei today rating 6" });
    expect(tried.status, JSON.stringify(tried.body)).toBe(200);
    expect(tried.body.session).toMatchObject({ flow: "visit", step: "confirm" });
    expect(textOf(tried.body)).not.toMatch(CJK); // Tom Lee's English, not the admin's Chinese
    const before = (await visitsOf(repEn.id)).length;
    const done = await chat(h.admin.token, { userId: repEn.id, text: "confirm" });
    expect(done.body.session.status).toBe("completed");
    const mine = await visitsOf(repEn.id);
    expect(mine).toHaveLength(before + 1);
    // The audit names who typed it: the admin, for the rep's visit.
    const latest = mine.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)).at(-1)!;
    expect((await auditRowsOf(server, "visit", latest.id))[0]).toMatchObject({
      actorId: h.admin.id,
      via: "api",
    });
    // The admin's own conversation is untouched.
    const own = await server.database.db
      .select()
      .from(chatSessions)
      .where(eq(chatSessions.userId, h.admin.id));
    expect(own).toEqual([]);
  });

  it("shows an admin chatting as a rep the rep's waiting messages, and leaves them to the rep", async () => {
    await chat(h.repB1.token, { text: "帮助" }); // whatever was waiting is seen
    const job = await server.request("POST", "/api/jobs/daily-plan/run", h.admin.token, {
      date: "2026-11-26",
    });
    expect(job.body.queued).toBeGreaterThan(0);
    await server.composition.outbox.drain();
    const asRep = await chat(h.admin.token, { userId: h.repB1.id, text: "帮助" });
    expect(asRep.body.pending.map((p: any) => p.template)).toContain("daily_plan");
    const own = await chat(h.repB1.token, { text: "帮助" });
    expect(own.body.pending.map((p: any) => p.template)).toContain("daily_plan");
  });

  it("answers 404 when an admin names a user who does not exist, and writes nothing", async () => {
    const before = await written();
    const res = await chat(h.admin.token, { userId: "no-such-user", text: "帮助" });
    expectError(res, 404, "not_found");
    expect(res.body.error.message).toContain("no-such-user");
    expect(await written()).toEqual(before);
  });

  it.each([
    ["a rep for another rep", () => h.repA1, () => h.repA2],
    ["a manager for their own rep", () => h.districtA, () => h.repA1],
    ["finance for a rep", () => h.finance, () => h.repB1],
  ] as const)("refuses %s with 403 and writes nothing", async (_, who, target) => {
    const before = await written();
    const res = await chat(who().token, { userId: target().id, text: "拜访 协和 王主任 今天 评级5" });
    expectError(res, 403, "forbidden");
    expect(res.body.error.message).toContain("userId");
    expect(await written()).toEqual(before);
  });

  it("lets any role chat as themself, naming themself or not", async () => {
    for (const who of [h.finance, h.districtA, h.admin]) {
      const res = await chat(who.token, { userId: who.id, text: "帮助" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(textOf(res.body)).toBe(translate("zh-CN", "common.help"));
    }
  });

  it("answers 401 without a token or with a bad one, and writes nothing", async () => {
    const before = await written();
    expectError(await chat(undefined, { text: "帮助" }), 401, "unauthorized");
    expectError(await chat("nope", { text: "帮助" }), 401, "unauthorized");
    expect(await written()).toEqual(before);
  });
});

describe("POST /api/chat: validation", () => {
  const post = (body: unknown) => server.request("POST", "/api/chat", h.repA1.token, body);
  const cases: [string, () => unknown, string][] = [
    ["no eventId", () => ({ text: "帮助" }), "eventId"],
    ["a blank eventId", () => ({ eventId: "   ", text: "帮助" }), "eventId"],
    ["an eventId that is a number", () => ({ eventId: 42, text: "帮助" }), "eventId"],
    ["an eventId over 200 characters", () => ({ eventId: "e".repeat(201), text: "帮助" }), "eventId"],
    ["neither text nor action", () => ({ eventId: "v-1" }), "text"],
    ["text that is not a string", () => ({ eventId: "v-2", text: 5 }), "text"],
    ["an action without an id", () => ({ eventId: "v-3", action: {} }), "action.id"],
    ["an action with an empty id", () => ({ eventId: "v-4", action: { id: "" } }), "action.id"],
    ["a userId that is not a string", () => ({ eventId: "v-5", text: "帮助", userId: 7 }), "userId"],
  ];
  it.each(cases)("refuses %s with 400 naming the field, and writes nothing", async (_, body, field) => {
    const before = await written();
    const res = await post(body());
    expectValidation(res, field);
    for (const d of res.body.error.details) expect(typeof d.message).toBe("string");
    expect(await written()).toEqual(before);
  });

  it("refuses a body that is not JSON, with 400 and nothing written", async () => {
    const before = await written();
    expectError(await post("{eventId:"), 400, "validation");
    expect(await written()).toEqual(before);
  });
});

describe("CHAT_API", () => {
  it("refuses POST /api/chat when CHAT_API=off, and the rest of the API still answers", async () => {
    const off = await startTestServer({ CHAT_API: "off" }, { now: () => NOW });
    try {
      const admin = await createUser(off.database, { name: "管理员", role: "admin" });
      const res = await off.request("POST", "/api/chat", admin.token, { eventId: "x-1", text: "帮助" });
      expectError(res, 404, "not_found");
      expectError(
        await off.request("POST", "/api/chat", undefined, { eventId: "x-2", text: "帮助" }),
        401,
        "unauthorized",
      );
      expect(await off.database.db.select().from(chatEvents)).toEqual([]);
      expect(await off.database.db.select().from(chatSessions)).toEqual([]);
      expect((await off.request("GET", `/api/users/${admin.id}`, admin.token)).status).toBe(200);
    } finally {
      await off.close();
    }
  });

  it("is on by default and only on|off are accepted", () => {
    expect(loadConfig({}).chatApi).toBe(true);
    expect(loadConfig({ CHAT_API: "on" }).chatApi).toBe(true);
    expect(loadConfig({ CHAT_API: "off" }).chatApi).toBe(false);
    expect(() => loadConfig({ CHAT_API: "false" })).toThrow(/CHAT_API/);
  });
});
