/** Time of day in a line: 下午3点, 上午10点半, 三点一刻, 15:30, 3pm, 3:30 pm. */
import { CN_NUM_CHARS, parseIntLoose } from "./chinese-numerals";

export interface TimeHit {
  hour: number;
  minute: number;
  start: number;
  end: number;
}

const ZH_TIME = new RegExp(
  `(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)?\\s*(\\d{1,2}|[${CN_NUM_CHARS}]{1,3})\\s*[点時时](?:\\s*(半|一刻|三刻|(\\d{1,2}|[${CN_NUM_CHARS}]{1,3})\\s*分?))?`,
);
const CLOCK = /(?<![\d:.])([01]?\d|2[0-3]):([0-5]\d)(?!\d)(?:\s*(am|pm|a\.m\.|p\.m\.)(?![a-z]))?/i;
const EN_TIME = /(?<![\d:.])(\d{1,2})(?:[:.]([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)(?![a-z])/i;
const NOON = /\b(noon|midday)\b/i;

const AFTERNOON = new Set(["下午", "傍晚", "晚上", "pm", "p.m."]);
const MORNING = new Set(["凌晨", "早上", "早晨", "上午", "am", "a.m."]);

const withMeridiem = (hour: number, meridiem: string | undefined, bareIsWork: boolean): number => {
  const m = meridiem?.toLowerCase();
  if (m && AFTERNOON.has(m)) return hour < 12 ? hour + 12 : hour;
  if (m && MORNING.has(m)) return hour === 12 ? 0 : hour;
  if (m === "中午") return hour <= 2 ? hour + 12 : hour;
  // A rep's bare "3点" is a working-hours visit, so 1–6 o'clock reads as afternoon.
  if (bareIsWork && hour >= 1 && hour <= 6) return hour + 12;
  return hour;
};

const zhMinute = (m: RegExpExecArray): number | null => {
  if (m[3] === "半") return 30;
  if (m[3] === "一刻") return 15;
  if (m[3] === "三刻") return 45;
  return m[4] ? parseIntLoose(m[4]) : 0;
};

const valid = (hour: number | null, minute: number | null): boolean =>
  hour !== null && minute !== null && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;

const hit = (m: RegExpExecArray, hour: number, minute: number): TimeHit => {
  const lead = m[0].length - m[0].trimStart().length;
  return { hour, minute, start: m.index + lead, end: m.index + m[0].trimEnd().length };
};

/** The first time of day in a (normalized) text, or null. */
export const findTime = (text: string): TimeHit | null => {
  const clock = CLOCK.exec(text);
  if (clock) {
    const hour = withMeridiem(Number(clock[1]), clock[3], false);
    if (valid(hour, Number(clock[2]))) return hit(clock, hour, Number(clock[2]));
  }
  const en = EN_TIME.exec(text);
  if (en) {
    const hour = withMeridiem(Number(en[1]), en[3], false);
    const minute = en[2] ? Number(en[2]) : 0;
    if (Number(en[1]) <= 12 && valid(hour, minute)) return hit(en, hour, minute);
  }
  const zh = ZH_TIME.exec(text);
  if (zh) {
    const raw = parseIntLoose(zh[2]);
    const minute = zhMinute(zh);
    const hour = raw === null ? null : withMeridiem(raw, zh[1], true);
    if (valid(hour, minute) && hour !== null && minute !== null) return hit(zh, hour, minute);
  }
  const noon = NOON.exec(text);
  return noon ? hit(noon, 12, 0) : null;
};

const ZH_BAD = new RegExp(
  `(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)?\\s*(\\d{1,2}|[${CN_NUM_CHARS}]{1,3})\\s*[点時时](?:\\s*(\\d{1,3}|[${CN_NUM_CHARS}]{1,3})\\s*分)?`,
);
const CLOCK_BAD = /(?<![\d:.])(\d{1,2}):(\d{2})(?![\d:])/;
const EN_BAD = /(?<![\d:.])(\d{1,2})(?::(\d{2}))?\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z])/i;

/**
 * A time of day that cannot be (25点, 25:61, 13pm), or null. findTime skips these; a reader
 * that only used findTime would drop the time silently and log the day at noon.
 */
export const findBadTime = (text: string): { matched: string; start: number; end: number } | null => {
  const wrong = (re: RegExp, maxHour: number) => {
    const m = re.exec(text);
    if (!m) return null;
    const hour = parseIntLoose(m[1]);
    const minute = m[2] ? parseIntLoose(m[2]) : 0;
    if (hour !== null && minute !== null && hour <= maxHour && minute <= 59) return null;
    const lead = m[0].length - m[0].trimStart().length;
    return { matched: m[0].trim(), start: m.index + lead, end: m.index + m[0].trimEnd().length };
  };
  return wrong(CLOCK_BAD, 23) ?? wrong(EN_BAD, 12) ?? wrong(ZH_BAD, 23);
};
