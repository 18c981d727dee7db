/**
 * Chinese numerals (零一二两三四五六七八九十百千万), including the colloquial
 * abbreviations reps type: 两千五 = 2500, 一万二 = 12000, 三百五 = 350.
 */
const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Character class body for regexes: any Chinese numeral character. */
export const CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万";

interface State {
  total: number;
  section: number;
  digit: number | null;
  lastUnit: number;
  sawZero: boolean;
}

const step = (s: State, ch: string): State | null => {
  if (ch in DIGITS) {
    // Two non-zero digits in a row (一二) is a digit string, not a number word.
    if (s.digit !== null && s.digit !== 0) return null;
    const d = DIGITS[ch];
    return { ...s, digit: d, sawZero: s.sawZero || d === 0 };
  }
  if (ch in SMALL_UNITS) {
    const unit = SMALL_UNITS[ch];
    return { ...s, section: s.section + (s.digit ?? 1) * unit, digit: null, lastUnit: unit, sawZero: false };
  }
  if (ch === "万") {
    const section = s.section + (s.digit ?? 0);
    return {
      ...s,
      total: s.total + (section || 1) * 10_000,
      section: 0,
      digit: null,
      lastUnit: 10_000,
      sawZero: false,
    };
  }
  return null;
};

/** The integer a Chinese numeral spells, or null when it is not one. */
export const parseChineseNumeral = (text: string): number | null => {
  if (text.length === 0) return null;
  let s: State | null = { total: 0, section: 0, digit: null, lastUnit: 0, sawZero: false };
  for (const ch of text) {
    s = step(s, ch);
    if (s === null) return null;
  }
  let tail = s.digit ?? 0;
  // 两千五: a lone digit right after 百/千/万 (no 零 between) counts in the next lower unit.
  if (s.digit !== null && s.lastUnit >= 100 && !s.sawZero) tail = s.digit * (s.lastUnit / 10);
  return s.total + s.section + tail;
};

/** Arabic digits or a Chinese numeral → integer. */
export const parseIntLoose = (text: string): number | null =>
  /^\d+$/.test(text) ? Number(text) : parseChineseNumeral(text);
