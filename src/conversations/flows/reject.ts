import { MAX_REASON_CHARS } from "../../domain/approvals/decision";
import { decisionVia } from "../../services/expenses";
import { defineFlow } from "../flow";

export interface RejectDraft {
  approvalId?: string;
  ref?: string;
  reason?: string;
}

/** Rejecting from a button: the reason is asked for (a rejection always carries one). */
export const rejectFlow = defineFlow<RejectDraft>({
  id: "reject",
  version: 1,
  title: "flow.reject",
  initial: () => ({}),
  order: ["reason"],
  steps: {
    reason: {
      label: "approvals.reason",
      missing: (s) => !s.reason,
      show: (s) => s.reason ?? null,
      ask: (s, ctx) => ({ text: ctx.t("approvals.ask_reason", { ref: s.ref ?? "" }) }),
      take: (r, s) => {
        const reason = r.text?.trim() ?? "";
        if (!reason) return { ok: false, key: "approval.reason_required" };
        if (reason.length > MAX_REASON_CHARS)
          return { ok: false, key: "approval.reason_too_long", params: { max: MAX_REASON_CHARS } };
        return { ok: true, state: { ...s, reason } };
      },
      clear: (s) => ({ ...s, reason: undefined }),
    },
  },
  complete: async (s, ctx) => {
    if (ctx.impersonatedBy) return { ok: false, key: "approval.impersonated" };
    const r = await ctx.services.approvals.decide(
      s.approvalId ?? "",
      { decision: "reject", reason: s.reason },
      { id: ctx.user.id, via: decisionVia(ctx.via) },
    );
    if (!r.ok)
      return {
        ok: true,
        replies: [{ text: ctx.t(r.error.messageKey, { ref: s.ref ?? "", ...(r.error.params ?? {}) }) }],
      };
    return {
      ok: true,
      replies: [{ text: ctx.t("approvals.rejected", { ref: s.ref ?? "", reason: s.reason ?? "" }) }],
    };
  },
});
