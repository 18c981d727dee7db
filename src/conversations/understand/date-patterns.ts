/**
 * The date expressions recognised in a line, each a regex and a resolver to a calendar
 * date. Weekday words are resolved here, not by chrono: weeks start on Monday
 * (CONTRACT.md), while chrono counts weeks from Sunday.
 */
import { addDays, type IsoDate, isIsoDate, isoWeekday } from "../../domain/dates";
import { CN_NUM_CHARS, parseIntLoose } from "./chinese-numerals";

export interface DateCtx {
  today: IsoDate;
  prefer: "past" | "future";
  dotted: boolean;
}

export interface DatePattern {
  re: RegExp;
  resolve: (m: RegExpExecArray, ctx: DateCtx) => IsoDate | null;
}

const pad = (n: number) => String(n).padStart(2, "0");

const ymd = (y: number, m: number, d: number): IsoDate | null => {
  const iso = `${y}-${pad(m)}-${pad(d)}`;
  return isIsoDate(iso) ? iso : null;
};

/** A month-day without a year: the nearest such date to today (ties go to `prefer`). */
export const nearestMonthDay = (month: number, day: number, ctx: DateCtx): IsoDate | null => {
  const year = Number(ctx.today.slice(0, 4));
  const options = [year - 1, year, year + 1]
    .map((y) => ymd(y, month, day))
    .filter((d): d is IsoDate => d !== null);
  return pickNearest(options, ctx);
};

/** The candidate closest to today; on a tie the earlier (prefer past) or later one. */
const pickNearest = (dates: IsoDate[], ctx: DateCtx): IsoDate | null => {
  const distance = (d: IsoDate) => Math.abs(Date.parse(d) - Date.parse(ctx.today));
  const tieBreak = (a: IsoDate, b: IsoDate) => (a < b ? -1 : 1) * (ctx.prefer === "past" ? 1 : -1);
  return [...dates].sort((a, b) => distance(a) - distance(b) || tieBreak(a, b))[0] ?? null;
};

const mondayOf = (d: IsoDate): IsoDate => addDays(d, 1 - isoWeekday(d));

/** Weekday `wd` (1 = Monday) of the week `offset` weeks from today's week. */
export const weekdayInWeek = (today: IsoDate, offset: number, wd: number): IsoDate =>
  addDays(mondayOf(today), offset * 7 + wd - 1);

/** A weekday alone: the most recent one (today included) or the next one (today included). */
export const nearestWeekday = (today: IsoDate, wd: number, prefer: "past" | "future"): IsoDate => {
  const now = isoWeekday(today);
  return prefer === "past" ? addDays(today, -((now - wd + 7) % 7)) : addDays(today, (wd - now + 7) % 7);
};

const ZH_WD: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 7: 7 };
const zhWeekday = (s: string): number => ZH_WD[s] ?? Number(s);
const ZH_WEEK_OFFSET: Record<string, number> = { 上上: -2, 上: -1, 这: 0, 本: 0, 下: 1, 下下: 2 };
const ZH_DAYS: Record<string, number> = {
  大前天: -3,
  前天: -2,
  昨天: -1,
  昨日: -1,
  今天: 0,
  今日: 0,
  明天: 1,
  明日: 1,
  后天: 2,
  大后天: 3,
};

const EN_WD_RE =
  "(mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday)";
const enWeekday = (s: string): number =>
  ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].indexOf(s.toLowerCase().slice(0, 3)) + 1;
const EN_WEEK_OFFSET: Record<string, number> = { last: -1, past: -1, this: 0, next: 1, coming: 1 };
const EN_DAYS: Record<string, number> = { today: 0, tonight: 0, yesterday: -1, tomorrow: 1, tmr: 1, tmrw: 1 };

const EN_MONTH_RE =
  "(jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december)";
const enMonth = (s: string): number =>
  ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].indexOf(
    s.toLowerCase().slice(0, 3),
  ) + 1;

const monthDay = (y: string | undefined, m: number | null, d: number | null, ctx: DateCtx) => {
  if (m === null || d === null) return null;
  return y ? ymd(Number(y), m, d) : nearestMonthDay(m, d, ctx);
};

const CN = `\\d{1,2}|[${CN_NUM_CHARS}]{1,3}`;

/** In priority order: when two matches overlap, the earlier pattern wins. */
export const DATE_PATTERNS: DatePattern[] = [
  {
    re: /(?<!\d)(\d{4})(?:-|\/|\.|年)(\d{1,2})(?:-|\/|\.|月)(\d{1,2})(?:日|号)?(?!\d)/g,
    resolve: (m) => ymd(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    re: new RegExp(`(?<!\\d)(${CN})月(${CN})(?:日|号)`, "g"),
    resolve: (m, ctx) => monthDay(undefined, parseIntLoose(m[1]), parseIntLoose(m[2]), ctx),
  },
  {
    re: /(上上|下下|上|这|本|下)个?(?:周|星期|礼拜)([一二三四五六日天1-7])/g,
    resolve: (m, ctx) => weekdayInWeek(ctx.today, ZH_WEEK_OFFSET[m[1]], zhWeekday(m[2])),
  },
  {
    re: /(?:周|星期|礼拜)([一二三四五六日天1-7])/g,
    resolve: (m, ctx) => nearestWeekday(ctx.today, zhWeekday(m[1]), ctx.prefer),
  },
  {
    re: /大前天|前天|昨天|昨日|今天|今日|明天|明日|大后天|后天/g,
    resolve: (m, ctx) => addDays(ctx.today, ZH_DAYS[m[0]]),
  },
  {
    re: /\b(?:the\s+)?day\s+(before\s+yesterday|after\s+tomorrow)\b/gi,
    resolve: (m, ctx) => addDays(ctx.today, m[1].toLowerCase().startsWith("before") ? -2 : 2),
  },
  {
    re: /\b(today|tonight|yesterday|tomorrow|tmrw|tmr)\b/gi,
    resolve: (m, ctx) => addDays(ctx.today, EN_DAYS[m[1].toLowerCase()]),
  },
  {
    re: new RegExp(`\\b(last|past|this|next|coming)\\s+${EN_WD_RE}\\b`, "gi"),
    resolve: (m, ctx) => weekdayInWeek(ctx.today, EN_WEEK_OFFSET[m[1].toLowerCase()], enWeekday(m[2])),
  },
  {
    re: new RegExp(`\\b(?:on\\s+)?${EN_WD_RE}\\b`, "gi"),
    resolve: (m, ctx) => nearestWeekday(ctx.today, enWeekday(m[1]), ctx.prefer),
  },
  {
    re: new RegExp(`\\b${EN_MONTH_RE}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s*(\\d{4})\\b)?`, "gi"),
    resolve: (m, ctx) => monthDay(m[3], enMonth(m[1]), Number(m[2]), ctx),
  },
  {
    re: new RegExp(
      `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${EN_MONTH_RE}\\b\\.?(?:,?\\s*(\\d{4})\\b)?`,
      "gi",
    ),
    resolve: (m, ctx) => monthDay(m[3], enMonth(m[2]), Number(m[1]), ctx),
  },
  {
    // 11/25 or 11.25 (month first; 25/11 read day first). Not an amount (¥11.25, 11.25元, 1.2k).
    re: /(?<![\d.,¥$/:-])(\d{1,2})([./])(\d{1,2})(?![\d.,%:/]|\s*(?:元|块|k\b|K\b|w\b|万|千|盒|瓶|支))/g,
    resolve: (m, ctx) => {
      if (m[2] === "." && !ctx.dotted) return null;
      const [a, b] = [Number(m[1]), Number(m[3])];
      return a > 12 && b <= 12 ? nearestMonthDay(b, a, ctx) : nearestMonthDay(a, b, ctx);
    },
  },
  {
    // 25号: a day of the month alone, the nearest such date.
    re: new RegExp(`(?<![月\\d${CN_NUM_CHARS}])(${CN})号(?!码)`, "g"),
    resolve: (m, ctx) => {
      const day = parseIntLoose(m[1]);
      if (day === null) return null;
      const candidates = [-1, 0, 1].map((k) => {
        const d = new Date(`${ctx.today.slice(0, 7)}-01T00:00:00Z`);
        d.setUTCMonth(d.getUTCMonth() + k);
        return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, day);
      });
      return pickNearest(
        candidates.filter((d): d is IsoDate => d !== null),
        ctx,
      );
    },
  },
];
