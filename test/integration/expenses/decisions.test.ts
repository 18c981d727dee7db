import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, auditLog, expenses } from "../../../src/db/schema";
import type { ApprovalDecidedEvent } from "../../../src/lib/events";
import {
  buildTeam,
  type ExpenseServer,
  expenseBody,
  invoice,
  startExpenseServer,
  type Team,
} from "../../helpers/expenses-app";
import { expectError, SHANGHAI_INSTANT } from "../api/fixtures";

let s: ExpenseServer;
let t: Team;
const decided: ApprovalDecidedEvent[] = [];
const requested: { approvalId: string; approverId: string }[] = [];

beforeAll(async () => {
  s = await startExpenseServer();
  t = await buildTeam(s);
  s.events.subscribe("approval.decided", (e) => {
    decided.push(e);
  });
  s.events.subscribe("approval.requested", (e) => {
    requested.push(e);
  });
});
afterAll(() => s.close());

const create = async (token: string, over: Record<string, unknown> = {}) => {
  const res = await s.request("POST", "/api/expenses", token, expenseBody(s, over));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const decide = (approvalId: string, token: string, body: Record<string, unknown>) =>
  s.request("POST", `/api/approvals/${approvalId}/decision`, token, body);

describe("deciding approvals", () => {
  it("walks a reimbursement through manager, regional head and finance; the requester hears the result", async () => {
    const e = await create(t.repA1.token, { kind: "reimbursement", amountCny: 2500, invoiceNo: invoice() });
    const [l1, l2, l3] = e.approvals;
    expect(requested.at(-1)).toMatchObject({ approvalId: l1.id, approverId: t.districtA.id });
    const first = await s.outboxFor(t.districtA.id, "approval_request");
    expect(first.map((r) => r.dedupeKey)).toContainEqual(
      expect.stringMatching(`^approval:${l1.id}:\\d{4}-\\d{2}-\\d{2}:console:${t.districtA.id}$`),
    );
    const data = first.find((r) => r.dedupeKey.includes(l1.id))?.data as Record<string, unknown>;
    expect(data).toMatchObject({ ref: e.ref, requesterName: "王小明", amountCny: 2500, attendeesCount: 0 });
    expect(JSON.stringify(data)).not.toMatch(/phone|email/i);

    // Not your level yet: the regional head cannot jump the queue.
    const early = await decide(l2.id, t.regional.token, { decision: "approve" });
    expectError(early, 409, "conflict");
    expect(early.body.error.details.messageKey).toBe("approval.not_your_turn");

    const a1 = await decide(l1.id, t.districtA.token, { decision: "approve" });
    expect(a1.status, JSON.stringify(a1.body)).toBe(200);
    expect(a1.body).toMatchObject({
      status: "approved",
      decidedBy: t.districtA.id,
      decidedVia: "api",
      reason: null,
    });
    expect(a1.body.decidedAt).toMatch(SHANGHAI_INSTANT);
    expect(decided.at(-1)).toMatchObject({
      approvalId: l1.id,
      decision: "approve",
      subjectStatus: "pending",
      nextApproverId: t.regional.id,
      decidedByName: "上海北区经理",
    });
    expect(requested.at(-1)).toMatchObject({ approvalId: l2.id, approverId: t.regional.id });
    expect(
      (await s.outboxFor(t.regional.id, "approval_request")).some((r) => r.dedupeKey.includes(l2.id)),
    ).toBe(true);

    expect((await decide(l2.id, t.regional.token, { decision: "approve" })).status).toBe(200);
    const fin = await decide(l3.id, t.finance.token, { decision: "approve" });
    expect(fin.status).toBe(200);
    const after = await s.request("GET", `/api/expenses/${e.id}`, t.repA1.token);
    expect(after.body.status).toBe("approved");
    expect(after.body.approvals.map((a: any) => a.status)).toEqual(["approved", "approved", "approved"]);
    const result = await s.outboxFor(t.repA1.id, "approval_result");
    const mine = result.filter((r) => (r.data as any).ref === e.ref);
    expect(mine).toHaveLength(1);
    expect(mine[0].dedupeKey).toMatch(
      new RegExp(`^approval_result:${e.id}:\\d{4}-\\d{2}-\\d{2}:console:${t.repA1.id}$`),
    );
    expect(mine[0].data).toMatchObject({ status: "approved", decidedByName: "财务" });
  });

  it("reject needs a reason (400) and supersedes the levels above; the audit row records the surface", async () => {
    const e = await create(t.repA2.token, { amountCny: 5000 });
    const l1 = e.approvals[0];
    const bare = await decide(l1.id, t.districtA.token, { decision: "reject" });
    expectError(bare, 400, "validation");
    expect(bare.body.error.message).toContain("reason");
    const blank = await decide(l1.id, t.districtA.token, { decision: "reject", reason: "   " });
    expectError(blank, 400, "validation");
    const res = await decide(l1.id, t.districtA.token, { decision: "reject", reason: "超出科室会标准" });
    expect(res.status).toBe(200);
    const view = await s.request("GET", `/api/expenses/${e.id}`, t.districtA.token);
    expect(view.body.status).toBe("rejected");
    expect(view.body.approvals.map((a: any) => a.status)).toEqual(["rejected", "superseded"]);
    expect(view.body.approvals[0].reason).toBe("超出科室会标准");
    const audit = await s.database.db.select().from(auditLog).where(eq(auditLog.entityId, l1.id));
    expect(audit).toEqual([
      expect.objectContaining({ action: "reject", via: "api", actorId: t.districtA.id }),
    ]);
    const result = (await s.outboxFor(t.repA2.id, "approval_result")).find(
      (r) => (r.data as any).ref === e.ref,
    );
    expect(result?.data).toMatchObject({ status: "rejected", reason: "超出科室会标准" });
  });

  it("nobody approves their own request; an admin token may not decide as someone else", async () => {
    const e = await create(t.districtA.token, { amountCny: 100 });
    expect(e.approvals[0].approverId).toBe(t.regional.id);
    const own = await decide(e.approvals[0].id, t.districtA.token, { decision: "approve" });
    expectError(own, 403, "forbidden");
    expect(own.body.error.details.messageKey).toBe("approval.own_request");
    const admin = await decide(e.approvals[0].id, t.admin.token, { decision: "approve" });
    expectError(admin, 403, "forbidden");
    expect(admin.body.error.details.messageKey).toBe("approval.not_approver");
    expectError(await decide("missing", t.regional.token, { decision: "approve" }), 404, "not_found");
  });

  it("a delegate decides in their own name until the delegation ends", async () => {
    const e = await create(t.repB1.token, { amountCny: 300 });
    const l1 = e.approvals[0];
    expectError(await decide(l1.id, t.districtA.token, { decision: "approve" }), 403, "forbidden");
    const past = await s.request("POST", `/api/users/${t.districtB.id}/delegation`, t.districtB.token, {
      toUserId: t.districtA.id,
      until: "2000-01-01",
    });
    expectError(past, 400, "validation");
    const notMine = await s.request("POST", `/api/users/${t.districtB.id}/delegation`, t.repB1.token, {
      toUserId: t.repB1.id,
      until: "2999-01-01",
    });
    expectError(notMine, 403, "forbidden");
    const set = await s.request("POST", `/api/users/${t.districtB.id}/delegation`, t.districtB.token, {
      toUserId: t.districtA.id,
      until: "2999-12-31",
    });
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    const pending = await s.money.approvals.pendingFor(t.districtA.id);
    expect(pending.find((p) => p.approval.id === l1.id)).toMatchObject({
      onBehalfOf: t.districtB.id,
      requesterName: "张伟",
    });
    const res = await decide(l1.id, t.districtA.token, { decision: "approve" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ approverId: t.districtB.id, decidedBy: t.districtA.id });
    const audit = await s.database.db.select().from(auditLog).where(eq(auditLog.entityId, l1.id));
    expect(audit[0].after).toMatchObject({ onBehalfOf: t.districtB.id });
  });

  it("two entitled deciders at once: exactly one wins, the other hears who and when; one event; nothing half-written", async () => {
    const e = await create(t.repB1.token, { amountCny: 2600 });
    const [l1, l2] = e.approvals;
    const before = decided.length;
    const [x, y] = await Promise.all([
      decide(l1.id, t.districtB.token, { decision: "approve" }),
      decide(l1.id, t.districtA.token, { decision: "reject", reason: "重复申请" }),
    ]);
    const statuses = [x.status, y.status].sort();
    expect(statuses, JSON.stringify([x.body, y.body])).toEqual([200, 409]);
    const [won, lost] = x.status === 200 ? [x, y] : [y, x];
    expectError(lost, 409, "already_decided");
    const winnerName = won.body.decidedBy === t.districtB.id ? "杭州地区经理" : "上海北区经理";
    expect(lost.body.error.details.params).toMatchObject({ by: winnerName, at: won.body.decidedAt });
    expect(lost.body.error.message).toContain(winnerName);
    expect(lost.body.error.message).toContain(won.body.decidedAt);
    await new Promise((r) => setTimeout(r, 20));
    expect(decided.length - before).toBe(1);
    expect(decided.at(-1)?.approvalId).toBe(l1.id);

    const rows = await s.database.db.select().from(approvals).where(eq(approvals.subjectId, e.id));
    const exp = await s.database.db.select().from(expenses).where(eq(expenses.id, e.id)).get();
    const audits = await s.database.db.select().from(auditLog).where(eq(auditLog.entityId, l1.id));
    expect(audits).toHaveLength(1);
    if (won.body.status === "approved") {
      expect(rows.map((r) => r.status).sort()).toEqual(["approved", "pending"]);
      expect(exp?.status).toBe("pending");
      expect(
        (await s.outboxFor(t.regional.id, "approval_request")).some((r) => r.dedupeKey.includes(l2.id)),
      ).toBe(true);
    } else {
      expect(rows.map((r) => r.status).sort()).toEqual(["rejected", "superseded"]);
      expect(exp?.status).toBe("rejected");
      expect(
        (await s.outboxFor(t.regional.id, "approval_request")).some((r) => r.dedupeKey.includes(l2.id)),
      ).toBe(false);
    }
  });

  it("racing in the service (both past the checks): the conditional update lets one through, the loser writes nothing", async () => {
    for (let i = 0; i < 5; i++) {
      const e = await create(t.repB1.token, { amountCny: 20 + i });
      const id = e.approvals[0].id;
      const before = decided.length;
      const results = await Promise.all([
        s.money.approvals.decide(id, { decision: "approve" }, { id: t.districtB.id, via: "slack" }),
        s.money.approvals.decide(
          id,
          { decision: "reject", reason: "不合规" },
          { id: t.districtA.id, via: "wecom" },
        ),
      ]);
      const won = results.filter((r) => r.ok);
      const lost = results.flatMap((r) => (r.ok ? [] : [r.error]));
      expect(won).toHaveLength(1);
      expect(lost).toEqual([
        expect.objectContaining({ code: "already_decided", messageKey: "approval.already_decided" }),
      ]);
      expect(lost[0].params?.at).toMatch(SHANGHAI_INSTANT);
      expect(decided.length - before).toBe(1);
      const exp = await s.database.db.select().from(expenses).where(eq(expenses.id, e.id)).get();
      const winner = won[0].ok ? won[0].value.approval : null;
      expect(exp?.status).toBe(winner?.status === "approved" ? "approved" : "rejected");
      const audits = await s.database.db.select().from(auditLog).where(eq(auditLog.entityId, id));
      expect(audits).toHaveLength(1);
      const results2 = await s.outboxFor(t.repB1.id, "approval_result");
      expect(results2.filter((r) => (r.data as any).ref === e.ref)).toHaveLength(1);
    }
  });

  it("the requester cancels while pending; others may not; a decided request cannot be cancelled", async () => {
    const e = await create(t.repA1.token, { amountCny: 2100 });
    expectError(await s.request("POST", `/api/expenses/${e.id}/cancel`, t.districtA.token), 403, "forbidden");
    const before = decided.length;
    const res = await s.request("POST", `/api/expenses/${e.id}/cancel`, t.repA1.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe("cancelled");
    expect(res.body.approvals.map((a: any) => a.status)).toEqual(["superseded", "superseded"]);
    expect(decided.slice(before)).toEqual([
      expect.objectContaining({
        decision: "cancel",
        subjectStatus: "cancelled",
        approvalId: e.approvals[0].id,
      }),
    ]);
    const late = await decide(e.approvals[0].id, t.districtA.token, { decision: "approve" });
    expectError(late, 409, "already_decided");
    const again = await s.request("POST", `/api/expenses/${e.id}/cancel`, t.repA1.token);
    expectError(again, 409, "already_decided");
  });

  it("approvals list: managers see theirs and their team's, reps their own requests'; filters by recipient and ref", async () => {
    const e = await create(t.repA2.token, { amountCny: 42 });
    const byRef = await s.request("GET", `/api/approvals?subjectRef=${e.ref.toLowerCase()}`, t.repA2.token);
    expect(byRef.body.items.map((a: any) => a.id)).toEqual([e.approvals[0].id]);
    const forRegional = await s.request(
      "GET",
      `/api/approvals?recipientId=${t.districtA.id}&status=pending`,
      t.regional.token,
    );
    expect(forRegional.body.items.length).toBeGreaterThan(0);
    expect(
      forRegional.body.items.every((a: any) => a.approverId === t.districtA.id && a.status === "pending"),
    ).toBe(true);
    const otherRep = await s.request("GET", `/api/approvals?subjectRef=${e.ref}`, t.repB1.token);
    expect(otherRep.body.items).toEqual([]);
    const fin = await s.request("GET", "/api/approvals?limit=500", t.finance.token);
    const admin = await s.request("GET", "/api/approvals?limit=500", t.admin.token);
    expect(fin.body.items.length).toBe(admin.body.items.length);
    expectError(
      await s.request("GET", `/api/approvals/${e.approvals[0].id}`, t.repB1.token),
      403,
      "forbidden",
    );
  });
});
