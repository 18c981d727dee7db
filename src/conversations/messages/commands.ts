import type { Messages } from "./types";

export const commandMessages = {
  "plan.title": ["📋 {date} 的拜访计划（{count} 位）：", "📋 Visit plan for {date} ({count}):"],
  "plan.day_off": ["{date} 是休息日，没有拜访计划。", "{date} is a day off — no visit plan."],
  "plan.empty": ["{date} 没有需要拜访的客户。", "No customers are due on {date}."],
  "plan.slot.am": ["上午", "AM"],
  "plan.slot.pm": ["下午", "PM"],
  "plan.reason.co_visit": ["经理随访", "manager co-visit"],
  "plan.reason.follow_up": ["复访到期", "follow-up due"],
  "plan.reason.overdue": ["久未拜访", "overdue"],
  "plan.reason.due": ["本月待访", "due this month"],
  "plan.reason.booked": ["已预约", "booked"],
  "plan.item": ["{n}. [{slot}] {name}（{cls}{reasons}）", "{n}. [{slot}] {name} ({cls}{reasons})"],
  "plan.log_hint": ["点选客户即可记录拜访。", "Tap a customer to log the visit."],
  "plan.created": [
    "📌 已把 {name} 加入 {date} 上午的拜访计划。",
    "📌 {name} is in your plan for {date} (AM).",
  ],
  "plan.log": ["记录 {name}", "Log {name}"],
  "customers.title": ["找到 {count} 位客户：", "{count} customers found:"],
  "customers.none": ["没有找到「{query}」。", "No customer matches “{query}”."],
  "customers.ask": [
    "请在「客户」后输入姓名或医院，如「客户 王」。",
    "Add a name or hospital after “customers”, e.g. “customers wang”.",
  ],
  "customers.all": [
    "你负责 {count} 位客户。输入「客户 姓名」查找。",
    "You own {count} customers. Type “customers <name>” to search.",
  ],
  "bind.ok": [
    "✅ 绑定成功，你好 {name}！回复「帮助」看看我能做什么。",
    "✅ Linked. Hello {name}! Reply “help” to see what I can do.",
  ],
  "bind.bad": [
    "绑定码无效或已过期，请向管理员索取新的绑定码。",
    "That code is invalid or expired; ask your admin for a new one.",
  ],
  "bind.already": ["你的账号已经绑定。", "Your account is already linked."],
  "skip.ok": ["好的，明天不给 {name} 发送问候。", "OK — no greeting to {name} tomorrow."],
  "skip.none": ["明天的问候名单里没有「{name}」。", "“{name}” is not on tomorrow's greeting list."],
  "skip.ask": ["请写明客户：「不发 王主任」。", "Name the customer: “skip Dr. Wang”."],
} as const satisfies Messages;
