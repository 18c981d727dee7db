import type { Messages } from "./types";

/** What only the Slack adapter says: modal labels, card outcomes, click explanations. */
export const slackMessages = {
  "slack.pick_placeholder": ["请选择…", "Choose…"],
  "slack.reject_title": ["驳回申请", "Reject request"],
  "slack.reject_submit": ["驳回", "Reject"],
  "slack.reject_close": ["取消", "Cancel"],
  "slack.reject_intro": ["请写明驳回理由，申请人会看到。", "Give your reason; the requester will see it."],
  "slack.reason_label": ["驳回理由", "Reason"],
  "slack.reason_required": ["请填写驳回理由。", "Please give a reason."],
  "slack.card_summary": [
    "🧾 {requester} · {kind} {ref} · {category} ¥{amount}（{date}）\n{description}",
    "🧾 {requester} · {kind} {ref} · {category} ¥{amount} ({date})\n{description}",
  ],
  "slack.card_approved": ["✅ 已由 {by} 于 {at} 同意。", "✅ Approved by {by} at {at}."],
  "slack.card_forwarded": [
    "➡️ 已由 {by} 于 {at} 同意，转交下一级审批。",
    "➡️ Approved by {by} at {at}; moved to the next approver.",
  ],
  "slack.card_rejected": ["❌ 已由 {by} 于 {at} 驳回：{reason}", "❌ Rejected by {by} at {at}: {reason}"],
  "slack.card_cancelled": ["⚪ 申请人已于 {at} 撤回。", "⚪ Withdrawn by the requester at {at}."],
  "slack.not_changed": ["未做任何更改：{reason}", "Nothing was changed: {reason}"],
  "slack.file_failed": ["文件没能下载，请再发一次。", "I couldn't download that file; please send it again."],
  "slack.file_too_large": ["文件太大（最多 {mb} MB）。", "That file is too large (max {mb} MB)."],
  "slack.truncated": ["…（内容过长，已截断）", "… (too long, cut short)"],
} as const satisfies Messages;
