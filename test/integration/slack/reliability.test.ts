import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, chatEvents, expenses, outbox } from "../../../src/db/schema";
import { localDate } from "../../../src/domain/dates";
import { blockKitViolations } from "./block-limits";
import { buildWorld, printAckTimes, type SlackApp, sign, startSlackApp, waitFor } from "./harness";
import { type ApiCall, type StandIn, startStandIn } from "./stand-in";

const buttonsOf = (c: ApiCall) =>
  (c.params.blocks ? JSON.parse(c.params.blocks) : []).flatMap((b: any) =>
    b.type === "actions" ? b.elements.filter((e: any) => e.type === "button") : [],
  );
const textOf = (c: ApiCall) => String(c.params.text ?? "");

describe("Slack: signatures, retries, races and delivery failures", () => {
  let api: StandIn;
  let app: SlackApp;
  let w: Awaited<ReturnType<typeof buildWorld>>;
  beforeAll(async () => {
    api = await startStandIn();
    app = await startSlackApp(api);
    w = await buildWorld(app);
  });
  afterAll(async () => {
    expect(blockKitViolations(api.calls)).toEqual([]);
    printAckTimes("reliability");
    await app.close();
    await api.close();
  });

  const events = () => app.database.db.select().from(chatEvents).all();

  /** An expense straight through the service, its first card posted to the manager. */
  const submitExpense = async (amountCny: number) => {
    const r = await app.composition.services.expenses.create(
      {
        repId: w.rep,
        kind: "pre_approval",
        category: "meals",
        amountCny,
        date: localDate(new Date(), app.config.timeZone),
        description: "科室会餐费",
      } as never,
      { id: w.rep, role: "rep", via: "api" },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const approval = r.value.approvals.find((a) => a.status === "pending")!;
    const card = await waitFor(() =>
      api
        .of("chat.postMessage")
        .find((c) => buttonsOf(c).some((b: any) => b.value === `approval:approve:${approval.id}`)),
    );
    return { expense: r.value, approval, card };
  };

  it("refuses a bad signature and a 6-minute-old timestamp with 401, processing nothing", async () => {
    const before = { calls: api.calls.length, events: (await events()).length };
    const body = JSON.stringify({
      type: "event_callback",
      event_id: "EvForged",
      event: { type: "message", channel_type: "im", channel: "DREP", user: "UREP", text: "拜访", ts: "1.1" },
    });
    const now = Math.floor(Date.now() / 1000);
    const forged = await fetch(`${app.url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(now),
        "x-slack-signature": sign(body, now, "wrong-secret"),
      },
      body,
    });
    expect(forged.status).toBe(401);
    const stale = await app.post(body, "application/json", {}, now - 6 * 60);
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${app.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.calls.length).toBe(before.calls);
    expect((await events()).length).toBe(before.events);
  });

  it("processes an event delivered three times (with retry headers) once", async () => {
    const from = api.calls.length;
    const first = await app.dm("UREP", "帮助", { event_id: "EvTriple" });
    const again1 = await app.dm(
      "UREP",
      "帮助",
      { event_id: "EvTriple" },
      { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    );
    const again2 = await app.dm(
      "UREP",
      "帮助",
      { event_id: "EvTriple" },
      { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" },
    );
    expect([first.status, again1.status, again2.status]).toEqual([200, 200, 200]);
    await waitFor(() => api.calls.slice(from).some((c) => c.method === "chat.postMessage"));
    await new Promise((r) => setTimeout(r, 500));
    const rows = (await events()).filter((e) => e.eventId === "EvTriple");
    expect(rows.length).toBe(1);
    const replies = await app.database.db.select().from(outbox).all();
    expect(replies.filter((r) => r.dedupeKey.startsWith("reply:EvTriple:")).length).toBe(
      (rows[0].response as any).replies.length,
    );
    expect(api.calls.slice(from).filter((c) => c.method === "chat.postMessage").length).toBe(
      (rows[0].response as any).replies.length,
    );
  });

  it("tells an unknown Slack user to ask their admin, and nothing else; a matching e-mail links them once", async () => {
    const from = api.calls.length;
    await app.dm("USTRANGER", "拜访 协和");
    const reply = await waitFor(() => api.calls.slice(from).find((c) => c.method === "chat.postMessage"));
    expect(reply.params.channel).toBe("DSTRANGER");
    expect(textOf(reply)).toContain("管理员");
    await new Promise((r) => setTimeout(r, 300));
    expect(api.calls.slice(from).filter((c) => c.method === "chat.postMessage").length).toBe(1);
    // A user known by e-mail only: matched through users.info, then remembered.
    const { users } = await import("../../../src/db/schema");
    const { newId, nowIso } = await import("../../../src/db/ids");
    const newcomer = newId();
    await app.database.db.insert(users).values({
      id: newcomer,
      name: "周新人",
      role: "rep",
      managerId: w.manager,
      email: "newcomer@example.com",
      locale: "zh-CN",
      createdAt: nowIso(),
      updatedAt: nowIso(),
    });
    api.emails.set("UNEWDEP", "Newcomer@Example.com");
    const from2 = api.calls.length;
    await app.dm("UNEWDEP", "帮助");
    const help = await waitFor(() => api.calls.slice(from2).find((c) => c.method === "chat.postMessage"));
    expect(textOf(help)).not.toContain("管理员为你开通");
    expect((await w.userRow(newcomer))?.slackUserId).toBe("UNEWDEP");
    const infos = api.of("users.info").length;
    await app.dm("UNEWDEP", "帮助");
    await waitFor(() => api.calls.slice(from2).filter((c) => c.method === "chat.postMessage").length >= 2);
    expect(api.of("users.info").length).toBe(infos);
  });

  it("rejects through a modal: an empty reason comes back in the ack, a reason decides", async () => {
    const { expense, approval, card } = await submitExpense(210);
    const reject = buttonsOf(card).find((b: any) => b.value.startsWith("approval:reject:"));
    const from = api.calls.length;
    await app.click("UMGR", "DMGR", reject.value, reject.action_id);
    const opened = await waitFor(() => api.calls.slice(from).find((c) => c.method === "views.open"));
    const view = JSON.parse(opened.params.view);
    expect(view.callback_id).toBe("approval_reject");
    const submit = (reason: string) =>
      app.interact({
        type: "view_submission",
        team: { id: "T1" },
        user: { id: "UMGR" },
        api_app_id: "A1",
        view: {
          id: "V1",
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: { values: { reason: { reason: { type: "plain_text_input", value: reason } } } },
        },
      });
    const empty = await submit("   ");
    expect(JSON.parse(empty.text)).toMatchObject({
      response_action: "errors",
      errors: { reason: expect.any(String) },
    });
    expect(
      (await app.database.db.select().from(approvals).where(eq(approvals.id, approval.id)))[0].status,
    ).toBe("pending");
    const done = await submit("发票抬头不对");
    expect(done.status).toBe(200);
    expect(done.text).toBe("");
    await waitFor(
      async () =>
        (await app.database.db.select().from(expenses).where(eq(expenses.id, expense.id)))[0].status ===
        "rejected",
    );
    const edit = await waitFor(() =>
      api.of("chat.update").find((c) => c.params.channel === "DMGR" && textOf(c).includes("发票抬头不对")),
    );
    expect(buttonsOf(edit)).toEqual([]);
    // Someone not entitled taps the (stale) card: an explanation only they see, nothing changes.
    const from2 = api.calls.length;
    await app.click("UFIN", "DFIN", `approval:approve:${approval.id}`);
    const note = await waitFor(() => api.calls.slice(from2).find((c) => c.method === "chat.postEphemeral"));
    expect(note.params.user).toBe("UFIN");
    expect((await app.database.db.select().from(expenses).where(eq(expenses.id, expense.id)))[0].status).toBe(
      "rejected",
    );
  });

  it("two approvers clicking at the same moment: one decision, both cards updated", async () => {
    const until = localDate(new Date(Date.now() + 7 * 86_400_000), app.config.timeZone);
    const d = await app.composition.services.approvals.setDelegation(w.manager, w.deputy, until, {
      id: w.manager,
      role: "manager",
      via: "api",
    });
    expect(d.ok).toBe(true);
    const { expense, approval } = await submitExpense(230);
    // The deputy holds a copy of the card (as a forwarded card would be).
    const [row] = await app.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.template, "approval_request"))
      .all()
      .then((r) => r.filter((x) => (x.data as any).approvalId === approval.id));
    await app.composition.outbox.enqueue([
      {
        channel: "slack",
        recipientType: "user",
        recipientId: w.deputy,
        template: "approval_request",
        locale: "zh-CN",
        data: row.data,
        dedupeKey: `approval:${approval.id}:copy:slack:${w.deputy}`,
      },
    ]);
    await waitFor(() =>
      api.of("chat.postMessage").find((c) => c.params.channel === "UDEP" && buttonsOf(c).length === 2),
    );
    const from = api.calls.length;
    const value = `approval:approve:${approval.id}`;
    await Promise.all([app.click("UMGR", "DMGR", value), app.click("UDEP", "DDEP", value)]);
    await waitFor(() => api.calls.slice(from).filter((c) => c.method === "chat.update").length >= 2);
    const updates = api.calls.slice(from).filter((c) => c.method === "chat.update");
    expect(new Set(updates.map((c) => c.params.channel))).toEqual(new Set(["DMGR", "DDEP"]));
    const [decided] = await app.database.db.select().from(approvals).where(eq(approvals.id, approval.id));
    expect(decided.status).toBe("approved");
    const loser = decided.decidedBy === w.manager ? "UDEP" : "UMGR";
    const note = await waitFor(() => api.calls.slice(from).find((c) => c.method === "chat.postEphemeral"));
    expect(note.params.user).toBe(loser);
    const audit = (
      await app.database.db.select().from(approvals).where(eq(approvals.subjectId, expense.id))
    ).filter((a) => a.decidedAt);
    expect(audit.length).toBe(1);
  });

  it("waits out a 429's Retry-After, then delivers", async () => {
    await app.composition.services.settings.set("outbox.maxAttempts", 8, w.manager);
    api.failNext("chat.postMessage", { status: 429, retryAfter: 30 });
    const from = api.calls.length;
    await app.dm("UREP", "帮助", { event_id: "Ev429" });
    await waitFor(() => api.calls.slice(from).some((c) => c.method === "chat.postMessage"));
    const row = await waitFor(async () => {
      const [r] = await app.database.db
        .select()
        .from(outbox)
        .where(eq(outbox.dedupeKey, `reply:Ev429:0:slack:${w.rep}`));
      return r?.status === "retrying" ? r : null;
    });
    const waitMs = Date.parse(row.notBefore) - Date.now() - app.clock.offset;
    expect(waitMs).toBeGreaterThan(25_000);
    app.clock.offset += 31_000;
    app.composition.outbox.kick();
    const sent = await waitFor(async () => {
      const [r] = await app.database.db.select().from(outbox).where(eq(outbox.id, row.id));
      return r.status === "sent" ? r : null;
    });
    expect(sent.attempts).toBe(2);
  });

  it("retries a 500 with backoff, then marks it dead with the error", async () => {
    await app.composition.services.settings.set("outbox.maxAttempts", 3, w.manager);
    api.failNext("chat.postMessage", { status: 500 }, { status: 500 }, { status: 500 });
    await app.dm("UREP", "帮助", { event_id: "Ev500" });
    const key = `reply:Ev500:0:slack:${w.rep}`;
    const notBefores: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const r = await waitFor(async () => {
        const [x] = await app.database.db.select().from(outbox).where(eq(outbox.dedupeKey, key));
        return x && x.attempts === attempt && x.status !== "sending" && x.status !== "pending" ? x : null;
      });
      if (r.status === "dead") {
        expect(attempt).toBe(3);
        expect(r.error).toMatch(/500/);
        break;
      }
      notBefores.push(Date.parse(r.notBefore) - (Date.now() + app.clock.offset));
      app.clock.offset += 40 * 60_000;
      app.composition.outbox.kick();
    }
    const [dead] = await app.database.db.select().from(outbox).where(eq(outbox.dedupeKey, key));
    expect(dead.status).toBe("dead");
    expect(notBefores.length).toBe(2);
    expect(notBefores[1]).toBeGreaterThan(notBefores[0]);
  });
});

describe("Slack unreachable", () => {
  it("starts, and /api/health answers within 10 s, with SLACK_API_URL on a closed port", async () => {
    const closed = await startStandIn();
    await closed.close();
    const started = Date.now();
    const app = await startSlackApp(closed, { SLACK_BOT_ID: "", SLACK_BOT_USER_ID: "" });
    const res = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(10_000) });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    // The deferred auth.test failed and was handled: reported, not fatal.
    await waitFor(
      async () => ((await (await fetch(`${app.url}/api/health`)).json()) as any).platforms.slack === "error",
    );
    expect(["on", "error"]).toContain(body.platforms.slack);
    await app.close();
  });
});
