/** Money in a line, CNY with at most 2 decimals: ¥1,234.50, 1234.5元, 一千二百元, 两千五, 1.2k, 1.2万. */
import { CN_NUM_CHARS, parseChineseNumeral } from "./chinese-numerals";
import { normalize } from "./normalize";

export interface AmountHit {
  amount: number;
  matched: string;
  start: number;
  end: number;
}

export interface AmountError {
  error: "too_many_decimals" | "negative";
  matched: string;
  start: number;
  end: number;
}

const NUM = "(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)";
const MULT = "(万|w|W|千|k|K)";
const YUAN = "(?:元|块钱|块|rmb|cny|yuan)";
const MULTIPLIERS: Record<string, number> = { 万: 10_000, w: 10_000, W: 10_000, 千: 1000, k: 1000, K: 1000 };

interface AmountPattern {
  re: RegExp;
  num: (m: RegExpExecArray) => number | "too_many_decimals" | null;
}

const fromDigits = (raw: string, mult?: string): number | "too_many_decimals" => {
  const value = Number(raw.replace(/,/g, "")) * (mult ? MULTIPLIERS[mult] : 1);
  const cents = Math.round(value * 100);
  // 12.345 is rejected (CONTRACT.md): money has at most 2 decimals, never rounded silently.
  return Math.abs(cents - value * 100) > 1e-6 ? "too_many_decimals" : cents / 100;
};

const hasCnDigit = (s: string) => /[零〇一二两三四五六七八九]/.test(s);

/** In priority order; the first pattern that matches anywhere wins. */
const PATTERNS: AmountPattern[] = [
  { re: new RegExp(`(?:[¥$]|rmb|cny)\\s*${NUM}\\s*${MULT}?`, "i"), num: (m) => fromDigits(m[1], m[2]) },
  {
    re: new RegExp(`(?<![\\d.,])${NUM}\\s*${MULT}?\\s*${YUAN}(?![a-z])`, "i"),
    num: (m) => fromDigits(m[1], m[2]),
  },
  { re: new RegExp(`(?<![\\d.,\\w])${NUM}\\s*${MULT}(?![a-zA-Z])`), num: (m) => fromDigits(m[1], m[2]) },
  {
    re: new RegExp(
      `(?:amount|金额|费用|合计|总共|共计|花了|spent|cost|total)\\s*(?:of|is|:|为|是)?\\s*[¥$]?\\s*${NUM}`,
      "i",
    ),
    num: (m) => fromDigits(m[1]),
  },
  {
    re: new RegExp(`([${CN_NUM_CHARS}]+)\\s*(${YUAN})?`),
    num: (m) => {
      // 十盒 or 一下 are not money: need 元/块, or a digit with 百/千/万 (两千五, 三百五十).
      if (!m[2] && !(hasCnDigit(m[1]) && /[百千万]/.test(m[1]))) return null;
      return parseChineseNumeral(m[1]);
    },
  },
];

/** A standalone number; a minus on it is captured (-85) so it is refused, not left as text. */
const BARE = new RegExp(`(?<![\\w.,/:-])(?:(?<=^|[\\s(（])[-−])?${NUM}(?![\\w.,/:%-])`, "g");

/**
 * A minus written on the amount (-50元, -¥50), after a space or at the start: money is
 * never negative, and dropping the sign would file a different amount than the rep typed.
 * A dash after a word or digit (11-20, 餐费-50) is left alone.
 */
const minusBefore = (text: string, start: number): boolean =>
  /[-−]/.test(text[start - 1] ?? "") && /^$|[\s(（]/.test(text[start - 2] ?? "");

const toHit = (
  text: string,
  m: RegExpExecArray,
  value: number | "too_many_decimals",
): AmountHit | AmountError => {
  const negative = /^[-−]/.test(m[0]) || minusBefore(text, m.index);
  const start = negative && !/^[-−]/.test(m[0]) ? m.index - 1 : m.index;
  const span = {
    matched: text.slice(start, m.index + m[0].trimEnd().length).trim(),
    start,
    end: m.index + m[0].trimEnd().length,
  };
  if (negative) return { error: "negative", ...span };
  return value === "too_many_decimals" ? { error: value, ...span } : { amount: value, ...span };
};

const firstMatch = (text: string, re: RegExp): RegExpExecArray[] => {
  const global = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  return [...text.matchAll(global)] as RegExpExecArray[];
};

/**
 * The first amount in a normalized text. Marked amounts (¥, 元, k, 万, amount …) first;
 * with `bare`, a standalone number also counts (expense lines, after dates and invoice
 * numbers are removed); a text that is only a number always does.
 */
export const findAmount = (text: string, opts: { bare?: boolean } = {}): AmountHit | AmountError | null => {
  for (const p of PATTERNS) {
    for (const m of firstMatch(text, p.re)) {
      const value = p.num(m);
      if (value !== null) return toHit(text, m, value);
    }
  }
  const trimmed = text.trim();
  const whole = new RegExp(`^[-−]?${NUM}$`).exec(trimmed);
  if (whole) return toHit(trimmed, whole, fromDigits(whole[1]));
  if (!opts.bare) return null;
  const bare = firstMatch(text, BARE)[0];
  return bare ? toHit(text, bare, fromDigits(bare[1])) : null;
};

/** The amount in CNY, or null (none, negative or more than 2 decimals — see `findAmount` for the reason). */
export const parseAmount = (text: string): number | null => {
  const hit = findAmount(normalize(text));
  return hit && "amount" in hit ? hit.amount : null;
};
