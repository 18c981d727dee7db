import type { Messages } from "./types";

export const expenseMessages = {
  "expense.kind": ["类型", "Type"],
  "expense.category": ["类别", "Category"],
  "expense.amount": ["金额", "Amount"],
  "expense.date": ["日期", "Date"],
  "expense.description": ["说明", "Description"],
  "expense.invoice": ["发票号", "Invoice no."],
  "expense.attendees": ["参与人", "Attendees"],
  "expense.receipt": ["票据", "Receipt"],
  "expense.budget_left": ["本月该类预算剩余", "Budget left this month"],
  "expense.ask_kind": ["报销还是事前申请？", "A reimbursement or a pre-approval?"],
  "expense.ask_category": ["费用类别？", "Which category?"],
  "expense.ask_amount": ["金额多少？（如 320、¥1,234.50、一千二）", "How much? (e.g. 320, ¥1,234.50, 1.2k)"],
  "expense.bad_amount": [
    "没看懂金额「{text}」，金额要大于 0，最多两位小数。",
    "I couldn't read the amount “{text}”: above 0, at most 2 decimals.",
  ],
  "expense.ask_date": ["哪天的费用？", "Which day?"],
  "expense.bad_date": ["没看懂日期「{text}」。", "I couldn't read the date “{text}”."],
  "expense.future_date": [
    "报销日期 {date} 还没到：报销的是已经花出的钱，日期不能晚于今天。",
    "{date} hasn't come yet: a reimbursement is money already spent, so it can't be dated after today.",
  ],
  "expense.ask_description": ["简单说明用途：", "What was it for?"],
  "expense.ask_invoice": ["发票号码？", "The invoice number?"],
  "expense.bad_invoice": [
    "「{text}」不是有效的发票号：发票号是 6 位以上的字母或数字。",
    "“{text}” is not an invoice number. An invoice number has 6 or more letters or digits.",
  ],
  "expense.ask_attendees": [
    "招待了哪些人？（用逗号分隔，如「王主任, 李医生」）",
    "Who attended? (comma-separated, e.g. “Dr. Wang, Dr. Li”)",
  ],
  "expense.ask_receipt": [
    "请发送票据照片（或回复「跳过」）。",
    "Send a photo of the receipt (or reply “skip”).",
  ],
  "expense.not_a_receipt": [
    "没收到图片，请发送票据照片或回复「跳过」。",
    "That wasn't a photo: send a photo of the receipt, or reply “skip”.",
  ],
  "expense.receipt_saved": ["已收到票据", "receipt received"],
  "expense.receipt_skipped": ["未附票据", "no receipt"],
  "expense.confirm_title": ["请确认费用：", "Please confirm the expense:"],
  "expense.saved": [
    "✅ 已提交 {ref}：{category} ¥{amount}，等待 {approver} 审批。",
    "✅ Submitted {ref}: {category} ¥{amount}, waiting for {approver}.",
  ],
  "expense.help": [
    "一句话也行：「报销 餐费 320元 昨天 发票12345678」。",
    "One line works too: “expense taxi 85 yesterday invoice 12345678”.",
  ],
  "approvals.title": ["待你审批（{count}）：", "Waiting for you ({count}):"],
  "approvals.none": ["没有待你审批的申请。", "Nothing is waiting for your approval."],
  "approvals.item": [
    "{ref} {requester} {category} ¥{amount}（{date}）{delegated}",
    "{ref} {requester} {category} ¥{amount} ({date}){delegated}",
  ],
  "approvals.delegated": ["（代 {name}）", " (for {name})"],
  "approvals.reply_hint": [
    "回复「同意 {ref}」或「驳回 {ref} 理由」（换成要处理的编号）。",
    "Reply “approve {ref}” or “reject {ref} <reason>” (with the number you decide).",
  ],
  "approvals.approved": ["✅ 已同意 {ref}。", "✅ Approved {ref}."],
  "approvals.rejected": ["❌ 已驳回 {ref}：{reason}", "❌ Rejected {ref}: {reason}"],
  "approvals.approve_button": ["同意 {ref}", "Approve {ref}"],
  "approvals.reject_button": ["驳回 {ref}", "Reject {ref}"],
  "approvals.reason": ["驳回理由", "Reason"],
  "approvals.ask_reason": ["请输入驳回 {ref} 的理由：", "Type the reason for rejecting {ref}:"],
  "reject.confirm_title": ["确认驳回：", "Confirm the rejection:"],
  "flow.reject": ["驳回", "rejection"],
} as const satisfies Messages;
