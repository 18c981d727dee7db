import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, chatCards, expenses, outbox, users } from "../../../src/db/schema";
import { MAX_REASON_CHARS } from "../../../src/domain/approvals/decision";
import { localDate } from "../../../src/domain/dates";
import { blockKitViolations } from "./block-limits";
import { buildWorld, type SlackApp, startSlackApp, waitFor } from "./harness";
import { type ApiCall, type StandIn, startStandIn } from "./stand-in";

const blocksOf = (c: ApiCall): any[] => (c.params.blocks ? JSON.parse(c.params.blocks) : []);
const buttonsOf = (c: ApiCall) =>
  blocksOf(c).flatMap((b) =>
    b.type === "actions" ? b.elements.filter((e: any) => e.type === "button") : [],
  );
const textOf = (c: ApiCall) => String(c.params.text ?? "");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CJK = /[\u4e00-\u9fff]/;

describe("Slack edge cases: approval cards, the reject modal, malformed payloads, Web API failures", () => {
  let api: StandIn;
  let app: SlackApp;
  let w: Awaited<ReturnType<typeof buildWorld>>;
  beforeAll(async () => {
    api = await startStandIn();
    app = await startSlackApp(api);
    w = await buildWorld(app);
  });
  afterAll(async () => {
    await app.close();
    await api.close();
  });

  const db = () => app.database.db;
  const approvalRow = async (id: string) =>
    (await db().select().from(approvals).where(eq(approvals.id, id)))[0];
  const expenseRow = async (id: string) => (await db().select().from(expenses).where(eq(expenses.id, id)))[0];
  const since = (from: number, method: string) => api.calls.slice(from).filter((c) => c.method === method);
  /** Lets the outbox drain before counting what reached Slack. */
  const settle = () => sleep(600);

  let amount = 100;
  /** A pre-approval of ≤ 2,000 CNY (one level: the direct manager), its card posted to DMGR. */
  const submitExpense = async () => {
    amount += 7;
    const r = await app.composition.services.expenses.create(
      {
        repId: w.rep,
        kind: "pre_approval",
        category: "meals",
        amountCny: amount,
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
    // The card is recorded once Slack answered the post; its ts is what edits target.
    const [recorded] = await waitFor(async () => {
      const rows = await db().select().from(chatCards).where(eq(chatCards.subjectId, r.value.id));
      return rows.length ? rows : null;
    });
    const ts: string = JSON.parse(recorded.messageRef).ts;
    return { expense: r.value, approval, card: Object.assign(card, { ts }) };
  };
  const buttons = (card: ApiCall) => {
    const [approve, reject] = buttonsOf(card);
    return { approve, reject };
  };
  const payloadOf = (
    user: string,
    channel: string,
    action: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => ({
    type: "block_actions",
    team: { id: "T1" },
    user: { id: user },
    api_app_id: "A1",
    trigger_id: `trig-${Math.random()}`,
    channel: { id: channel },
    container: { type: "message", channel_id: channel, message_ts: "1.0" },
    actions: [action],
    ...extra,
  });
  const submitView = (user: string, view: any, reason: string, viewId = `V${Math.random()}`) =>
    app.interact({
      type: "view_submission",
      team: { id: "T1" },
      user: { id: user },
      api_app_id: "A1",
      view: {
        id: viewId,
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: { values: { reason: { reason: { type: "plain_text_input", value: reason } } } },
      },
    });
  const openRejectModal = async (user: string, channel: string, reject: any) => {
    const from = api.calls.length;
    const r = await app.click(user, channel, reject.value, reject.action_id);
    expect(r.status).toBe(200);
    const opened = await waitFor(() => since(from, "views.open")[0], 8000, "views.open");
    return { opened, view: JSON.parse(opened.params.view) };
  };

  describe("Approve on the card", () => {
    it("by the approver: decided once via slack, the card edited once without buttons", async () => {
      const { expense, approval, card } = await submitExpense();
      const { approve } = buttons(card);
      const from = api.calls.length;
      const action = {
        type: "button",
        action_id: approve.action_id,
        block_id: "b",
        value: approve.value,
        action_ts: "1700000001.000001",
      };
      const payload = payloadOf("UMGR", "DMGR", action);
      const first = await app.interact(payload);
      expect(first.status).toBe(200);
      expect(first.text).toBe("");
      await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
      // Slack replays the very same payload (a retry): nothing more happens.
      const again = await app.interact(payload);
      expect(again.status).toBe(200);
      await settle();
      const decided = await approvalRow(approval.id);
      expect(decided).toMatchObject({ status: "approved", decidedBy: w.manager, decidedVia: "slack" });
      expect((await expenseRow(expense.id)).status).toBe("approved");
      const edits = since(from, "chat.update").filter(
        (c) => c.params.ts === card.ts || c.params.channel === "DMGR",
      );
      expect(edits.length).toBe(1);
      expect(buttonsOf(edits[0])).toEqual([]);
      expect(textOf(edits[0])).toContain("李经理");
      expect(since(from, "chat.postEphemeral")).toEqual([]);
      // The requester hears the outcome exactly once.
      const results = (await db().select().from(outbox).where(eq(outbox.template, "approval_result"))).filter(
        (r) => (r.data as any).ref === expense.ref || JSON.stringify(r.data).includes(expense.ref),
      );
      expect(results.length).toBe(1);
    });

    it("a double click (two taps, two action_ts) decides once; the second tap is told who decided", async () => {
      const { approval, card } = await submitExpense();
      const { approve } = buttons(card);
      const from = api.calls.length;
      const [a, b] = await Promise.all([
        app.click("UMGR", "DMGR", approve.value, approve.action_id),
        app.click("UMGR", "DMGR", approve.value, approve.action_id),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
      const note = await waitFor(() => since(from, "chat.postEphemeral")[0], 8000, "an ephemeral note");
      expect(note.params.user).toBe("UMGR");
      expect(textOf(note)).toContain("李经理");
      await settle();
      expect(since(from, "chat.postEphemeral").length).toBe(1);
      expect(since(from, "chat.update").filter((c) => c.params.channel === "DMGR").length).toBe(1);
      const audit = (
        await db().select().from(approvals).where(eq(approvals.subjectId, approval.subjectId))
      ).filter((x) => x.decidedAt);
      expect(audit.length).toBe(1);
    });

    it("by someone else: refused with a note only they see, the card untouched", async () => {
      const { approval, card } = await submitExpense();
      const { approve } = buttons(card);
      for (const [slackUser, channel, expected] of [
        ["UREG", "DREG", "你不是这项申请的审批人"],
        ["UFIN", "DFIN", "你不是这项申请的审批人"],
        // The requester cannot approve their own request, even with a forged tap.
        ["UREP", "DREP", ""],
      ] as const) {
        const from = api.calls.length;
        const r = await app.click(slackUser, channel, approve.value, approve.action_id);
        expect(r.status).toBe(200);
        const note = await waitFor(() => since(from, "chat.postEphemeral")[0], 8000, "a refusal note");
        expect(note.params).toMatchObject({ user: slackUser, channel });
        if (expected) expect(textOf(note)).toContain(expected);
        await settle();
        expect(since(from, "chat.update")).toEqual([]);
        expect(since(from, "chat.postMessage")).toEqual([]);
      }
      expect(await approvalRow(approval.id)).toMatchObject({ status: "pending", decidedAt: null });
      // The real approver can still decide afterwards.
      await app.click("UMGR", "DMGR", approve.value, approve.action_id);
      await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
    });

    it("the refusal note is in the clicker's language", async () => {
      await db().update(users).set({ locale: "en" }).where(eq(users.id, w.regional));
      try {
        const { approval, card } = await submitExpense();
        const from = api.calls.length;
        await app.click("UREG", "DREG", buttons(card).approve.value, buttons(card).approve.action_id);
        const note = await waitFor(() => since(from, "chat.postEphemeral")[0]);
        expect(textOf(note)).toBe("You are not the approver of this request.");
        expect((await approvalRow(approval.id)).status).toBe("pending");
        await app.click("UMGR", "DMGR", buttons(card).approve.value, buttons(card).approve.action_id);
        await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
      } finally {
        await db().update(users).set({ locale: "zh-CN" }).where(eq(users.id, w.regional));
      }
    });

    it("if Slack will not open the reason modal, nothing is decided and the app carries on", async () => {
      const { approval, card } = await submitExpense();
      api.failNext("views.open", { status: 200, body: { ok: false, error: "expired_trigger_id" } });
      const r = await app.click("UMGR", "DMGR", buttons(card).reject.value, buttons(card).reject.action_id);
      expect(r.status).toBe(200);
      await settle();
      expect((await approvalRow(approval.id)).status).toBe("pending");
      await app.click("UMGR", "DMGR", buttons(card).approve.value, buttons(card).approve.action_id);
      await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
    });

    it("a stale card (decided elsewhere) is edited; a later tap on it decides nothing", async () => {
      const { expense, approval, card } = await submitExpense();
      const { approve, reject } = buttons(card);
      const from = api.calls.length;
      const r = await app.composition.services.approvals.decide(
        approval.id,
        { decision: "approve" },
        { id: w.manager, via: "api" },
      );
      expect(r.ok).toBe(true);
      const edit = await waitFor(
        () => since(from, "chat.update").find((c) => c.params.ts === card.ts),
        8000,
        "the card edit",
      );
      expect(buttonsOf(edit)).toEqual([]);
      expect(textOf(edit)).toContain("✅");
      const before = await approvalRow(approval.id);
      const from2 = api.calls.length;
      await app.click("UMGR", "DMGR", approve.value, approve.action_id);
      const note = await waitFor(() => since(from2, "chat.postEphemeral")[0], 8000, "a note");
      expect(textOf(note)).toContain("李经理");
      // Reject on the stale card: whatever the modal, no second decision.
      const maybeModal = await app.click("UMGR", "DMGR", reject.value, reject.action_id);
      expect(maybeModal.status).toBe(200);
      await sleep(300);
      const opened = since(from2, "views.open")[0];
      if (opened) {
        const view = JSON.parse(opened.params.view);
        const s = await submitView("UMGR", view, "其实不行");
        expect(s.status).toBe(200);
      }
      await settle();
      expect(await approvalRow(approval.id)).toEqual(before);
      expect((await expenseRow(expense.id)).status).toBe("approved");
      expect(since(from2, "chat.update")).toEqual([]);
      expect(since(from2, "chat.postMessage")).toEqual([]);
    });
  });

  describe("decisions taken outside the card", () => {
    it("`同意 <ref>` typed in the DM decides via slack and edits the card", async () => {
      const { expense, approval, card } = await submitExpense();
      const from = api.calls.length;
      await app.dm("UMGR", `同意 ${expense.ref.toLowerCase()}`);
      await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
      expect(await approvalRow(approval.id)).toMatchObject({ decidedBy: w.manager, decidedVia: "slack" });
      const edit = await waitFor(() => since(from, "chat.update").find((c) => c.params.ts === card.ts));
      expect(buttonsOf(edit)).toEqual([]);
      expect(textOf(edit)).toContain("李经理");
    });

    it("a request withdrawn by the rep edits the card; a later tap decides nothing", async () => {
      const { expense, approval, card } = await submitExpense();
      const from = api.calls.length;
      const r = await app.composition.services.expenses.cancel(expense.id, {
        id: w.rep,
        role: "rep",
        via: "api",
      } as never);
      expect(r.ok).toBe(true);
      const edit = await waitFor(() => since(from, "chat.update").find((c) => c.params.ts === card.ts));
      expect(buttonsOf(edit)).toEqual([]);
      expect(textOf(edit)).toContain("撤回");
      const before = await approvalRow(approval.id);
      const from2 = api.calls.length;
      await app.click("UMGR", "DMGR", buttons(card).approve.value, buttons(card).approve.action_id);
      const note = await waitFor(() => since(from2, "chat.postEphemeral")[0]);
      expect(note.params.user).toBe("UMGR");
      await settle();
      expect(await approvalRow(approval.id)).toEqual(before);
      expect((await expenseRow(expense.id)).status).toBe("cancelled");
    });
  });

  describe("Reject through the modal", () => {
    it("opens the reason modal (nothing decided yet); an empty reason is an error in the approver's language", async () => {
      const { approval, card } = await submitExpense();
      const { view } = await openRejectModal("UMGR", "DMGR", buttons(card).reject);
      expect(view.type).toBe("modal");
      expect(view.callback_id).toBe("approval_reject");
      expect(view.title.text).toMatch(CJK);
      expect((await approvalRow(approval.id)).status).toBe("pending");
      for (const empty of ["", "   ", "\n\t"]) {
        const r = await submitView("UMGR", view, empty);
        expect(r.status).toBe(200);
        expect(JSON.parse(r.text)).toEqual({
          response_action: "errors",
          errors: { reason: "请填写驳回理由。" },
        });
      }
      await settle();
      expect((await approvalRow(approval.id)).status).toBe("pending");
    });

    it("an English-speaking approver gets an English modal and English errors", async () => {
      await db().update(users).set({ locale: "en" }).where(eq(users.id, w.manager));
      try {
        const { approval, card } = await submitExpense();
        const { view } = await openRejectModal("UMGR", "DMGR", buttons(card).reject);
        expect(view.title.text).toBe("Reject request");
        const r = await submitView("UMGR", view, " ");
        expect(JSON.parse(r.text)).toEqual({
          response_action: "errors",
          errors: { reason: "Please give a reason." },
        });
        // The card itself reached them in English.
        expect(textOf(card)).not.toMatch(/审批|申请/);
        expect(buttonsOf(card).map((b: any) => b.text.text)).not.toEqual(
          expect.arrayContaining([expect.stringMatching(CJK)]),
        );
        expect((await approvalRow(approval.id)).status).toBe("pending");
      } finally {
        await db().update(users).set({ locale: "zh-CN" }).where(eq(users.id, w.manager));
      }
    });

    it("the modal accepts as long a reason as the service does (1,000 characters)", async () => {
      const { card } = await submitExpense();
      const { view } = await openRejectModal("UMGR", "DMGR", buttons(card).reject);
      const input = view.blocks.find((b: any) => b.type === "input");
      expect(input.element.max_length ?? 3000).toBeGreaterThanOrEqual(MAX_REASON_CHARS);
    });

    it("a reason over 1,000 characters is refused (never cut), nothing decided, the approver told why", async () => {
      const { approval, card } = await submitExpense();
      const { view } = await openRejectModal("UMGR", "DMGR", buttons(card).reject);
      const from = api.calls.length;
      const r = await submitView("UMGR", view, "理".repeat(MAX_REASON_CHARS + 1));
      expect(r.status).toBe(200);
      // Either the modal shows the error, or a note only the approver sees explains it.
      const inModal = r.text ? JSON.parse(r.text) : null;
      const told = inModal
        ? String(inModal.errors?.reason ?? "")
        : textOf(await waitFor(() => since(from, "chat.postEphemeral")[0], 8000, "a refusal note"));
      expect(told).toContain(String(MAX_REASON_CHARS));
      expect(told).toMatch(CJK);
      await settle();
      expect(await approvalRow(approval.id)).toMatchObject({
        status: "pending",
        reason: null,
        decidedAt: null,
      });
      expect(since(from, "chat.update")).toEqual([]);
      expect(since(from, "chat.postMessage")).toEqual([]);
    });

    it("a reason of exactly 1,000 characters decides, and is kept whole", async () => {
      const { expense, approval, card } = await submitExpense();
      const { view } = await openRejectModal("UMGR", "DMGR", buttons(card).reject);
      const reason = `发票抬头不对${"。".repeat(MAX_REASON_CHARS - 6)}`;
      const r = await submitView("UMGR", view, reason);
      expect(r.status).toBe(200);
      expect(r.text).toBe("");
      await waitFor(async () => (await expenseRow(expense.id)).status === "rejected");
      expect(await approvalRow(approval.id)).toMatchObject({
        status: "rejected",
        reason,
        decidedBy: w.manager,
        decidedVia: "slack",
      });
    });

    it("the same submission delivered twice rejects once; a submission by someone else is refused", async () => {
      const { expense, approval, card } = await submitExpense();
      const { view } = await openRejectModal("UMGR", "DMGR", buttons(card).reject);
      // Another manager replays the modal with its metadata: not theirs to decide.
      const from0 = api.calls.length;
      const intruder = await submitView("UREG", view, "我来驳回");
      expect(intruder.status).toBe(200);
      const note = await waitFor(() => since(from0, "chat.postEphemeral")[0], 8000, "a refusal");
      expect(note.params.user).toBe("UREG");
      expect((await approvalRow(approval.id)).status).toBe("pending");
      const from = api.calls.length;
      const [a, b] = await Promise.all([
        submitView("UMGR", view, "预算不足", "VTWICE"),
        submitView("UMGR", view, "预算不足", "VTWICE"),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await waitFor(async () => (await expenseRow(expense.id)).status === "rejected");
      await settle();
      expect(await approvalRow(approval.id)).toMatchObject({ status: "rejected", reason: "预算不足" });
      expect(since(from, "chat.update").filter((c) => c.params.ts === card.ts).length).toBe(1);
      expect(since(from, "chat.postEphemeral")).toEqual([]);
    });
  });

  describe("malformed interaction payloads", () => {
    const form = "application/x-www-form-urlencoded";
    const cases: [string, () => Promise<{ status: number; text: string }>][] = [
      ["block_actions without actions", () => app.interact({ type: "block_actions", user: { id: "UMGR" } })],
      ["actions: null", () => app.interact({ type: "block_actions", user: { id: "UMGR" }, actions: null })],
      [
        "actions: an object",
        () => app.interact({ type: "block_actions", user: { id: "UMGR" }, actions: { a: 1 } }),
      ],
      ["actions: []", () => app.interact({ type: "block_actions", user: { id: "UMGR" }, actions: [] })],
      [
        "actions: [null]",
        () => app.interact({ type: "block_actions", user: { id: "UMGR" }, actions: [null] }),
      ],
      [
        "an action without action_id",
        () => app.interact(payloadOf("UMGR", "DMGR", { value: "confirm", action_ts: "2.1" })),
      ],
      [
        "an unknown action_id",
        () =>
          app.interact(payloadOf("UMGR", "DMGR", { action_id: "zz:9", value: "confirm", action_ts: "2.2" })),
      ],
      [
        "a value that is a number",
        () => app.interact(payloadOf("UMGR", "DMGR", { action_id: "rm:0", value: 42, action_ts: "2.3" })),
      ],
      [
        "no user",
        () =>
          app.interact({
            ...payloadOf("UMGR", "DMGR", { action_id: "rm:0", value: "confirm", action_ts: "2.4" }),
            user: undefined,
          }),
      ],
      [
        "user is a string",
        () =>
          app.interact({
            ...payloadOf("UMGR", "DMGR", { action_id: "rm:0", value: "confirm", action_ts: "2.5" }),
            user: "UMGR",
          }),
      ],
      [
        "approve with no channel or container",
        () =>
          app.interact({
            type: "block_actions",
            user: { id: "UMGR" },
            trigger_id: "t",
            actions: [{ action_id: "rm:0", value: "approval:approve:does-not-exist", action_ts: "2.6" }],
          }),
      ],
      [
        "approve of an approval that does not exist",
        () =>
          app.interact(
            payloadOf("UMGR", "DMGR", {
              action_id: "rm:0",
              value: "approval:approve:nope",
              action_ts: "2.7",
            }),
          ),
      ],
      [
        "view_submission without a view",
        () => app.interact({ type: "view_submission", user: { id: "UMGR" } }),
      ],
      [
        "view_submission with garbage metadata",
        () =>
          app.interact({
            type: "view_submission",
            user: { id: "UMGR" },
            view: {
              id: "VG",
              callback_id: "approval_reject",
              private_metadata: "{not json",
              state: { values: {} },
            },
          }),
      ],
      [
        "view_submission with numeric metadata and no state",
        () =>
          app.interact({
            type: "view_submission",
            user: { id: "UMGR" },
            view: { id: "VN", callback_id: "approval_reject", private_metadata: 7 },
          }),
      ],
      [
        "view_submission without a user",
        () =>
          app.interact({
            type: "view_submission",
            view: {
              id: "VU",
              callback_id: "approval_reject",
              private_metadata: JSON.stringify({ approvalId: "x", channel: "DMGR", locale: "zh-CN" }),
              state: { values: { reason: { reason: { value: "理由" } } } },
            },
          }),
      ],
      [
        "view_submission of an unknown modal",
        () =>
          app.interact({
            type: "view_submission",
            user: { id: "UMGR" },
            view: { id: "VX", callback_id: "other" },
          }),
      ],
      ["an unknown interaction type", () => app.interact({ type: "message_action", user: { id: "UMGR" } })],
      [
        "event_callback without an event",
        () => app.post(JSON.stringify({ type: "event_callback", event_id: "EvNoEvent" }), "application/json"),
      ],
      [
        "event_callback whose event is a string",
        () =>
          app.post(
            JSON.stringify({ type: "event_callback", event_id: "EvStr", event: "message" }),
            "application/json",
          ),
      ],
      [
        "a message event with a numeric user and text",
        () =>
          app.post(
            JSON.stringify({
              type: "event_callback",
              event_id: "EvNum",
              event: { type: "message", channel_type: "im", channel: "DREP", user: 5, text: 7, ts: 1 },
            }),
            "application/json",
          ),
      ],
      [
        "a slash command without user_id",
        () => app.post(new URLSearchParams({ command: "/plan", text: "" }).toString(), form),
      ],
    ];
    for (const [name, send] of cases)
      it(`${name}: 200, no 500, no crash`, async () => {
        const r = await send();
        expect(r.status).toBe(200);
      });

    it("a payload that is not JSON, an array body or an empty body: a 4xx, never a 500", async () => {
      const statuses = [
        (await app.post("payload=%7Bnot-json", form)).status,
        (await app.post("[1,2]", "application/json")).status,
        (await app.post("", "application/json")).status,
      ];
      for (const s of statuses) {
        expect(s).toBeGreaterThanOrEqual(400);
        expect(s).toBeLessThan(500);
      }
    });

    it("after all of that the app still answers and decides normally", async () => {
      const health = await fetch(`${app.url}/api/health`);
      expect(health.status).toBe(200);
      const { approval, card } = await submitExpense();
      await app.click("UMGR", "DMGR", buttons(card).approve.value, buttons(card).approve.action_id);
      await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
    });
  });

  describe("Web API failures seen by the outbox", () => {
    const rowOf = async (key: string) =>
      (await db().select().from(outbox).where(eq(outbox.dedupeKey, key)))[0];
    const settled = (key: string) =>
      waitFor(async () => {
        const r = await rowOf(key);
        return r && r.status !== "pending" && r.status !== "sending" ? r : null;
      });
    /** Nothing queued or in flight: a failure told to the stand-in hits the row under test. */
    const quiet = async () => {
      await settle();
      await waitFor(async () =>
        (await db().select().from(outbox).all()).every(
          (r) => r.status !== "pending" && r.status !== "sending",
        ),
      );
    };
    const okPostsTo = (from: number, channel: string) =>
      since(from, "chat.postMessage").filter((c) => c.params.channel === channel).length;

    it("invalid_auth: dead at once, one attempt, not retried", async () => {
      await app.composition.services.settings.set("outbox.maxAttempts", 5, w.manager);
      await quiet();
      api.failNext("chat.postMessage", { status: 200, body: { ok: false, error: "invalid_auth" } });
      const from = api.calls.length;
      await app.dm("UREP", "帮助", { event_id: "EvAuth" });
      const row = await settled(`reply:EvAuth:0:slack:${w.rep}`);
      expect(row).toMatchObject({ status: "dead", attempts: 1 });
      expect(row.error).toContain("invalid_auth");
      app.clock.offset += 60 * 60_000;
      app.composition.outbox.kick();
      await settle();
      expect(okPostsTo(from, "DREP")).toBe(1);
    });

    it("channel_not_found: suppressed as a bad address, not retried", async () => {
      await quiet();
      api.failNext("chat.postMessage", { status: 200, body: { ok: false, error: "channel_not_found" } });
      const from = api.calls.length;
      await app.dm("UREP", "帮助", { event_id: "EvChan" });
      const row = await settled(`reply:EvChan:0:slack:${w.rep}`);
      expect(row.status === "suppressed" || row.status === "dead").toBe(true);
      expect(row.attempts).toBe(1);
      app.clock.offset += 60 * 60_000;
      app.composition.outbox.kick();
      await settle();
      expect(okPostsTo(from, "DREP")).toBe(1);
    });

    it("ratelimited (ok:false) is retried later and delivered once", async () => {
      await quiet();
      api.failNext("chat.postMessage", { status: 200, body: { ok: false, error: "ratelimited" } });
      const from = api.calls.length;
      await app.dm("UREP", "帮助", { event_id: "EvRl" });
      const key = `reply:EvRl:0:slack:${w.rep}`;
      const row = await settled(key);
      expect(row.status).toBe("retrying");
      app.clock.offset += 60 * 60_000;
      app.composition.outbox.kick();
      const sent = await waitFor(async () => ((await rowOf(key)).status === "sent" ? rowOf(key) : null));
      expect(sent?.attempts).toBe(2);
      await settle();
      expect(okPostsTo(from, "DREP")).toBe(2);
    });

    it("a 429 with Retry-After on a card edit waits it out, then edits once", async () => {
      const { approval, card } = await submitExpense();
      api.failNext("chat.update", { status: 429, retryAfter: 20, body: { ok: false, error: "ratelimited" } });
      const from = api.calls.length;
      await app.click("UMGR", "DMGR", buttons(card).approve.value, buttons(card).approve.action_id);
      await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
      const row = await waitFor(async () => {
        const rows = (await db().select().from(outbox).where(eq(outbox.template, "approval_card"))).filter(
          (r) => r.dedupeKey.includes(approval.id),
        );
        return rows[0]?.status === "retrying" ? rows[0] : null;
      });
      const waitMs = Date.parse(row.notBefore) - (Date.now() + app.clock.offset);
      expect(waitMs).toBeGreaterThan(15_000);
      expect(since(from, "chat.update").length).toBe(1);
      app.clock.offset += 21_000;
      app.composition.outbox.kick();
      await waitFor(async () => {
        const [r] = await db().select().from(outbox).where(eq(outbox.id, row.id));
        return r.status === "sent";
      });
      await settle();
      const edits = since(from, "chat.update").filter((c) => c.params.ts === card.ts);
      expect(edits.length).toBe(2);
      expect(buttonsOf(edits[1])).toEqual([]);
    });

    it("a card edit delayed by a 429 never overwrites a later, final outcome", async () => {
      // A reimbursement: the manager, then finance (two levels, two cards).
      const r = await app.composition.services.expenses.create(
        {
          repId: w.rep,
          kind: "reimbursement",
          category: "meals",
          amountCny: 133,
          date: localDate(new Date(), app.config.timeZone),
          description: "午餐",
          invoiceNo: "55550001",
        } as never,
        { id: w.rep, role: "rep", via: "api" },
      );
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const level1 = r.value.approvals.find((a) => a.status === "pending")!;
      const [card1] = await waitFor(async () => {
        const rows = await db().select().from(chatCards).where(eq(chatCards.subjectId, r.value.id));
        return rows.length ? rows : null;
      });
      const ts1: string = JSON.parse(card1.messageRef).ts;
      await quiet();
      // The "moved to the next approver" edit of the manager's card hits a 429.
      api.failNext("chat.update", { status: 429, retryAfter: 30 });
      const from = api.calls.length;
      await app.click("UMGR", "DMGR", `approval:approve:${level1.id}`);
      await waitFor(async () => (await approvalRow(level1.id)).status === "approved");
      const level2 = (await db().select().from(approvals).where(eq(approvals.subjectId, r.value.id))).find(
        (a) => a.status === "pending",
      )!;
      expect(level2).toBeDefined();
      await waitFor(() =>
        api
          .of("chat.postMessage")
          .find((c) => buttonsOf(c).some((b: any) => b.value === `approval:approve:${level2.id}`)),
      );
      await waitFor(
        async () =>
          (await db().select().from(chatCards).where(eq(chatCards.subjectId, r.value.id))).length >= 2,
      );
      // Finance decides the last level before the delayed edit is retried.
      const approver = (await db().select().from(users).where(eq(users.id, level2.approverId)))[0];
      await app.click(
        approver.slackUserId!,
        `D${approver.slackUserId!.slice(1)}`,
        `approval:approve:${level2.id}`,
      );
      await waitFor(async () => (await expenseRow(r.value.id)).status === "approved");
      await waitFor(() => since(from, "chat.update").filter((c) => c.params.ts === ts1).length >= 2);
      // Now the Retry-After has passed: whatever is retried, the card must end showing the final outcome.
      app.clock.offset += 31_000;
      app.composition.outbox.kick();
      await quiet();
      await settle();
      const edits = since(from, "chat.update").filter((c) => c.params.ts === ts1);
      const last = edits.at(-1)!;
      expect(textOf(last)).toContain("✅");
      expect(textOf(last)).not.toContain("➡️");
      expect(buttonsOf(last)).toEqual([]);
    });

    it("a 429 on an ephemeral note is retried, the note arrives once", async () => {
      const { approval, card } = await submitExpense();
      await app.click("UMGR", "DMGR", buttons(card).approve.value, buttons(card).approve.action_id);
      await waitFor(async () => (await approvalRow(approval.id)).status === "approved");
      api.failNext("chat.postEphemeral", { status: 429, retryAfter: 5 });
      const from = api.calls.length;
      await app.click("UMGR", "DMGR", buttons(card).approve.value, buttons(card).approve.action_id);
      await waitFor(() => since(from, "chat.postEphemeral")[0]);
      await sleep(300);
      app.clock.offset += 6_000;
      app.composition.outbox.kick();
      await waitFor(() => since(from, "chat.postEphemeral").length >= 2);
      await settle();
      expect(since(from, "chat.postEphemeral").length).toBe(2);
    });

    it("every Block Kit payload the tests produced respects the limits", () => {
      expect(blockKitViolations(api.calls)).toEqual([]);
    });
  });
});
