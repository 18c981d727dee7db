/**
 * Cell parsers shared by the importers. They normalise what spreadsheets write (thousands
 * separators, 2026/3/5, 是/否) and otherwise hand the cell on unchanged, so the zod schema
 * that follows says what is wrong with it.
 */

/** Digits in groups of three after the first, one separator throughout: 1,200 / 1 200 000.50. */
const THOUSANDS = /^[-+]?\d{1,3}([,\s])\d{3}(?:\1\d{3})*(?:\.\d+)?$/;

/**
 * `1,200` / `¥1200.50` / `１２００` → a number; anything else stays a string for zod to refuse.
 * A comma or space counts only as a thousands separator: `1,5` (a decimal comma, or a typo)
 * is refused rather than read as 15.
 */
export const numberCell = (v: string | undefined): number | string | undefined => {
  if (v === undefined) return undefined;
  const bare = v
    .normalize("NFKC")
    .replace(/[¥元]/g, "")
    .replace(/^\s*RMB/i, "")
    .trim();
  const s = THOUSANDS.test(bare) ? bare.replace(/[,\s]/g, "") : bare;
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : v;
};

/** YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, with an optional trailing time → YYYY-MM-DD. */
export const dateCell = (v: string | undefined): string | undefined => {
  if (v === undefined) return undefined;
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(v);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : v;
};

const TRUE = new Set(["1", "true", "yes", "y", "是", "有", "√", "✓", "对"]);
const FALSE = new Set(["0", "false", "no", "n", "否", "无", "×", "不是"]);

export const boolCell = (v: string | undefined): boolean | string | undefined => {
  if (v === undefined) return undefined;
  const k = v.trim().toLowerCase();
  return TRUE.has(k) ? true : FALSE.has(k) ? false : v;
};

/** Maps a cell through a value table (keys lower-case); an unknown value passes through for zod. */
export const enumCell = <T extends string>(table: Record<string, T>) => {
  return (v: string | undefined): T | string | undefined => {
    if (v === undefined) return undefined;
    return table[v.trim().toLowerCase()] ?? v;
  };
};

export const kindCell = enumCell({
  hospital: "hospital",
  医院: "hospital",
  department: "department",
  科室: "department",
  doctor: "doctor",
  医生: "doctor",
  pharmacy: "pharmacy",
  药店: "pharmacy",
  零售药店: "pharmacy",
  distributor: "distributor",
  商业公司: "distributor",
  经销商: "distributor",
  代理商: "distributor",
});

export const stageCell = enumCell({
  to_identify: "to_identify",
  待辨认: "to_identify",
  new: "new",
  新增: "new",
  intent: "intent",
  意向: "intent",
  purchasing: "purchasing",
  进货: "purchasing",
  complete: "complete",
  完整信息: "complete",
});

export const channelCell = enumCell({
  sms: "sms",
  短信: "sms",
  email: "email",
  邮件: "email",
  邮箱: "email",
});

export const consentStateCell = enumCell({
  granted: "granted",
  yes: "granted",
  y: "granted",
  "1": "granted",
  true: "granted",
  是: "granted",
  同意: "granted",
  已同意: "granted",
  withdrawn: "withdrawn",
  no: "withdrawn",
  n: "withdrawn",
  "0": "withdrawn",
  false: "withdrawn",
  否: "withdrawn",
  拒绝: "withdrawn",
  撤回: "withdrawn",
  不同意: "withdrawn",
});

export const sourceCell = enumCell({
  erp: "erp",
  flow: "flow",
  流向: "flow",
  manual: "manual",
  手工: "manual",
});

/** 1 / 一线 / 1线 / 一级 → 1 (and so on); anything else for zod. */
export const cityTierCell = (v: string | undefined): number | string | undefined => {
  if (v === undefined) return undefined;
  const m = /^([123一二三])\s*(线|级|线城市)?$/.exec(v.trim());
  if (!m) return v;
  return { "1": 1, "2": 2, "3": 3, 一: 1, 二: 2, 三: 3 }[m[1]] ?? v;
};

/** Birthdays as spreadsheets write them (1975/3/8, 3月8日, 3/8) → YYYY-MM-DD or MM-DD. */
export const birthdayCell = (v: string | undefined): string | undefined => {
  if (v === undefined) return undefined;
  const full = dateCell(v);
  if (full !== v) return full;
  const m = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(v.trim());
  return m ? `${m[1].padStart(2, "0")}-${m[2].padStart(2, "0")}` : v;
};
