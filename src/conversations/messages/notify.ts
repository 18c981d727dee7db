import type { Messages } from "./types";

export const notifyMessages = {
  "notify.approval_request": [
    "🧾 {requester} 提交了{kind} {ref}：{category} ¥{amount}（{date}）\n说明：{description}\n本月该类预算剩余：{remaining}{warnings}\n回复「同意 {ref}」或「驳回 {ref} 理由」。",
    "🧾 {requester} submitted {kind} {ref}: {category} ¥{amount} ({date})\nDescription: {description}\nBudget left this month: {remaining}{warnings}\nReply “approve {ref}” or “reject {ref} <reason>”.",
  ],
  "notify.approval_for": ["（{name} 不在，由你代为审批。）", "({name} is away: you decide for them.)"],
  "notify.approve": ["同意", "Approve"],
  "notify.reject": ["驳回", "Reject"],
  "notify.approval_approved": [
    "✅ 你的申请 {ref}（¥{amount}）已通过，审批人：{by}。",
    "✅ Your request {ref} (¥{amount}) was approved by {by}.",
  ],
  "notify.approval_rejected": [
    "❌ 你的申请 {ref}（¥{amount}）被 {by} 驳回：{reason}",
    "❌ Your request {ref} (¥{amount}) was rejected by {by}: {reason}",
  ],
  "notify.approval_step": [
    "➡️ 申请 {ref} 已由 {by} 同意，等待下一级审批。",
    "➡️ {ref} was approved by {by} and moves to the next approver.",
  ],
  "notify.unknown": ["（通知：{template}）", "(notification: {template})"],
  "kind.pre_approval": ["费用申请", "pre-approval"],
  "kind.reimbursement": ["报销", "reimbursement"],
  "category.travel": ["差旅", "travel"],
  "category.accommodation": ["住宿", "accommodation"],
  "category.transport": ["交通", "transport"],
  "category.meals": ["餐费", "meals"],
  "category.hospitality": ["招待", "hospitality"],
  "category.department_meeting": ["科室会", "department meeting"],
  "category.samples": ["样品资料", "samples/materials"],
  "category.conference": ["会议", "conference"],
  "category.other": ["其他", "other"],
  "warning.possible_duplicate": [
    "⚠️ 可能重复：同日同类同金额已有申请",
    "⚠️ possible duplicate: same amount, date and category",
  ],
  "warning.no_budget": ["⚠️ 该类别未设置预算", "⚠️ no budget set for this category"],
  "warning.over_budget_escalated": ["⚠️ 超预算，已升级一级审批", "⚠️ over budget — escalated one level"],
} as const satisfies Messages;
