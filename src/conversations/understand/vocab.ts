/** Word lists that map what reps type to the stored enums (visit methods, purposes, expense categories). */

export type VisitMethod = "in_person" | "phone" | "wechat" | "email" | "meeting";
export type ExpenseCategory =
  | "travel"
  | "accommodation"
  | "transport"
  | "meals"
  | "hospitality"
  | "department_meeting"
  | "samples"
  | "conference"
  | "other";

export const METHODS: [RegExp, VisitMethod][] = [
  [/企业微信|企微|微信|\bwe-?chat\b|\bweixin\b|\bwecom\b/i, "wechat"],
  [/打电话|电话|\bphone(?:\s+call|d)?\b|\bcalled\b|\bcall\b/i, "phone"],
  [/邮件|邮箱|\be-?mail(?:ed)?\b/i, "email"],
  [/科室会|\b(?:department|dept)\s+meeting\b|\bmeeting\b/i, "meeting"],
  [/面访|当面|见面|\bin[\s-]person\b|\bface[\s-]to[\s-]face\b|\bmet\b/i, "in_person"],
];

export const PURPOSES: [RegExp, string][] = [
  [/进药|进院|开户|\blisting\b|\bformulary\b/i, "listing"],
  [/竞品(?:信息)?|\bcompetitors?(?:\s+(?:intel|info))?\b|\bcompetition\b/i, "competitor"],
  [/反馈|\bfeedback\b/i, "feedback"],
  [/推广|产品介绍|介绍产品|介绍|讲解|\bpromotion\b|\bpromote\b|\bpromo\b|\bdetailing\b/i, "promotion"],
  [/更新档案|完善档案|完善信息|\bprofile\s+update\b|\bupdate\s+profile\b/i, "profile_update"],
  [/试用跟踪|试用|\btrial\b/i, "trial"],
  [/跟进|\bfollow[\s-]?up\b/i, "follow_up"],
];

/** Several may match (餐费 … 招待王主任): the word written first decides. */
export const CATEGORIES: [RegExp, ExpenseCategory][] = [
  [/科室会议?|\b(?:department|dept)\s+meeting\b/i, "department_meeting"],
  [/餐费|餐饮|吃饭|午餐|晚餐|工作餐|\bmeals?\b|\blunch\b|\bdinner\b|\bbreakfast\b/i, "meals"],
  [/招待|宴请|\bhospitality\b|\bentertain(?:ment|ing)?\b/i, "hospitality"],
  [
    /打车|出租车?|的士|滴滴|地铁|公交|停车费?|油费|交通费?|\btaxi\b|\bcab\b|\bdidi\b|\buber\b|\bparking\b|\btransport(?:ation)?\b/i,
    "transport",
  ],
  [/住宿|酒店|宾馆|\bhotel\b|\blodging\b|\baccommodation\b/i, "accommodation"],
  [/机票|高铁|火车|动车|航班|差旅|\bflights?\b|\btrain\b|\bairfare\b|\btravel\b/i, "travel"],
  [/会议|会务|\bconference\b|\bcongress\b|\bseminar\b/i, "conference"],
  [/样品|资料|印刷|\bsamples?\b|\bmaterials?\b|\bprinting\b/i, "samples"],
  [/其他|\bother\b/i, "other"],
];
