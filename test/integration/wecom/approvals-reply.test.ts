import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as PUPPET from "wechaty-puppet";
import { newId, nowIso } from "../../../src/db/ids";
import { approvals, outbox, users } from "../../../src/db/schema";
import { approvalReads } from "./approval-reads";
import { type WecomWorld, wecomWorld } from "./world";

/**
 * Managers deciding expenses by replying in WeCom (CONTRACT.md "Approval replies",
 * DOMAIN.md §5): `同意 E42` / `驳回 E42 理由` / `approve E42` / `reject E42 reason`,
 * through the real Wechaty bot on the mock puppet, the real engine and libSQL.
 */

type Contact = Parameters<WecomWorld["inbox"]>[0];

let w: WecomWorld;
/** Extra people: an English-speaking manager with a zh-CN rep, and finance. */
let amy: { id: string; c: Contact };
let zhou: { id: string; c: Contact };
let finance: { id: string; c: Contact };
/** A manager of another team (under the regional head) with a rep of their own. */
let sun: { id: string; c: Contact };

const TODAY = "2026-11-23";

const addUser = async (
  name: string,
  role: "manager" | "rep" | "finance",
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

let invoiceSeq = 0;
/** A request submitted by a rep (as the expense flow would); the approver's notice is delivered. */
const submit = async (repId: string, over: Record<string, unknown> = {}) => {
  const r = await w.app.services.expenses.create(
    {
      kind: "pre_approval",
      category: "department_meeting",
      amountCny: 800,
      date: TODAY,
      description: "心内科科室会",
      attendees: [],
      receiptIds: [],
      ...(over.kind === "reimbursement" ? { invoiceNo: `INV${Date.now()}${++invoiceSeq}` } : {}),
      ...over,
      repId,
    } as Parameters<WecomWorld["app"]["services"]["expenses"]["create"]>[0],
    { id: repId, role: "rep", via: "wecom" },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  await w.app.outbox.drain();
  return r.value;
};

const { levelsOf, expenseOf, decisionAudits, resultNotices } = approvalReads(() => w.database);

/** Waits for what the bot says to someone who should hear nothing more. */
const quiet = async (c: Contact, before: number) => w.settle(c, before, 40);

beforeAll(async () => {
  w = await wecomWorld("2026-11-23T02:00:00Z"); // Monday 10:00 Shanghai
  amy = await addUser("Amy Chen", "manager", w.ids.regional, "en");
  zhou = await addUser("周敏", "rep", amy.id, "zh-CN");
  finance = await addUser("钱财务", "finance", null, "zh-CN");
  sun = await addUser("孙经理", "manager", w.ids.regional, "zh-CN");
});
afterAll(() => w.close());

describe("WeCom approval replies: 同意 / 驳回 by ref", () => {
  it("同意 E<n>: the level is approved via wecom, the manager is told, the rep hears it once", async () => {
    const e = await submit(w.ids.rep);
    const repBefore = w.inbox(w.contacts.rep).length;
    const answer = await w.talk(w.contacts.manager, `同意 ${e.ref}`);
    expect(answer).toContain(`已同意 ${e.ref}`);
    const [level] = await levelsOf(e.id);
    expect(level).toMatchObject({
      status: "approved",
      decidedBy: w.ids.manager,
      decidedVia: "wecom",
      reason: null,
    });
    expect((await expenseOf(e.id)).status).toBe("approved");
    const told = await w.settle(w.contacts.rep, repBefore);
    const aboutIt = told.filter((m) => m.includes(e.ref));
    expect(aboutIt).toHaveLength(1);
    expect(aboutIt[0]).toContain("已通过");
    expect(aboutIt[0]).toContain("李经理");
    expect(await resultNotices(e.id)).toHaveLength(1);
    const audits = await decisionAudits(e.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: w.ids.manager, via: "wecom", action: "approve" });
  });

  it("驳回 E<n> 理由: rejected with the reason; the rep hears who and why, once", async () => {
    const e = await submit(w.ids.rep, { amountCny: 650 });
    const repBefore = w.inbox(w.contacts.rep).length;
    const answer = await w.talk(w.contacts.manager, `驳回 ${e.ref} 参会人数不足`);
    expect(answer).toContain(`已驳回 ${e.ref}`);
    expect(answer).toContain("参会人数不足");
    const [level] = await levelsOf(e.id);
    expect(level).toMatchObject({ status: "rejected", decidedBy: w.ids.manager, reason: "参会人数不足" });
    expect((await expenseOf(e.id)).status).toBe("rejected");
    const told = (await w.settle(w.contacts.rep, repBefore)).filter((m) => m.includes(e.ref));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("驳回");
    expect(told[0]).toContain("参会人数不足");
    expect(told[0]).toContain("李经理");
    const audits = await decisionAudits(e.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: w.ids.manager, action: "reject", via: "wecom" });
  });

  it("驳回 E<n> without a reason: asks for one and says how; the request stays pending, nobody is told", async () => {
    const e = await submit(w.ids.rep, { amountCny: 310 });
    const repBefore = w.inbox(w.contacts.rep).length;
    const answer = await w.talk(w.contacts.manager, `驳回 ${e.ref}`);
    expect(answer).toContain("理由");
    // Says how: the reply form with a reason after the ref.
    expect(answer).toMatch(/驳回 E\d+ \S+/);
    const [level] = await levelsOf(e.id);
    expect(level.status).toBe("pending");
    expect((await expenseOf(e.id)).status).toBe("pending");
    expect(await decisionAudits(e.id)).toHaveLength(0);
    expect(await resultNotices(e.id)).toHaveLength(0);
    expect(await quiet(w.contacts.rep, repBefore)).toEqual([]);
    // Then with a reason it goes through.
    expect(await w.talk(w.contacts.manager, `驳回 ${e.ref}：发票抬头不对`)).toContain(`已驳回 ${e.ref}`);
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "rejected", reason: "发票抬头不对" });
  });

  it("the reply asking for the reason names the request being rejected, not an example ref", async () => {
    const e = await submit(w.ids.rep, { amountCny: 315 });
    const answer = await w.talk(w.contacts.manager, `驳回 ${e.ref}`);
    // "驳回 E42 发票抬头不对" copied from the answer would reject another request.
    expect(answer).toMatch(new RegExp(`驳回 ${e.ref}(?!\\d)`));
    expect(answer.match(/E\d+/g)?.every((r) => r === e.ref)).toBe(true);
    expect((await levelsOf(e.id))[0].status).toBe("pending");
  });

  it("驳回 E<n> alone, then the reason on its own line and 确认: rejected with that reason, once", async () => {
    const e = await submit(w.ids.rep, { amountCny: 316 });
    const repBefore = w.inbox(w.contacts.rep).length;
    await w.talk(w.contacts.manager, `驳回 ${e.ref}`);
    expect(await w.talk(w.contacts.manager, "预算已超")).toContain("预算已超");
    expect((await levelsOf(e.id))[0].status).toBe("pending");
    expect(await w.talk(w.contacts.manager, "确认")).toContain(`已驳回 ${e.ref}：预算已超`);
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "rejected", reason: "预算已超" });
    expect(await decisionAudits(e.id)).toHaveLength(1);
    expect((await w.settle(w.contacts.rep, repBefore)).filter((m) => m.includes(e.ref))).toHaveLength(1);
  });

  it("a reason longer than 1,000 characters is refused whole, saying the limit; nothing is cut or decided", async () => {
    const e = await submit(w.ids.rep, { amountCny: 318 });
    const answer = await w.talk(w.contacts.manager, `驳回 ${e.ref} ${"超".repeat(2400)}`);
    expect(answer).toContain("1000");
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "pending", reason: null });
    expect(await decisionAudits(e.id)).toHaveLength(0);
  });

  it("already decided: the answer says how it was decided, not only by whom", async () => {
    const e = await submit(w.ids.rep, { amountCny: 319 });
    await w.talk(w.contacts.manager, `驳回 ${e.ref} 重复`);
    expect(await w.talk(w.contacts.manager, `同意 ${e.ref}`)).toMatch(/已由 李经理 于 .+ 驳回/);
  });

  it("驳回 with the ref of a request that is not the replier's: refused at once, no reason asked", async () => {
    const e = await submit(w.ids.rep, { amountCny: 317 });
    const answer = await w.talk(w.contacts.rep, `驳回 ${e.ref}`);
    expect(answer).toBe("不能审批自己的申请。");
    expect((await levelsOf(e.id))[0].status).toBe("pending");
  });

  it.each([
    ["lowercase, no space", (ref: string) => `同意${ref.toLowerCase()}`],
    ["ideographic space and full-width letter", (ref: string) => `同意　Ｅ${ref.slice(1)}`],
    [
      "full-width digits",
      (ref: string) => `同意 E${ref.slice(1).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}`,
    ],
    ["extra spaces around", (ref: string) => `   同意    ${ref}   `],
    ["English, lowercase", (ref: string) => `approve ${ref.toLowerCase()}`],
    ["English, capitalised", (ref: string) => `Approve ${ref}`],
  ])("同意 variant (%s) approves exactly that request", async (_name, form) => {
    const e = await submit(w.ids.rep, { amountCny: 120 });
    const answer = await w.talk(w.contacts.manager, form(e.ref));
    expect(answer).toContain(e.ref);
    expect(answer).toMatch(/已同意/);
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "approved", decidedBy: w.ids.manager });
    expect(await decisionAudits(e.id)).toHaveLength(1);
  });

  it.each([
    ["full-width, no space", (ref: string) => `驳回ｅ${ref.slice(1)}　金额不对`],
    ["English", (ref: string) => `reject ${ref.toLowerCase()} wrong amount`],
  ])("驳回 variant (%s) rejects with the reason", async (_name, form) => {
    const e = await submit(w.ids.rep, { amountCny: 130 });
    const answer = await w.talk(w.contacts.manager, form(e.ref));
    expect(answer).toContain(`已驳回 ${e.ref}`);
    const [level] = await levelsOf(e.id);
    expect(level.status).toBe("rejected");
    expect(level.reason).toMatch(/^(金额不对|wrong amount)$/);
  });

  it("an unknown ref: says there is no such request, decides nothing", async () => {
    const pendingBefore = (await w.database.db.select().from(approvals)).filter(
      (a) => a.status === "pending",
    ).length;
    const answer = await w.talk(w.contacts.manager, "同意 E9999");
    expect(answer).toContain("没有编号为 E9999 的申请");
    const pendingAfter = (await w.database.db.select().from(approvals)).filter(
      (a) => a.status === "pending",
    ).length;
    expect(pendingAfter).toBe(pendingBefore);
  });

  it("another team's request: 'not yours', nothing decided, nobody told", async () => {
    const e = await submit(zhou.id); // Amy's rep
    const before = w.inbox(zhou.c).length;
    const answer = await w.talk(sun.c, `同意 ${e.ref}`);
    expect(answer).toContain(`${e.ref} 不在你的待审批列表里`);
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "pending", approverId: amy.id });
    expect(await decisionAudits(e.id)).toHaveLength(0);
    expect(await quiet(zhou.c, before)).toEqual([]);
    // A rep cannot approve a colleague's request either.
    expect(await w.talk(w.contacts.repEn, `approve ${e.ref}`)).toContain(`${e.ref} is not waiting for you`);
    expect((await levelsOf(e.id))[0].status).toBe("pending");
  });

  it("one's own request: refused as own, even for a manager", async () => {
    const e = await submit(w.ids.manager); // approved by the regional head
    const answer = await w.talk(w.contacts.manager, `同意 ${e.ref}`);
    expect(answer).toContain("不能审批自己的申请");
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "pending", approverId: w.ids.regional });
    const rep = await submit(w.ids.rep, { amountCny: 90 });
    expect(await w.talk(w.contacts.rep, `同意 ${rep.ref}`)).toContain("不能审批自己的申请");
    expect((await levelsOf(rep.id))[0].status).toBe("pending");
  });

  it("already decided: says by whom and when; no second decision, no second notice", async () => {
    const e = await submit(w.ids.rep, { amountCny: 222 });
    expect(await w.talk(w.contacts.manager, `同意 ${e.ref}`)).toContain(`已同意 ${e.ref}`);
    const decided = (await levelsOf(e.id))[0];
    await w.settle(w.contacts.rep, 0);
    const repBefore = w.inbox(w.contacts.rep).length;
    w.clock.t += 3 * 60_000;
    const again = await w.talk(w.contacts.manager, `驳回 ${e.ref} 改主意了`);
    expect(again).toContain("李经理");
    // When: the decision's local time (Asia/Shanghai) 2026-11-23 10:xx.
    expect(again).toMatch(/2026-11-23.?10:\d\d/);
    expect(again).not.toContain("已驳回");
    expect((await levelsOf(e.id))[0]).toEqual(decided);
    expect((await expenseOf(e.id)).status).toBe("approved");
    expect(await decisionAudits(e.id)).toHaveLength(1);
    expect(await resultNotices(e.id)).toHaveLength(1);
    expect(await quiet(w.contacts.rep, repBefore)).toEqual([]);
  });

  it("the same message delivered twice decides once and is answered once", async () => {
    const e = await submit(w.ids.rep, { amountCny: 333 });
    const m = w.contacts.manager;
    const before = w.inbox(m).length;
    const repBefore = w.inbox(w.contacts.rep).length;
    const messageId = `redelivered-${e.ref}`;
    w.mocker.MessageMock.create({
      id: messageId,
      talkerId: m.id,
      listenerId: w.me.id,
      timestamp: Date.now(),
      type: PUPPET.types.Message.Text,
      text: `同意 ${e.ref}`,
    });
    // Count what reaches the engine, so the test proves both deliveries got that far.
    const engine = w.app.engine;
    const original = engine.handle;
    const seen: string[] = [];
    engine.handle = (msg, ...rest) => {
      if (msg.eventId === messageId) seen.push(msg.eventId);
      return original(msg, ...rest);
    };
    let said: string[];
    let all: string[];
    try {
      w.clock.t += 10_000;
      w.puppet.emit("message", { messageId });
      await w.settle(m, before);
      w.puppet.emit("message", { messageId });
      said = await w.settle(m, before);
      await new Promise((r) => setTimeout(r, 150));
      all = (await w.settle(m, before)).filter((x) => x.includes(e.ref));
    } finally {
      engine.handle = original;
    }
    expect(seen).toHaveLength(2);
    expect(said.length).toBeGreaterThan(0);
    expect(all).toHaveLength(1);
    expect(all[0]).toContain(`已同意 ${e.ref}`);
    expect(await decisionAudits(e.id)).toHaveLength(1);
    expect(await resultNotices(e.id)).toHaveLength(1);
    const told = (await w.settle(w.contacts.rep, repBefore)).filter((x) => x.includes(e.ref));
    expect(told).toHaveLength(1);
  });
});

describe("WeCom approval replies: chains, delegation, languages", () => {
  it("above 2,000: the regional head is not yet due, then is asked and decides; the rep hears once, at the end", async () => {
    const e = await submit(w.ids.rep, { amountCny: 3200 });
    const regional = w.contacts.regional;
    expect(await w.talk(regional, `同意 ${e.ref}`)).toContain("还没轮到你这一级审批");
    expect((await levelsOf(e.id)).map((l) => l.status)).toEqual(["pending", "waiting"]);

    const regionalBefore = w.inbox(regional).length;
    const repBefore = w.inbox(w.contacts.rep).length;
    expect(await w.talk(w.contacts.manager, `同意 ${e.ref}`)).toContain(`已同意 ${e.ref}`);
    const asked = (await w.settle(regional, regionalBefore)).join("\n");
    expect(asked).toContain(`王小明 提交了费用申请 ${e.ref}`);
    expect(asked).toContain(`回复「同意 ${e.ref}」或「驳回 ${e.ref} 理由」`);
    expect((await levelsOf(e.id)).map((l) => l.status)).toEqual(["approved", "pending"]);
    expect((await expenseOf(e.id)).status).toBe("pending");

    expect(await w.talk(regional, `同意 ${e.ref}`)).toContain(`已同意 ${e.ref}`);
    expect((await levelsOf(e.id)).map((l) => l.status)).toEqual(["approved", "approved"]);
    expect((await expenseOf(e.id)).status).toBe("approved");
    const audits = await decisionAudits(e.id);
    expect(audits.map((a) => a.actorId).sort()).toEqual([w.ids.manager, w.ids.regional].sort());
    const told = (await w.settle(w.contacts.rep, repBefore)).filter((m) => m.includes(e.ref));
    expect(told.filter((m) => m.includes("已通过"))).toHaveLength(1);
    expect(await resultNotices(e.id)).toHaveLength(1);
  });

  it("a reimbursement: finance confirms after the manager; finance's early reply is 'not your turn'", async () => {
    const e = await submit(w.ids.rep, { kind: "reimbursement", category: "meals", amountCny: 280 });
    const levels = await levelsOf(e.id);
    expect(levels.map((l) => l.approverId)).toEqual([w.ids.manager, finance.id]);
    expect(await w.talk(finance.c, `同意 ${e.ref}`)).toContain("还没轮到你这一级审批");
    const financeBefore = w.inbox(finance.c).length;
    expect(await w.talk(w.contacts.manager, `同意 ${e.ref}`)).toContain(`已同意 ${e.ref}`);
    expect((await w.settle(finance.c, financeBefore)).join("\n")).toContain(`回复「同意 ${e.ref}」`);
    const repBefore = w.inbox(w.contacts.rep).length;
    expect(await w.talk(finance.c, `驳回 ${e.ref} 发票与金额不符`)).toContain(`已驳回 ${e.ref}`);
    expect((await levelsOf(e.id)).map((l) => l.status)).toEqual(["approved", "rejected"]);
    const told = (await w.settle(w.contacts.rep, repBefore)).filter((m) => m.includes(e.ref));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("钱财务");
    expect(told[0]).toContain("发票与金额不符");
    // The manager replying again is told his level was decided already; nothing changes.
    const late = await w.talk(w.contacts.manager, `同意 ${e.ref}`);
    expect(late).toContain("李经理");
    expect(late).not.toContain("已同意");
    expect((await levelsOf(e.id)).map((l) => l.status)).toEqual(["approved", "rejected"]);
    expect(await decisionAudits(e.id)).toHaveLength(2);
  });

  it("a rejection at the first level closes the later ones; the regional head hears who rejected", async () => {
    const e = await submit(w.ids.rep, { amountCny: 2600 });
    await w.talk(w.contacts.manager, `驳回 ${e.ref} 超标`);
    expect((await levelsOf(e.id)).map((l) => l.status)).toEqual(["rejected", "superseded"]);
    const answer = await w.talk(w.contacts.regional, `同意 ${e.ref}`);
    expect(answer).toContain("李经理");
    expect((await levelsOf(e.id)).map((l) => l.status)).toEqual(["rejected", "superseded"]);
  });

  it("the top of the hierarchy: the admin-named approver decides by reply; the head cannot approve their own", async () => {
    await w.app.services.settings.set("approval.fallbackApproverId", sun.id, "test");
    const e = await submit(w.ids.regional, { amountCny: 700 });
    expect((await levelsOf(e.id)).map((l) => l.approverId)).toEqual([sun.id]);
    expect(await w.talk(w.contacts.regional, `同意 ${e.ref}`)).toContain("不能审批自己的申请");
    const before = w.inbox(w.contacts.regional).length;
    expect(await w.talk(sun.c, `同意 ${e.ref}`)).toContain(`已同意 ${e.ref}`);
    expect((await levelsOf(e.id))[0]).toMatchObject({ status: "approved", decidedBy: sun.id });
    const told = (await w.settle(w.contacts.regional, before)).filter((m) => m.includes(e.ref));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("孙经理");
  });

  it("a delegate decides in their own name during the delegation, and not once it has ended", async () => {
    const until = "2026-11-25";
    const set = await w.app.services.approvals.setDelegation(w.ids.manager, sun.id, until, {
      id: w.ids.manager,
      role: "manager",
      via: "wecom",
    });
    expect(set.ok).toBe(true);
    const e1 = await submit(w.ids.rep, { amountCny: 410 });
    const e2 = await submit(w.ids.rep, { amountCny: 420 });
    const repBefore = w.inbox(w.contacts.rep).length;
    expect(await w.talk(sun.c, `同意 ${e1.ref}`)).toContain(`已同意 ${e1.ref}`);
    const [l1] = await levelsOf(e1.id);
    expect(l1).toMatchObject({ status: "approved", approverId: w.ids.manager, decidedBy: sun.id });
    const audits = await decisionAudits(e1.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].actorId).toBe(sun.id);
    expect((audits[0].after as { onBehalfOf?: string }).onBehalfOf).toBe(w.ids.manager);
    const told = (await w.settle(w.contacts.rep, repBefore)).filter((m) => m.includes(e1.ref));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("孙经理");
    // The manager back at the phone learns the delegate decided.
    expect(await w.talk(w.contacts.manager, `同意 ${e1.ref}`)).toContain("孙经理");

    // The day after `until`: the delegate may no longer decide.
    const saved = w.clock.t;
    w.clock.t = Date.parse("2026-11-26T02:00:00Z");
    try {
      const late = await w.talk(sun.c, `同意 ${e2.ref}`);
      expect(late).not.toContain("已同意");
      expect(late).toContain(`${e2.ref} 不在你的待审批列表里`);
      expect((await levelsOf(e2.id))[0]).toMatchObject({ status: "pending", decidedBy: null });
      expect(await decisionAudits(e2.id)).toHaveLength(0);
    } finally {
      w.clock.t = saved;
    }
  });

  it("a delegate's 审批 list names the absent approver they stand in for", async () => {
    // The delegation to 孙经理 (until 2026-11-25) is still on.
    const e = await submit(w.ids.rep, { amountCny: 430 });
    const list = await w.talk(sun.c, "审批");
    expect(list).toContain(e.ref);
    expect(list).toContain("代 李经理");
    expect(list).not.toContain(w.ids.manager);
  });

  it("English manager: answered in English; the zh-CN rep is told in Chinese", async () => {
    const e = await submit(zhou.id, { amountCny: 560 });
    const zhouBefore = w.inbox(zhou.c).length;
    const ok = await w.talk(amy.c, `approve ${e.ref}`);
    expect(ok).toContain(`Approved ${e.ref}`);
    const told = (await w.settle(zhou.c, zhouBefore)).filter((m) => m.includes(e.ref));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("已通过");
    expect(told[0]).toContain("Amy Chen");
    // Already decided, in English.
    expect(await w.talk(amy.c, `reject ${e.ref} too late`)).toMatch(
      /Already decided: approved by Amy Chen at 2026-11-23/,
    );
    // A reject without a reason, in English, asks for the reason of that request.
    const e2 = await submit(zhou.id, { amountCny: 570 });
    const ask = await w.talk(amy.c, `reject ${e2.ref}`);
    expect(ask).toMatch(/reason/i);
    expect(ask.match(/E\d+/g)).toEqual([e2.ref]);
    expect((await levelsOf(e2.id))[0].status).toBe("pending");
    // Chinese reply words work for an English user too, and the answer stays English.
    expect(await w.talk(amy.c, `驳回 ${e2.ref} 重复申请`)).toContain(`Rejected ${e2.ref}`);
  });

  it("notices carry only what they need: no attendees' names, no phone or e-mail", async () => {
    const e = await submit(w.ids.rep, {
      category: "hospitality",
      amountCny: 400,
      attendees: ["王建国", "李医生"],
      description: "与心内科主任学术交流",
    });
    const [req] = (
      await w.database.db.select().from(outbox).where(eq(outbox.template, "approval_request"))
    ).filter((r) => (r.data as { expenseId?: string }).expenseId === e.id);
    expect(req).toBeDefined();
    const asked = JSON.stringify(req.data);
    expect(asked).not.toContain("王建国");
    expect(asked).not.toContain("李医生");
    const repBefore = w.inbox(w.contacts.rep).length;
    await w.talk(w.contacts.manager, `同意 ${e.ref}`);
    const told = (await w.settle(w.contacts.rep, repBefore)).join("\n");
    expect(told).toContain(e.ref);
    expect(told).not.toContain("王建国");
    const [res] = await resultNotices(e.id);
    expect(Object.keys(res.data).sort()).toEqual(
      ["amountCny", "decidedByName", "expenseId", "reason", "ref", "status"].sort(),
    );
  });
});
