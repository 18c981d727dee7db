import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, nowIso } from "../../../src/db/ids";
import { chatSessions, expenses, users } from "../../../src/db/schema";
import { approvalReads } from "./approval-reads";
import { type WecomWorld, wecomWorld } from "./world";

/**
 * Edges of deciding by WeCom reply: multi-line reasons, a decision in the middle of a flow,
 * two people deciding at once, a delegate who is the requester, the last day of a
 * delegation, a withdrawn request, and what an English approver is sent.
 */

type Contact = Parameters<WecomWorld["inbox"]>[0];

let w: WecomWorld;
let sun: { id: string; c: Contact };
let amy: { id: string; c: Contact };
let zhou: { id: string; c: Contact };

const TODAY = "2026-11-23";

const addUser = async (
  name: string,
  role: "manager" | "rep",
  managerId: string | null,
  locale: "zh-CN" | "en",
) => {
  const c = w.contact(name);
  const id = newId();
  const at = nowIso();
  await w.database.db
    .insert(users)
    .values({ id, name, role, managerId, locale, wecomUserId: c.id, createdAt: at, updatedAt: at });
  return { id, c };
};

const submit = async (repId: string, over: Record<string, unknown> = {}) => {
  const r = await w.app.services.expenses.create(
    {
      kind: "pre_approval",
      category: "department_meeting",
      amountCny: 500,
      date: TODAY,
      description: "科室会",
      attendees: [],
      receiptIds: [],
      ...over,
      repId,
    } as Parameters<WecomWorld["app"]["services"]["expenses"]["create"]>[0],
    { id: repId, role: "rep", via: "wecom" },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  await w.app.outbox.drain();
  return r.value;
};

const { levelsOf, decisionAudits, resultNotices } = approvalReads(() => w.database);

const delegate = async (fromUserId: string, toUserId: string, until: string) => {
  const r = await w.app.services.approvals.setDelegation(fromUserId, toUserId, until, {
    id: fromUserId,
    role: "manager",
    via: "wecom",
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

beforeAll(async () => {
  w = await wecomWorld("2026-11-23T02:00:00Z"); // Monday 10:00 Shanghai
  sun = await addUser("孙经理", "manager", w.ids.regional, "zh-CN");
  amy = await addUser("Amy Chen", "manager", w.ids.regional, "en");
  zhou = await addUser("周敏", "rep", amy.id, "zh-CN");
});
afterAll(() => w.close());

describe("WeCom approval replies: edges", () => {
  it("a reason typed over two lines still rejects, keeping the whole reason", async () => {
    const e = await submit(w.ids.rep, { amountCny: 510 });
    const answer = await w.talk(w.contacts.manager, `驳回 ${e.ref} 发票抬头不对\n请重新开票后再提交`);
    expect(answer).toContain(`已驳回 ${e.ref}`);
    const [level] = await levelsOf(e.id);
    expect(level.status).toBe("rejected");
    expect(level.reason).toContain("发票抬头不对");
    expect(level.reason).toContain("请重新开票后再提交");
  });

  it("同意 E<n> with a second line (a thank-you) still approves", async () => {
    const e = await submit(w.ids.rep, { amountCny: 520 });
    const answer = await w.talk(w.contacts.manager, `同意 ${e.ref}\n辛苦了`);
    expect(answer).toContain(`已同意 ${e.ref}`);
    expect((await levelsOf(e.id))[0].status).toBe("approved");
  });

  it("a manager in the middle of an expense of his own approves, and his expense flow is still where it was", async () => {
    const e = await submit(w.ids.rep, { amountCny: 530 });
    const m = w.contacts.manager;
    expect(await w.talk(m, "报销 餐费 320元 昨天 发票55550001")).toContain("请发送票据照片");
    expect(await w.talk(m, `同意 ${e.ref}`)).toContain(`已同意 ${e.ref}`);
    expect((await levelsOf(e.id))[0].status).toBe("approved");
    const [session] = await w.database.db
      .select()
      .from(chatSessions)
      .where(eq(chatSessions.userId, w.ids.manager));
    expect(session).toMatchObject({ status: "active", flowId: "expense" });
    // The next line answers the question the flow was asking.
    expect(await w.talk(m, w.image())).toContain("票据：已收到票据");
    expect(await w.talk(m, "取消")).toContain("取消");
  });

  it("in a group, a mention with 同意 decides and is answered 1:1, never in the room", async () => {
    const e = await submit(w.ids.rep, { amountCny: 535 });
    const m = w.contacts.manager;
    const room = w.mocker.createRoom({ topic: "东城组", memberIdList: [w.me.id, m.id, w.contacts.rep.id] });
    const roomSaw: string[] = [];
    room.on("message", (x) => {
      if (x.payload.talkerId === w.me.id) roomSaw.push(x.payload.text ?? "");
    });
    const before = w.inbox(m).length;
    w.clock.t += 10_000;
    // Without a mention the bot stays out of the room's talk: nothing is decided.
    m.say(`同意 ${e.ref}`).to(room);
    expect(await w.settle(m, before, 40)).toEqual([]);
    expect((await levelsOf(e.id))[0].status).toBe("pending");
    m.say(`@RepMate 同意 ${e.ref}`, [w.me]).to(room);
    expect((await w.settle(m, before)).join("\n")).toContain(`已同意 ${e.ref}`);
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "approved", decidedVia: "wecom" });
    expect(roomSaw).toEqual([]);
  });

  it("a stranger's 同意 gets the one refusal and decides nothing", async () => {
    const e = await submit(w.ids.rep, { amountCny: 538 });
    const answer = await w.talk(w.contacts.stranger, `同意 ${e.ref}`);
    expect(answer).toContain("我还不认识你的账号");
    expect(answer).not.toContain(e.ref);
    expect((await levelsOf(e.id))[0].status).toBe("pending");
    expect(await decisionAudits(e.id)).toHaveLength(0);
  });

  it("approver and delegate reply at the same moment: one decision, one audit row, one notice, the other told who", async () => {
    await delegate(w.ids.manager, sun.id, "2026-11-30");
    const e = await submit(w.ids.rep, { amountCny: 540 });
    const m = w.contacts.manager;
    const mBefore = w.inbox(m).length;
    const sBefore = w.inbox(sun.c).length;
    const repBefore = w.inbox(w.contacts.rep).length;
    w.clock.t += 10_000;
    m.say(`同意 ${e.ref}`).to(w.me);
    sun.c.say(`同意 ${e.ref}`).to(w.me);
    const saidM = (await w.settle(m, mBefore)).join("\n");
    const saidS = (await w.settle(sun.c, sBefore)).join("\n");
    const won = [saidM, saidS].filter((s) => s.includes(`已同意 ${e.ref}`));
    const lost = [saidM, saidS].filter((s) => s.includes("处理过了"));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const [level] = await levelsOf(e.id);
    expect(level.status).toBe("approved");
    const winner = level.decidedBy === sun.id ? "孙经理" : "李经理";
    expect(lost[0]).toContain(winner);
    expect(await decisionAudits(e.id)).toHaveLength(1);
    expect(await resultNotices(e.id)).toHaveLength(1);
    const told = (await w.settle(w.contacts.rep, repBefore)).filter((x) => x.includes(e.ref));
    expect(told).toHaveLength(1);
  });

  it("a delegate who is the requester cannot approve their own request through the delegation", async () => {
    // 李经理 delegates to his own rep 王小明 (an odd choice, but allowed to name).
    await delegate(w.ids.manager, w.ids.rep, "2026-11-30");
    const e = await submit(w.ids.rep, { amountCny: 550 });
    const answer = await w.talk(w.contacts.rep, `同意 ${e.ref}`);
    expect(answer).toContain("不能审批自己的申请");
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "pending", decidedBy: null });
    expect(await decisionAudits(e.id)).toHaveLength(0);
    // Back to 孙经理 as the delegate for the tests below.
    await delegate(w.ids.manager, sun.id, "2026-11-25");
  });

  it("a delegation holds through its last day in company time and ends at local midnight", async () => {
    const e1 = await submit(w.ids.rep, { amountCny: 560 });
    const e2 = await submit(w.ids.rep, { amountCny: 570 });
    const saved = w.clock.t;
    try {
      // 2026-11-25 23:30 in Shanghai (15:30 UTC): still the last day.
      w.clock.t = Date.parse("2026-11-25T15:30:00Z");
      expect(await w.talk(sun.c, `同意 ${e1.ref}`)).toContain(`已同意 ${e1.ref}`);
      expect((await levelsOf(e1.id))[0]).toMatchObject({ status: "approved", decidedBy: sun.id });
      // 2026-11-26 00:30 in Shanghai (16:30 UTC on the 25th): over.
      w.clock.t = Date.parse("2026-11-25T16:30:00Z");
      const late = await w.talk(sun.c, `同意 ${e2.ref}`);
      expect(late).not.toContain("已同意");
      expect((await levelsOf(e2.id))[0]).toMatchObject({ status: "pending", decidedBy: null });
      // The approver is back and decides it himself.
      expect(await w.talk(w.contacts.manager, `同意 ${e2.ref}`)).toContain(`已同意 ${e2.ref}`);
    } finally {
      w.clock.t = saved;
    }
  });

  it("while the approver is away, the delegate is sent the request naming the replies", async () => {
    // 李经理 → 孙经理 until 2026-11-25 (set above); today is 2026-11-23.
    const before = w.inbox(sun.c).length;
    const e = await submit(w.ids.rep, { amountCny: 575 });
    const asked = (await w.settle(sun.c, before)).join("\n");
    expect(asked).toContain(`王小明 提交了费用申请 ${e.ref}`);
    expect(asked).toContain(`回复「同意 ${e.ref}」或「驳回 ${e.ref} 理由」`);
    // And the reply works for the delegate.
    expect(await w.talk(sun.c, `同意 ${e.ref}`)).toContain(`已同意 ${e.ref}`);
  });

  it("a withdrawn request: the approver's reply says so and decides nothing", async () => {
    const e = await submit(w.ids.rep, { amountCny: 580 });
    const cancelled = await w.app.services.expenses.cancel(e.id, {
      id: w.ids.rep,
      role: "rep",
      via: "wecom",
    });
    expect(cancelled.ok).toBe(true);
    const answer = await w.talk(w.contacts.manager, `同意 ${e.ref}`);
    expect(answer).toContain("王小明");
    expect(answer).not.toContain("已同意");
    expect((await levelsOf(e.id))[0].status).toBe("superseded");
    const [row] = await w.database.db.select().from(expenses).where(eq(expenses.id, e.id));
    expect(row.status).toBe("cancelled");
    expect(await decisionAudits(e.id)).toHaveLength(0);
    expect(await resultNotices(e.id)).toHaveLength(0);
  });

  it("an English approver is asked in English, naming the English replies", async () => {
    const before = w.inbox(amy.c).length;
    const e = await submit(zhou.id, { amountCny: 590 });
    const asked = (await w.settle(amy.c, before)).join("\n");
    expect(asked).toContain(`周敏 submitted pre-approval ${e.ref}`);
    expect(asked).toContain(`Reply “approve ${e.ref}” or “reject ${e.ref} <reason>”`);
    expect(asked).not.toMatch(/[同意驳回]/);
  });

  it("on WeCom the 审批 list tells how to decide (its buttons cannot be shown)", async () => {
    const e = await submit(w.ids.rep, { amountCny: 600 });
    const list = await w.talk(w.contacts.manager, "审批");
    expect(list).toContain(e.ref);
    // No buttons on WeCom: the list must name the reply words, as approval requests do.
    expect(list).toMatch(/同意 E\d+/);
    expect(list).toMatch(/驳回 E\d+/);
  });
});
