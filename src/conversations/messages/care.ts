import type { Messages } from "./types";

/**
 * Care greetings to customers (DOMAIN.md §7) and the opt-out pages. Personal wishes only:
 * never a product, a price or a benefit (the templates test runs `isProductFree` on them).
 */
export const careMessages = {
  "care.wish.birthday": ["生日快乐", "Happy birthday"],
  "care.wish.spring_festival": ["新春快乐", "Happy Spring Festival"],
  "care.wish.lantern": ["元宵节快乐", "Happy Lantern Festival"],
  "care.wish.dragon_boat": ["端午安康", "Happy Dragon Boat Festival"],
  "care.wish.mid_autumn": ["中秋快乐", "Happy Mid-Autumn Festival"],
  "care.wish.new_year": ["元旦快乐", "Happy New Year"],
  "care.wish.national_day": ["国庆快乐", "Happy National Day"],
  "care.wish.doctors_day": ["医师节快乐", "Happy Chinese Doctors' Day"],
  "care.wish.nurses_day": ["护士节快乐", "Happy Nurses' Day"],
  "care.wish.joiner": ["、", " and "],
  "care.salutation": ["尊敬的{name}{title}", "Dear {title} {name}"],
  "care.sms": [
    "{salutation}：祝您{wishes}，身体健康，阖家幸福！{rep}敬上。",
    "{salutation}, {wishes}! Wishing you and your family good health. Best regards, {rep}.",
  ],
  // The carriers require the Chinese line even in an English text (Chinese numbers).
  "care.sms_opt_out": ["拒收请回复R", "Reply R to opt out. 拒收请回复R"],
  "care.email_subject": ["{name}{title}，祝您{wishes}", "{wishes}, {title} {name}"],
  "care.email_body": [
    "{salutation}：\n\n值此佳节，祝您{wishes}，身体健康，阖家幸福！\n\n{rep}敬上",
    "{salutation},\n\n{wishes}! Wishing you and your family good health and happiness.\n\nBest regards,\n{rep}",
  ],
  "care.email_unsubscribe": [
    "不想再收到此类邮件？点击退订：{link}",
    "Prefer not to receive these emails? Unsubscribe: {link}",
  ],
  "care.email_unsubscribe_label": ["退订", "Unsubscribe"],
  "care.email_unsubscribe_lead": ["不想再收到此类邮件？", "Prefer not to receive these emails?"],
  // To the rep: greetings the job held back because their text named a product, price or benefit.
  "care.held_title": [
    "{date} 以下客户的关怀问候未发出：问候内容含有产品名称、价格或利益信息。",
    "{date}: these customers' care greetings were not sent, as their text named a product, a price or a benefit.",
  ],
  "care.held_item": ["{n}. {name}", "{n}. {name}"],
  "care.held_hint": [
    "问候会带上您的显示名称和客户的姓名、职称：请去掉其中的产品名称等内容。",
    "A greeting carries your display name and the customer's name and title: please remove any product name from them.",
  ],
  "care.unsubscribe_title": ["退订成功", "Unsubscribed"],
  "care.unsubscribed_email": [
    "您已退订关怀邮件，今后不会再收到此类邮件。",
    "You have been unsubscribed: you will receive no more of these emails.",
  ],
  "care.unsubscribed_sms": [
    "您已退订关怀短信，今后不会再收到此类短信。",
    "You have been unsubscribed: you will receive no more of these text messages.",
  ],
  "care.unsubscribe_invalid_title": ["链接无效", "Invalid link"],
  "care.unsubscribe_invalid": [
    "该退订链接无效或不完整，请使用邮件中的完整链接。",
    "This unsubscribe link is invalid or incomplete: please use the full link from the email.",
  ],
} as const satisfies Messages;
