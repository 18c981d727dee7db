/** The doctor's usage rating after a visit, 1–7 (DOMAIN.md): 评级6, 评分 6, 6分, rating 6, rated 6/7. */
import { parseIntLoose } from "./chinese-numerals";
import { normalize } from "./normalize";

export interface RatingHit {
  rating: number;
  matched: string;
  start: number;
  end: number;
}

export interface RatingError {
  /** out_of_range: 评级9; not_whole: 评级 6.5 or rating -3 (the scale has whole steps only). */
  error: "out_of_range" | "not_whole";
  value: number;
  matched: string;
  start: number;
  end: number;
}

const WORD = "(?:评级|评分|打分|评|使用评级|rating|rated|rate|score)";

const PATTERNS = [
  new RegExp(
    `${WORD}\\s*(?:[:：为是=]|of)?\\s*(\\d{1,2}|[一二三四五六七八九十])(?:\\s*\\/\\s*7)?(?![\\d.])`,
    "i",
  ),
  /(?<![点:.\d])(\d{1,2}|[一二三四五六七八九十])\s*分(?!钟|之)/,
  /(?<![\d./])([1-7])\s*\/\s*7(?!\d)/,
];

/**
 * 评级 6.5, rating -3, 6.5分: read as a refused rating, so the number is neither dropped
 * silently nor left for the date reader (6.5 would otherwise become June 5).
 */
const NOT_WHOLE = [
  new RegExp(`${WORD}\\s*(?:[:：为是=]|of)?\\s*(-\\s*\\d+(?:\\.\\d+)?|\\d{1,2}\\.\\d+)(?![\\d.])`, "i"),
  /(?<![点:.\d])(\d{1,2}\.\d+)\s*分(?!钟|之)/,
];

const notWhole = (text: string): RatingError | null => {
  for (const re of NOT_WHOLE) {
    const m = re.exec(text);
    if (m)
      return {
        error: "not_whole",
        value: Number(m[1].replace(/\s+/g, "")),
        matched: m[0],
        start: m.index,
        end: m.index + m[0].length,
      };
  }
  return null;
};

/** The first rating in a normalized text; a text that is only a number is a rating too. */
export const findRating = (text: string): RatingHit | RatingError | null => {
  const refused = notWhole(text);
  if (refused) return refused;
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const value = parseIntLoose(m[1]);
    if (value === null) continue;
    const span = { matched: m[0], start: m.index, end: m.index + m[0].length };
    return value >= 1 && value <= 7 ? { rating: value, ...span } : { error: "out_of_range", value, ...span };
  }
  const whole = /^\d{1,2}$/.exec(text.trim());
  if (!whole) return null;
  const value = Number(whole[0]);
  const span = { matched: whole[0], start: 0, end: text.length };
  return value >= 1 && value <= 7 ? { rating: value, ...span } : { error: "out_of_range", value, ...span };
};

/** 1–7, `{ error: "out_of_range" }` for 评级9, or null when the text carries no rating. */
export const parseRating = (text: string): number | Pick<RatingError, "error" | "value"> | null => {
  const hit = findRating(normalize(text));
  if (!hit) return null;
  return "rating" in hit ? hit.rating : { error: hit.error, value: hit.value };
};
