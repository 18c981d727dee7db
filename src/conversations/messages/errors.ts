import type { Messages } from "./types";

/** Why a use case said no — shown in chat and used as the API's English message. */
export const errorMessages = {
  "approval.already_decided": ["已由 {by} 于 {at} 处理过了。", "Already decided by {by} at {at}."],
  "approval.already_decided.approved": [
    "已由 {by} 于 {at} 同意，处理过了。",
    "Already decided: approved by {by} at {at}.",
  ],
  "approval.already_decided.rejected": [
    "已由 {by} 于 {at} 驳回，处理过了。",
    "Already decided: rejected by {by} at {at}.",
  ],
  "approval.already_decided.cancelled": [
    "申请人 {by} 已于 {at} 撤回，无需处理。",
    "Withdrawn by the requester, {by}, at {at}: nothing to decide.",
  ],
  "approval.reason_too_long": [
    "驳回理由最多 {max} 字，请缩短后再发。",
    "A rejection reason is at most {max} characters; please shorten it.",
  ],
  "approval.no_approver": [
    "找不到审批人，请联系管理员设置。",
    "No approver could be found; ask your admin to set one.",
  ],
  "approval.not_approver": ["你不是这项申请的审批人。", "You are not the approver of this request."],
  "approval.not_found": ["没有这项审批。", "No such approval."],
  "approval.not_your_turn": ["还没轮到你这一级审批。", "It is not your level's turn yet."],
  "approval.not_yours": ["{ref} 不在你的待审批列表里。", "{ref} is not waiting for you."],
  "approval.own_request": ["不能审批自己的申请。", "You cannot approve your own request."],
  "approval.reason_required": ["驳回需要写明理由。", "A rejection needs a reason."],
  "approval.superseded": [
    "这一级审批已不需要了（申请已撤回或已被驳回）。",
    "This approval is no longer needed (the request was withdrawn or rejected).",
  ],
  "approval.unknown_ref": ["没有编号为 {ref} 的申请。", "There is no request {ref}."],
  "approval.impersonated": [
    "审批只能由审批人本人操作。",
    "Approvals can only be decided by the approver themself.",
  ],
  "budget.rep_not_found": ["没有这位代表。", "No such rep."],
  "segment.not_a_doctor": ["只有医生有产品分级。", "Segments are for doctors only."],
  "coverage.not_an_account": ["覆盖只适用于医院和药店。", "Coverage is for hospitals and pharmacies only."],
  "coverage.reason_required": ["未进院/未铺货时请写明原因。", "Give the reason the product is not listed."],
  "covisit.not_manager": [
    "只有该代表的上级经理可以评分。",
    "Only a manager above the rep may score a co-visit.",
  ],
  "covisit.score_invalid": ["随访评分是 1-5 的整数。", "A co-visit score is a whole number 1-5."],
  "customer.not_found": ["客户不存在。", "That customer does not exist."],
  "delegation.delegate_inactive": ["被委托人账号已停用。", "The delegate's account is inactive."],
  "delegation.delegate_not_found": ["被委托人不存在。", "The delegate does not exist."],
  "delegation.not_yours": ["只能为自己设置代理审批。", "You can only set your own delegate."],
  "delegation.not_self_for_other": [
    "不能把自己设为别人的代理审批人。",
    "You cannot make yourself someone else's delegate.",
  ],
  "delegation.to_self": ["不能委托给自己。", "You cannot delegate to yourself."],
  "delegation.until_past": ["代理截止日期不能早于今天。", "The delegation cannot end before today."],
  "delegation.user_not_found": ["用户不存在。", "No such user."],
  "expense.attendees_required": ["招待费用请填写参与人。", "Hospitality needs the attendees."],
  "expense.cancel_not_pending": ["只有审批中的申请可以撤回。", "Only a pending request can be withdrawn."],
  "expense.cancel_not_yours": ["只能撤回自己的申请。", "You can only withdraw your own request."],
  "expense.invalid_amount": [
    "金额要大于 0，最多两位小数。",
    "The amount must be above 0 with at most 2 decimals.",
  ],
  "expense.invoice_required": ["报销需要发票号。", "A reimbursement needs the invoice number."],
  "expense.invoice_used": [
    "发票号 {invoiceNo} 已被使用（{ref}），不能重复报销。",
    "Invoice {invoiceNo} was already used ({ref}); it cannot be claimed twice.",
  ],
  "expense.no_budget": ["该类别本月没有预算，不能提交。", "There is no budget for this category this month."],
  "expense.not_found": ["没有这项费用。", "No such expense."],
  "expense.over_budget": [
    "超出预算：本月该类剩余 ¥{remaining}。",
    "Over budget: ¥{remaining} left this month in this category.",
  ],
  "expense.over_per_head_cap": [
    "人均 ¥{perHead} 超过上限 ¥{cap}。",
    "¥{perHead} per head is over the ¥{cap} cap.",
  ],
  "expense.receipt_not_found": ["票据不存在。", "That receipt does not exist."],
  "expense.rep_not_found": ["没有这位代表。", "No such rep."],
  "handover.same_user": ["不能交接给同一个人。", "The customer cannot be handed over to the same person."],
  "handover.target_inactive": [
    "接手的人必须是在职代表或经理。",
    "The receiving user must be an active rep or manager.",
  ],
  "handover.until_past": ["代理截止日期不能早于今天。", "A proxy cannot end before today."],
  "handover.until_required": ["临时代理需要截止日期。", "A proxy needs an end date (until)."],
  "plan.closed": [
    "已完成、已提交或作废的计划不能再改日期、时段、目的或协访经理。",
    "A completed, submitted or void plan can no longer be moved or changed.",
  ],
  "plan.bad_transition": ["计划不能从「{from}」改为「{to}」。", "A plan cannot go from “{from}” to “{to}”."],
  "plan.changed_meanwhile": [
    "计划刚被修改过，请刷新后再试。",
    "The plan changed meanwhile; reload and try again.",
  ],
  "plan.co_visit_not_manager": [
    "随访经理必须是该代表的上级。",
    "The co-visit manager must be above the rep.",
  ],
  "plan.customer_not_found": ["客户不存在。", "That customer does not exist."],
  "product.not_found": ["产品不存在。", "That product does not exist."],
  "receipt.empty": ["文件是空的。", "The file is empty."],
  "receipt.too_large": ["文件超过 10 MB。", "The file is larger than 10 MB."],
  "receipt.unsupported_type": ["只支持 JPEG、PNG 或 PDF。", "Only JPEG, PNG or PDF receipts are accepted."],
  "report.out_of_scope": ["你无权查看这份报表。", "That report is outside your scope."],
  "users.still_owns_customers": [
    "该用户还负责 {count} 位客户，请先交接。",
    "This user still owns {count} customers; hand them over first.",
  ],
  "visit.co_visit_not_manager": [
    "只有该代表的上级经理可以随访评分。",
    "Only a manager above the rep may score the co-visit.",
  ],
  "visit.not_found": ["拜访记录不存在。", "No such visit."],
} as const satisfies Messages;
