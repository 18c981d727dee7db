import type { Messages } from "./types";

export const jobMessages = {
  "job.daily_plan_title": [
    "☀️ 早上好！{date} 拜访计划（{count} 位）：",
    "☀️ Good morning! Your visit plan for {date} ({count}):",
  ],
  "job.daily_plan_empty": [
    "☀️ {date} 没有到期的拜访，可以安排开发新客户。",
    "☀️ Nothing due on {date} — a good day to develop new customers.",
  ],
  "job.team_plan": [
    "👥 {date} 团队计划：{reps} 位代表共 {visits} 个拜访。",
    "👥 Team plan for {date}: {visits} visits across {reps} reps.",
  ],
  "job.follow_up_title": ["⏰ 待复访客户（{count}）：", "⏰ Follow-ups due ({count}):"],
  "job.follow_up_item": ["{n}. {name}（{due}{overdue}）{next}", "{n}. {name} ({due}{overdue}) {next}"],
  "job.overdue_days": ["，已逾期 {days} 天", ", {days} days overdue"],
  "job.churn_title": ["📉 客户流失预警：", "📉 Customer churn alert:"],
  "job.churn_overdue": [
    "{name}：上次进货 {last}，通常每 {cycle} 天进货一次，已 {silence} 天未进货。建议尽快拜访。",
    "{name}: last purchase {last}, usually every {cycle} days, silent for {silence} days. A visit is suggested.",
  ],
  "job.churn_upgraded": [
    "‼️ {name}：已 {silence} 天未进货（通常 {cycle} 天），预警升级，经理已知悉。",
    "‼️ {name}: silent for {silence} days (usually {cycle}) — escalated, the manager is informed.",
  ],
  "job.churn_decline": [
    "{name}：近 90 天进货额 ¥{last} ，仅为前 90 天 ¥{previous} 的 {pct}%。",
    "{name}: purchases in the last 90 days ¥{last}, only {pct}% of the previous 90 days (¥{previous}).",
  ],
  "job.plan_visit": ["安排拜访 {name}", "Plan a visit to {name}"],
  "job.care_preview_title": [
    "🎉 明天（{date}）将向以下客户发送问候：",
    "🎉 Tomorrow ({date}) these customers will be greeted:",
  ],
  "job.care_preview_item": ["{n}. {name}（{occasions}，{channel}）", "{n}. {name} ({occasions}, {channel})"],
  "job.care_preview_hint": [
    "不想发送的，回复「不发 姓名」或点选。",
    "To stop one, reply “skip <name>” or tap it.",
  ],
  "job.care_skip": ["不发 {name}", "Skip {name}"],
  "job.digest_title": [
    "📊 上周（{from} 至 {to}）团队周报：",
    "📊 Team digest for last week ({from} to {to}):",
  ],
  "job.digest_rep": ["{name}：拜访 {calls} 次，外勤 {days} 天", "{name}: {calls} calls, {days} field days"],
  "job.digest_approvals": ["待你审批：{count} 项", "Approvals waiting for you: {count}"],
  "job.digest_churn": ["未关闭的流失预警：{count} 个", "Open churn alerts: {count}"],
  "occasion.birthday": ["生日", "birthday"],
  "occasion.spring_festival": ["春节", "Spring Festival"],
  "occasion.lantern": ["元宵节", "Lantern Festival"],
  "occasion.dragon_boat": ["端午节", "Dragon Boat Festival"],
  "occasion.mid_autumn": ["中秋节", "Mid-Autumn Festival"],
  "occasion.new_year": ["元旦", "New Year's Day"],
  "occasion.national_day": ["国庆节", "National Day"],
  "occasion.doctors_day": ["医师节", "Doctors' Day"],
  "occasion.nurses_day": ["护士节", "Nurses' Day"],
  "channel.sms": ["短信", "SMS"],
  "channel.email": ["邮件", "email"],
} as const satisfies Messages;
