import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approvals,
  chatCards,
  expenses,
  outbox,
  receipts,
  stockReports,
  visits,
} from "../../../src/db/schema";
import { blockKitViolations, payloadCount } from "./block-limits";
import { buildWorld, printAckTimes, type SlackApp, startSlackApp, waitFor } from "./harness";
import { type ApiCall, type StandIn, startStandIn } from "./stand-in";

const blocksOf = (c: ApiCall): any[] => (c.params.blocks ? JSON.parse(c.params.blocks) : []);
const buttonsOf = (c: ApiCall) =>
  blocksOf(c).flatMap((b) =>
    b.type === "actions" ? b.elements.filter((e: any) => e.type === "button") : [],
  );
const textOf = (c: ApiCall) => String(c.params.text ?? "");

describe("Slack: flows in DMs and slash commands, approvals on cards", () => {
  let api: StandIn;
  let app: SlackApp;
  let w: Awaited<ReturnType<typeof buildWorld>>;
  beforeAll(async () => {
    api = await startStandIn();
    app = await startSlackApp(api);
    w = await buildWorld(app);
  });
  afterAll(async () => {
    if (process.env.SLACK_DEBUG) {
      const { chatEvents } = await import("../../../src/db/schema");
      for (const e of await app.database.db.select().from(chatEvents))
        console.log(e.eventId, JSON.stringify(e.response).slice(0, 160));
    }
    if (process.env.SLACK_DEBUG)
      for (const c of api.calls)
        console.log(
          c.method,
          c.params.channel,
          textOf(c).slice(0, 120),
          buttonsOf(c)
            .map((b: any) => b.value)
            .join("|"),
        );
    await app.close();
    await api.close();
    const { median } = printAckTimes("flows");
    expect(median).toBeLessThan(500);
  });

  /** The next message the bot posts to a channel after `from` calls. */
  const nextPost = (channel: string, from: number, match: (c: ApiCall) => boolean = () => true) =>
    waitFor(
      () =>
        api.calls
          .slice(from)
          .find((c) => c.method === "chat.postMessage" && c.params.channel === channel && match(c)),
      8000,
      `a post to ${channel}`,
    );

  it("answers Slack's url_verification challenge", async () => {
    const r = await app.post(
      JSON.stringify({ type: "url_verification", challenge: "abc123" }),
      "application/json",
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ challenge: "abc123" });
  });

  it("logs a visit from a DM, confirmed with the card's button", async () => {
    const from = api.calls.length;
    const r = await app.dm("UREP", "拜访 协和 王主任 昨天 评级6 下周二复访");
    expect(r.status).toBe(200);
    const confirm = await nextPost("DREP", from, (c) => buttonsOf(c).length > 0);
    const fields = blocksOf(confirm).filter((b) => b.fields);
    expect(fields.length).toBeGreaterThan(0);
    const ok = buttonsOf(confirm).find((b: any) => b.value === "confirm");
    expect(ok?.action_id).toEqual(expect.any(String));
    const from2 = api.calls.length;
    await app.click("UREP", "DREP", ok.value, ok.action_id);
    await nextPost("DREP", from2);
    const [v] = await waitFor(() =>
      app.database.db
        .select()
        .from(visits)
        .all()
        .then((r) => (r.length ? r : null)),
    );
    expect(v).toMatchObject({ repId: w.rep, customerId: w.wang, rating: 6 });
  });

  it("reports stock with /stock and a typed confirmation", async () => {
    const from = api.calls.length;
    const r = await app.command("UREP", "/stock", "康美大药房 感冒灵 24盒 维C 10");
    expect(r.status).toBe(200);
    expect(r.text).toBe("");
    // The answer goes to the rep's DM (learnt from the DM above), not the channel typed in.
    const asked = await nextPost("DREP", from, (c) => textOf(c).includes("库存"));
    expect(buttonsOf(asked).map((b: any) => b.value)).toContain("confirm");
    const f = api.calls.length;
    await app.dm("UREP", "确认");
    await nextPost("DREP", f);
    const rows = await waitFor(() =>
      app.database.db
        .select()
        .from(stockReports)
        .all()
        .then((x) => (x.length ? x : null)),
    );
    expect(rows[0]).toMatchObject({ repId: w.rep, customerId: w.store });
  });

  let expenseId = "";
  it("submits an expense in a DM with the receipt shared as a file", async () => {
    api.files.set(
      "receipt-1.png",
      Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(64, 1)]),
    );
    let from = api.calls.length;
    await app.dm("UREP", "报销 餐费 320元 昨天 发票12345678");
    await nextPost("DREP", from, (c) => buttonsOf(c).some((b: any) => b.value === "receipt:skip"));
    from = api.calls.length;
    await app.dm("UREP", "", {
      subtype: "file_share",
      files: [
        {
          id: "F1",
          name: "receipt.png",
          mimetype: "image/png",
          size: 31,
          url_private_download: `${api.url}/files/receipt-1.png`,
        },
      ],
    });
    const download = await waitFor(() => api.of("file.get")[0]);
    expect(download.authorization).toBe("Bearer xoxb-test");
    let last = await nextPost("DREP", from);
    for (let i = 0; i < 3 && !buttonsOf(last).some((b: any) => b.value === "confirm"); i++) {
      const f = api.calls.length;
      await app.dm("UREP", "跳过");
      last = await nextPost("DREP", f);
    }
    from = api.calls.length;
    await app.click("UREP", "DREP", "confirm", "rm:0");
    await nextPost("DREP", from);
    const [e] = await waitFor(() =>
      app.database.db
        .select()
        .from(expenses)
        .all()
        .then((x) => (x.length ? x : null)),
    );
    expect(e).toMatchObject({ repId: w.rep, category: "meals", amountCny: 320, status: "pending" });
    expect(e.receiptIds.length).toBe(1);
    expect((await app.database.db.select().from(receipts).all()).length).toBe(1);
    expenseId = e.id;
  });

  it("the manager approves on the card; every card is updated and the requester is told", async () => {
    const card = await nextPost("UMGR", 0, (c) => buttonsOf(c).length === 2);
    const [approve, reject] = buttonsOf(card);
    expect(approve.value).toMatch(/^approval:approve:/);
    expect(reject.value).toMatch(/^approval:reject:/);
    expect(approve.action_id).not.toBe(reject.action_id);
    const from = api.calls.length;
    const r = await app.click("UMGR", "DMGR", approve.value, approve.action_id);
    expect(r.status).toBe(200);
    const updated = await waitFor(() =>
      api.calls.slice(from).find((c) => c.method === "chat.update" && c.params.channel === "DMGR"),
    );
    const [mgrCard] = await app.database.db.select().from(chatCards).where(eq(chatCards.address, "DMGR"));
    expect(updated.params.ts).toBe(JSON.parse(mgrCard.messageRef).ts);
    expect(buttonsOf(updated)).toEqual([]);
    expect(textOf(updated)).toContain("李经理");
    // Decide every remaining level from its own card until the request is final.
    for (let level = 2; level <= 4; level++) {
      const [e] = await app.database.db.select().from(expenses).where(eq(expenses.id, expenseId));
      if (e.status !== "pending") break;
      const pending = (
        await app.database.db.select().from(approvals).where(eq(approvals.subjectId, expenseId))
      ).find((a) => a.status === "pending")!;
      const next = await waitFor(() =>
        api
          .of("chat.postMessage")
          .find((c) => buttonsOf(c).some((b: any) => b.value === `approval:approve:${pending.id}`)),
      );
      await app.click(
        `U${next.params.channel.slice(1)}`,
        next.params.channel,
        `approval:approve:${pending.id}`,
      );
      await waitFor(
        async () =>
          (await app.database.db.select().from(approvals).where(eq(approvals.id, pending.id)))[0].status !==
          "pending",
      );
    }
    const [e] = await app.database.db.select().from(expenses).where(eq(expenses.id, expenseId));
    expect(e.status).toBe("approved");
    const cards = await app.database.db.select().from(chatCards).where(eq(chatCards.subjectId, expenseId));
    expect(cards.length).toBeGreaterThanOrEqual(2);
    // Each card's last edit shows the final outcome and carries no buttons.
    await waitFor(() =>
      cards.every((card) => {
        const ts = JSON.parse(card.messageRef).ts;
        const edits = api.of("chat.update").filter((c) => c.params.ts === ts);
        return (
          edits.length > 0 && textOf(edits.at(-1)!).includes("✅") && buttonsOf(edits.at(-1)!).length === 0
        );
      }),
    );
    const told = await nextPost("DREP", 0, (c) => textOf(c).includes(e.ref) && textOf(c).includes("已通过"));
    expect(textOf(told)).toContain("已通过");
    // The row is marked once Slack has answered, just after the message reached it.
    const result = await waitFor(async () => {
      const rows = await app.database.db.select().from(outbox).where(eq(outbox.template, "approval_result"));
      return rows.every((x) => x.status !== "sending") ? rows : null;
    });
    expect(result.map((x) => x.status)).toEqual(["sent"]);
  });

  it("a second click on a decided card explains, ephemerally, and changes nothing", async () => {
    const [level1] = (
      await app.database.db.select().from(approvals).where(eq(approvals.subjectId, expenseId))
    ).filter((a) => a.level === 1);
    const before = await app.database.db.select().from(approvals).where(eq(approvals.subjectId, expenseId));
    const from = api.calls.length;
    await app.click("UMGR", "DMGR", `approval:approve:${level1.id}`);
    const note = await waitFor(() => api.calls.slice(from).find((c) => c.method === "chat.postEphemeral"));
    expect(note.params).toMatchObject({ channel: "DMGR", user: "UMGR" });
    expect(textOf(note)).toContain("李经理");
    expect(await app.database.db.select().from(approvals).where(eq(approvals.subjectId, expenseId))).toEqual(
      before,
    );
  });

  it("every Block Kit payload the tests produced respects the limits", () => {
    expect(payloadCount(api.calls)).toBeGreaterThan(5);
    expect(blockKitViolations(api.calls)).toEqual([]);
  });
});
