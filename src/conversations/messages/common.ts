import type { Messages } from "./types";

export const commonMessages = {
  "common.confirm": ["确认", "Confirm"],
  "common.edit": ["修改", "Edit"],
  "common.cancel": ["取消", "Cancel"],
  "common.duplicate_id": ["这条记录已存在。", "That record already exists."],
  "common.skip": ["跳过", "Skip"],
  "common.yes": ["是", "Yes"],
  "common.no": ["否", "No"],
  "common.none": ["无", "none"],
  "common.more": ["更多", "more"],
  "common.reply_range": ["回复 1-{n} 选择", "Reply 1-{n} to choose"],
  "common.confirm_hint": [
    "回复「确认」提交，「修改」更改某项，「取消」放弃。",
    "Reply “confirm” to submit, “edit” to change a field, “cancel” to drop it.",
  ],
  "common.cancelled": ["已取消，未保存任何内容。", "Cancelled — nothing was saved."],
  "common.nothing_to_cancel": ["当前没有进行中的操作。", "There is nothing in progress."],
  "common.nothing_to_continue": ["没有可以继续的草稿。", "There is no draft to continue."],
  "common.nothing_to_go_back": ["已经是第一步了。", "This is already the first step."],
  "common.continue_resumed": ["继续上次的草稿：", "Picking up your draft:"],
  "common.session_expired": [
    "上次的「{flow}」超过 {minutes} 分钟未完成，已暂停。草稿已保留，回复「继续」可接着填写。",
    "Your “{flow}” was idle for over {minutes} minutes and has been paused. The draft is kept — reply “continue” to pick it up.",
  ],
  "common.flow_changed": [
    "「{flow}」的表单已更新，请重新开始：",
    "The “{flow}” form has changed; let's start it again:",
  ],
  "common.stale_choice": [
    "那个选项已过期，请看当前的问题：",
    "That option is no longer current. Here is the current question:",
  ],
  "common.not_understood": ["没看懂这句。{hint}", "I didn't get that. {hint}"],
  "common.unknown_command": [
    "我能帮你：拜访、库存、报销/费用申请、计划、审批、客户。回复「帮助」查看说明。",
    "I can help with: visit, stock, expense, plan, approvals, customers. Reply “help” for more.",
  ],
  "common.help": [
    "可以直接说一句话，例如：\n• 拜访 协和 王主任 昨天 评级6 下周二复访\n• 库存 大药房 感冒灵 24盒, 维C 10\n• 报销 餐费 320元 昨天 发票12345678\n• 计划 —— 今天的拜访计划\n• 审批 —— 待我审批的申请（经理）\n• 客户 王 —— 查找客户\n随时可用：取消、上一步、继续、帮助、English。",
    "Say it in one line, e.g.:\n• visit Dr. Wang at Union yesterday rating 6 follow up next tue\n• stock Kangmei pharmacy Ganmaoling 24 boxes\n• expense taxi 85 yesterday invoice 12345678\n• plan — today's visit plan\n• approvals — requests waiting for you (managers)\n• customers wang — find a customer\nAny time: cancel, back, continue, help, 中文.",
  ],
  "common.help_step": ["当前：{question}\n{help}", "Now: {question}\n{help}"],
  "common.language_set": ["已切换为中文。", "Switched to English."],
  "common.saved_error": ["没有保存：{reason}", "Not saved: {reason}"],
  "common.internal_error": [
    "抱歉，处理时出错了，你填的内容都还在。请再发一次。",
    "Sorry, something went wrong on my side. What you entered is kept — please send it again.",
  ],
  "common.too_long": [
    "这条消息太长了（最多 {max} 字），请简短一些。",
    "That message is too long (max {max} characters); please shorten it.",
  ],
  "common.empty": ["请输入内容。", "Please type something."],
  "common.field_kept": ["已填：{fields}", "Already filled: {fields}"],
  "common.unknown_user": [
    "你好！我还不认识你的账号。请联系管理员为你开通，或发送「绑定 <绑定码>」。",
    "Hello! I don't know your account yet. Please ask your admin to add you, or send “bind <code>”.",
  ],
  "common.edit_which": ["要修改哪一项？", "Which field do you want to change?"],
  "common.optional_offer": ["还可以补充：", "You can also add:"],
  "flow.visit": ["拜访记录", "visit report"],
  "flow.stock": ["库存上报", "stock report"],
  "flow.expense": ["费用", "expense"],
} as const satisfies Messages;
