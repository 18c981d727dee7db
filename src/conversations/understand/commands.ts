/**
 * The command word at the start of a line (CONTRACT.md "Chat commands"), in both
 * languages, with Slack's leading slash, any case, full-width already folded.
 */

export type Intent =
  | "visit"
  | "stock"
  | "expense"
  | "plan"
  | "approvals"
  | "customers"
  | "help"
  | "cancel"
  | "back"
  | "continue"
  | "language"
  | "bind"
  | "skip"
  | "approve"
  | "reject";

export interface Command {
  intent: Intent;
  /** The text after the command word. */
  args: string;
  expenseKind?: "reimbursement" | "pre_approval";
  ref?: string;
  reason?: string;
  bindCode?: string;
  language?: "en" | "zh-CN";
}

const EXACT: [RegExp, Intent][] = [
  [/^(cancel|取消|算了|退出)$/i, "cancel"],
  [/^(back|上一步|返回)$/i, "back"],
  [/^(continue|继续|go on)$/i, "continue"],
  [/^(help|帮助|\?|帮忙|菜单|menu)$/i, "help"],
  [/^(approvals|审批|待审批|my approvals)$/i, "approvals"],
];

/** Command words that take arguments; the zh ones need no space after them (拜访协和). */
const PREFIX: [RegExp, Intent, Command["expenseKind"]?][] = [
  [
    /^(?:费用申请|申请费用|事前申请|pre-?approval|pre approval|expense request)\s*/i,
    "expense",
    "pre_approval",
  ],
  [/^(?:报销|费用报销|reimburse(?:ment)?\b|expenses?\b|claim\b)\s*/i, "expense", "reimbursement"],
  [/^(?:拜访了?|log visit\b|visit(?:ed)?\b)\s*/i, "visit"],
  [/^(?:库存|盘点|stock(?:\s+count)?\b|inventory\b)\s*/i, "stock"],
  [/^(?:计划|拜访计划|今日计划|plans?\b|schedule\b)\s*/i, "plan"],
  [/^(?:客户|customers?\b)\s*/i, "customers"],
];

const REF = "([A-Za-z]\\d+)";
// The rest may run over several lines (a reason typed with line breaks): [\s\S], not `.`.
const APPROVE = new RegExp(`^(?:同意|批准|通过|approved?)\\s*${REF}\\s*([\\s\\S]*)$`, "i");
const REJECT = new RegExp(
  `^(?:驳回|拒绝|不同意|reject(?:ed)?|decline[d]?)\\s*${REF}\\s*[:：,，-]?\\s*([\\s\\S]*)$`,
  "i",
);
const BIND = /^(?:bind|绑定)\s*([A-Za-z0-9-]+)$/i;
const SKIP = /^(?:skip\b|不发)\s*(.*)$/i;
const LANGUAGE: Record<string, "en" | "zh-CN"> = {
  english: "en",
  英文: "en",
  中文: "zh-CN",
  chinese: "zh-CN",
};

const decision = (text: string): Command | null => {
  const a = APPROVE.exec(text);
  if (a) return { intent: "approve", args: a[2].trim(), ref: a[1].toUpperCase() };
  const r = REJECT.exec(text);
  if (!r) return null;
  const reason = r[2].trim();
  return { intent: "reject", args: "", ref: r[1].toUpperCase(), ...(reason ? { reason } : {}) };
};

/** The command a normalized line starts with, or null (free text inside a flow). */
export const detectCommand = (line: string): Command | null => {
  const text = line.replace(/^\//, "").trim();
  const word = text.replace(/[.!。！]+$/, "").toLowerCase();
  // Own keys only: "constructor" or "__proto__" typed in chat is not a language.
  if (Object.hasOwn(LANGUAGE, word)) return { intent: "language", args: "", language: LANGUAGE[word] };
  for (const [re, intent] of EXACT) if (re.test(word)) return { intent, args: "" };
  const d = decision(text);
  if (d) return d;
  const b = BIND.exec(text);
  if (b) return { intent: "bind", args: "", bindCode: b[1] };
  const s = SKIP.exec(text);
  if (s) return { intent: "skip", args: s[1].trim() };
  for (const [re, intent, expenseKind] of PREFIX) {
    const m = re.exec(text);
    if (m) return { intent, args: text.slice(m[0].length).trim(), ...(expenseKind ? { expenseKind } : {}) };
  }
  return null;
};
