import type { Reply } from "../../bot/platform";
import type { Result } from "../../domain/result";
import { decisionVia } from "../../services/expenses";
import type { CommandHandler, CommandResult } from "../engine";
import type { FlowContext } from "../flow";

type Decided = Result<{ approval: { subjectRef: string } }>;

const outcome = (
  ctx: FlowContext,
  r: Decided,
  decision: "approve" | "reject",
  ref: string,
  reason?: string,
): Reply[] => {
  if (!r.ok) return [{ text: ctx.t(r.error.messageKey, { ref, ...(r.error.params ?? {}) }) }];
  return [
    {
      text:
        decision === "approve"
          ? ctx.t("approvals.approved", { ref })
          : ctx.t("approvals.rejected", { ref, reason: reason ?? "" }),
    },
  ];
};

/** Decisions are the approver's own: an admin trying flows as someone cannot decide for them. */
const refuseImpersonation = (ctx: FlowContext): CommandResult | null =>
  ctx.impersonatedBy ? { replies: [{ text: ctx.t("approval.impersonated") }] } : null;

/** `approvals`/`审批`: what waits for me, each with one-tap approve and reject. */
export const approvalsListCommand: CommandHandler = async (_cmd, ctx) => {
  const pending = await ctx.services.approvals.pendingFor(ctx.user.id);
  if (!pending.length) return { replies: [{ text: ctx.t("approvals.none") }] };
  const shown = pending.slice(0, 10);
  const lines = shown.map((p) =>
    ctx.t("approvals.item", {
      ref: p.expense.ref,
      requester: p.requesterName,
      category: ctx.t(`category.${p.expense.category}`),
      amount: p.expense.amountCny.toFixed(2),
      date: p.expense.date,
      delegated: p.onBehalfOfName ? ctx.t("approvals.delegated", { name: p.onBehalfOfName }) : "",
    }),
  );
  // WeCom shows no buttons: say how to decide by reply, as the approval requests do.
  const hint = ctx.via === "wecom" ? [ctx.t("approvals.reply_hint", { ref: shown[0].expense.ref })] : [];
  return {
    replies: [
      {
        text: [ctx.t("approvals.title", { count: pending.length }), ...lines, ...hint].join("\n"),
        choices: shown.flatMap((p) => [
          {
            id: `approval:approve:${p.approval.id}`,
            label: ctx.t("approvals.approve_button", { ref: p.expense.ref }),
          },
          {
            id: `approval:reject:${p.approval.id}`,
            label: ctx.t("approvals.reject_button", { ref: p.expense.ref }),
          },
        ]),
      },
    ],
  };
};

/** `同意 E42` / `驳回 E42 理由` (any case, full width, no space needed). */
export const decideByTextCommand: CommandHandler = async (cmd, ctx) => {
  const refused = refuseImpersonation(ctx);
  if (refused) return refused;
  const ref = cmd.ref ?? "";
  const decision = cmd.intent === "approve" ? "approve" : "reject";
  if (decision === "reject" && !cmd.reason?.trim()) {
    // As a tapped Reject does: the next line is the reason (the request checked first).
    const found = await ctx.services.approvals.findByRef(ref, ctx.user.id);
    if (!found.ok) return { replies: outcome(ctx, found, decision, ref) };
    return { start: "reject", data: { approvalId: found.value.id, ref: found.value.subjectRef } };
  }
  const r = await ctx.services.approvals.decideByRef(
    ref,
    ctx.user.id,
    { decision, reason: cmd.reason ?? null },
    decisionVia(ctx.via),
  );
  return { replies: outcome(ctx, r, decision, ref, cmd.reason) };
};

/** A tapped Approve / Reject: approve at once; reject asks for the reason first. */
export const approvalAction = async (id: string, ctx: FlowContext): Promise<CommandResult | null> => {
  const m = /^approval:(approve|reject):([\w-]+)$/.exec(id);
  if (!m) return null;
  const refused = refuseImpersonation(ctx);
  if (refused) return refused;
  const approval = await ctx.services.database.db.query.approvals.findFirst({
    where: (a, { eq }) => eq(a.id, m[2]),
  });
  if (!approval) return { replies: [{ text: ctx.t("approval.not_found") }] };
  if (m[1] === "reject")
    return { start: "reject", data: { approvalId: approval.id, ref: approval.subjectRef } };
  const r = await ctx.services.approvals.decide(
    approval.id,
    { decision: "approve" },
    { id: ctx.user.id, via: decisionVia(ctx.via) },
  );
  return { replies: outcome(ctx, r, "approve", approval.subjectRef) };
};
