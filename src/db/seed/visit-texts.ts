import type { Rng } from "./random";

/** Short field notes as reps type them, in the rep's language. */
const texts = {
  "zh-CN": {
    keyMessage: [
      "强调疗效与安全性数据",
      "介绍最新指南推荐",
      "说明医保报销政策",
      "分享临床病例经验",
      "介绍规格与用法用量",
    ],
    outcome: [
      "认可产品，愿意尝试",
      "态度中立，需要更多资料",
      "已在部分患者中使用",
      "暂无需求",
      "反馈良好，用量稳定",
    ],
    notes: ["门诊量大，时间紧", "约下周再谈", "对价格比较关心", "科室新来两位医生", "主任出差，见到副主任"],
    nextStep: ["送文献资料", "安排科室会", "跟进试用反馈", "确认进院申请进度", "补充样品", "约主任面谈"],
    competitor: ["竞品在做学术推广", "竞品降价约10%", "竞品送货更快"],
    samples: ["样品2盒", "宣传折页", "文献汇编"],
  },
  en: {
    keyMessage: [
      "Efficacy and safety data",
      "Latest guideline recommendations",
      "Reimbursement status",
      "Clinical case sharing",
      "Dosage and pack sizes",
    ],
    outcome: [
      "Positive, willing to try",
      "Neutral, wants more data",
      "Already using for some patients",
      "No need right now",
      "Good feedback, steady usage",
    ],
    notes: [
      "Busy clinic, short meeting",
      "Follow up next week",
      "Concerned about price",
      "Two new doctors in the department",
      "Head away, met the deputy",
    ],
    nextStep: [
      "Send literature",
      "Arrange a department meeting",
      "Follow up on trial feedback",
      "Check listing application",
      "Bring samples",
      "Meet the department head",
    ],
    competitor: [
      "Competitor running academic events",
      "Competitor cut price ~10%",
      "Competitor delivers faster",
    ],
    samples: ["2 boxes of samples", "Leaflets", "Literature pack"],
  },
} as const;

export type TextKind = keyof (typeof texts)["en"];

export const fieldText = (rng: Rng, locale: "zh-CN" | "en", kind: TextKind): string =>
  rng.pick(texts[locale][kind]);

export const planPurposeText = (rng: Rng, locale: "zh-CN" | "en"): string =>
  locale === "en"
    ? rng.pick(["Product promotion", "Follow-up", "Trial tracking", "Listing progress"])
    : rng.pick(["产品推广", "回访跟进", "试用跟踪", "进院进展", "竞品信息收集"]);
