import type { Reply } from "../bot/platform";
import { type Locale, translator } from "../conversations/messages";
import { jobTemplates } from "./job-templates";

type Data = Record<string, unknown>;
type T = ReturnType<typeof translator>;
type Render = (data: Data, t: T) => Reply;

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const money = (v: unknown) => (typeof v === "number" ? v.toFixed(2) : str(v));

const approvalRequest: Render = (d, t) => {
  const warnings = Array.isArray(d.warnings) ? d.warnings.map((w) => `\n${t(`warning.${w}`)}`).join("") : "";
  const id = str(d.approvalId);
  return {
    text: t("notify.approval_request", {
      requester: str(d.requesterName),
      kind: t(`kind.${str(d.kind)}`),
      ref: str(d.ref),
      category: t(`category.${str(d.category)}`),
      amount: money(d.amountCny),
      date: str(d.date),
      description: str(d.description) || t("common.none"),
      remaining:
        d.remainingCny === null || d.remainingCny === undefined
          ? t("common.none")
          : `¥${money(d.remainingCny)}`,
      warnings,
    }).concat(d.onBehalfOfName ? `\n${t("notify.approval_for", { name: str(d.onBehalfOfName) })}` : ""),
    choices: id
      ? [
          { id: `approval:approve:${id}`, label: t("notify.approve") },
          { id: `approval:reject:${id}`, label: t("notify.reject") },
        ]
      : undefined,
  };
};

const approvalResult: Render = (d, t) => {
  const key =
    d.status === "approved"
      ? "notify.approval_approved"
      : d.status === "rejected"
        ? "notify.approval_rejected"
        : "notify.approval_step";
  return {
    text: t(key, {
      ref: str(d.ref),
      amount: money(d.amountCny),
      by: str(d.decidedByName),
      reason: str(d.reason),
    }),
  };
};

/** Chat notifications by template; areas register theirs (jobs add plan, reminders, alerts). */
export const chatTemplates: Record<string, Render> = {
  // A reply to what the user just said, already in their language: carried as is.
  chat_reply: (d) => ({
    text: str(d.text),
    ...(Array.isArray(d.choices) ? { choices: d.choices as Reply["choices"] } : {}),
    ...(Array.isArray(d.summary) ? { summary: d.summary as Reply["summary"] } : {}),
    ...(typeof d.kind === "string" ? { kind: d.kind as Reply["kind"] } : {}),
  }),
  approval_request: approvalRequest,
  approval_result: approvalResult,
  ...jobTemplates,
};

export const registerChatTemplate = (name: string, render: Render) => {
  chatTemplates[name] = render;
};

/** An outbox row's text and buttons in the recipient's language. */
export const renderChat = (template: string, locale: string, data: Data): Reply => {
  const t = translator((locale === "en" ? "en" : "zh-CN") as Locale);
  const render = chatTemplates[template];
  return render ? render(data, t) : { text: t("notify.unknown", { template }) };
};
