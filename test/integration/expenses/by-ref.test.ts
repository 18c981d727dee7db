import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildTeam,
  type ExpenseServer,
  expenseBody,
  startExpenseServer,
  type Team,
} from "../../helpers/expenses-app";

let s: ExpenseServer;
let t: Team;

beforeAll(async () => {
  s = await startExpenseServer();
  t = await buildTeam(s);
});
afterAll(() => s.close());

const create = async (token: string, amountCny: number) =>
  (await s.request("POST", "/api/expenses", token, expenseBody(s, { amountCny }))).body;

const errorOf = (r: { ok: boolean; error?: unknown }) => (r.ok ? null : r.error);

describe("chat decisions by ref (同意 E42)", () => {
  it("acts on the sender's own pending level, whatever the case or width of the ref", async () => {
    const e = await create(t.repA1.token, 3000);
    const wide = e.ref
      .replace("E", "ｅ")
      .replace(/\d/g, (d: string) => String.fromCharCode(0xff10 + Number(d)));
    const r = await s.money.approvals.decideByRef(wide, t.districtA.id, { decision: "approve" }, "wecom");
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) {
      expect(r.value.approval).toMatchObject({ level: 1, decidedVia: "wecom", decidedBy: t.districtA.id });
      expect(r.value.next?.approverId).toBe(t.regional.id);
    }
  });

  it("explains why not: unknown ref, not yours, not your level yet, already decided by whom and when", async () => {
    const e = await create(t.repA2.token, 2500);
    const approvals = s.money.approvals;
    expect(
      errorOf(await approvals.decideByRef("E999999", t.districtA.id, { decision: "approve" }, "slack")),
    ).toMatchObject({
      code: "not_found",
      messageKey: "approval.unknown_ref",
    });
    expect(
      errorOf(await approvals.decideByRef("hello", t.districtA.id, { decision: "approve" }, "slack")),
    ).toMatchObject({
      messageKey: "approval.unknown_ref",
    });
    expect(
      errorOf(await approvals.decideByRef(e.ref, t.districtB.id, { decision: "approve" }, "slack")),
    ).toMatchObject({
      code: "forbidden",
      messageKey: "approval.not_yours",
    });
    expect(
      errorOf(await approvals.decideByRef(e.ref, t.repA2.id, { decision: "approve" }, "slack")),
    ).toMatchObject({
      messageKey: "approval.own_request",
    });
    expect(
      errorOf(await approvals.decideByRef(e.ref, t.regional.id, { decision: "approve" }, "slack")),
    ).toMatchObject({
      code: "conflict",
      messageKey: "approval.not_your_turn",
      params: { level: 2 },
    });
    const ok = await approvals.decideByRef(
      e.ref,
      t.districtA.id,
      { decision: "reject", reason: "金额有误" },
      "slack",
    );
    expect(ok.ok).toBe(true);
    const again = errorOf(
      await approvals.decideByRef(e.ref, t.districtA.id, { decision: "approve" }, "slack"),
    );
    expect(again).toMatchObject({
      code: "already_decided",
      messageKey: "approval.already_decided",
      params: { by: "上海北区经理", status: "rejected", ref: e.ref },
    });
    expect((again as any).params.at).toMatch(/\+08:00$/);
    // The regional head's level was superseded by that rejection: told who rejected it.
    expect(
      errorOf(await approvals.decideByRef(e.ref, t.regional.id, { decision: "approve" }, "slack")),
    ).toMatchObject({
      messageKey: "approval.already_decided",
      params: { by: "上海北区经理", status: "rejected" },
    });
  });

  it("reject without a reason is refused by the domain too", async () => {
    const e = await create(t.repB1.token, 10);
    const r = await s.money.approvals.decideByRef(e.ref, t.districtB.id, { decision: "reject" }, "slack");
    expect(errorOf(r)).toMatchObject({
      code: "validation",
      messageKey: "approval.reason_required",
      field: "reason",
    });
  });

  it("pendingFor lists own pending levels, not waiting ones", async () => {
    const e = await create(t.repB1.token, 2500);
    const mine = await s.money.approvals.pendingFor(t.districtB.id);
    expect(mine.some((p) => p.approval.subjectId === e.id)).toBe(true);
    const regional = await s.money.approvals.pendingFor(t.regional.id);
    expect(regional.some((p) => p.approval.subjectId === e.id)).toBe(false);
  });
});
