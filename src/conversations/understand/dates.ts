/**
 * Dates and times in free text, resolved against `now` as seen in the user's time zone
 * (the server runs UTC: 明天 at 01:00 Shanghai is the Shanghai date + 1).
 */
import { createRequire } from "node:module";
import { type IsoDate, localDate, localTime } from "../../domain/dates";
import { DATE_PATTERNS, type DateCtx } from "./date-patterns";
import { normalize } from "./normalize";
import { findTime } from "./times";

export interface WhenOptions {
  now: Date;
  timeZone: string;
  /** How to read a bare weekday (周三, monday): the most recent (default) or the next one. */
  prefer?: "past" | "future";
  /** Read 11.25 as a date (default true); expense lines turn it off when it may be an amount. */
  dotted?: boolean;
}

export interface When {
  date: IsoDate;
  hour?: number;
  minute?: number;
  timeKnown: boolean;
  matched: string;
}

export interface Span {
  start: number;
  end: number;
}

export interface DateHit extends Span {
  date: IsoDate;
  text: string;
}

const ctxOf = (opts: WhenOptions): DateCtx => ({
  today: localDate(opts.now, opts.timeZone),
  prefer: opts.prefer ?? "past",
  dotted: opts.dotted ?? true,
});

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** Every date expression in a normalized text, left to right, overlaps resolved by pattern priority. */
export const findDates = (text: string, opts: WhenOptions): DateHit[] => {
  const ctx = ctxOf(opts);
  const hits: DateHit[] = [];
  for (const { re, resolve } of DATE_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const start = m.index ?? 0;
      const span = { start, end: start + m[0].length };
      if (hits.some((h) => overlaps(h, span))) continue;
      const date = resolve(m as RegExpExecArray, ctx);
      if (date) hits.push({ ...span, date, text: m[0] });
    }
  }
  return hits.length > 0 ? hits.sort((a, b) => a.start - b.start) : chronoFallback(text, opts);
};

/** Phrases with a weekday or a day word are ours; chrono gets those wrong (Sunday weeks, 01:00 明天). */
const OURS = /周|星期|礼拜|天|日|\b(mon|tue|wed|thu|fri|sat|sun)|\b(today|tonight|yesterday|tomorrow)\b/i;
const RELATIVE =
  /(\d+|[一二两三四五六七八九十]+)\s*(天|周|个?星期|个?月)[以之]?[后前]|\bin\s+\d+\s+(days?|weeks?)\b|\b\d+\s+(days?|weeks?)\s+ago\b/i;

// chrono takes seconds to load and is only the fallback for rare phrases: load it on first use.
let chronoModule: typeof import("chrono-node") | null = null;
const chrono = () => {
  chronoModule ??= createRequire(import.meta.url)("chrono-node") as typeof import("chrono-node");
  return chronoModule;
};

/** chrono for what our patterns do not cover (3天后, in 2 weeks, 5 days ago), from the user's wall clock. */
const chronoFallback = (text: string, opts: WhenOptions): DateHit[] => {
  if (!RELATIVE.test(text)) return [];
  const d = localDate(opts.now, opts.timeZone);
  const t = localTime(opts.now, opts.timeZone);
  // A Date whose process-local fields equal the user's wall clock: chrono reads local fields.
  const ref = new Date(
    Number(d.slice(0, 4)),
    Number(d.slice(5, 7)) - 1,
    Number(d.slice(8, 10)),
    t.hour,
    t.minute,
  );
  const results = [...chrono().zh.parse(text, ref), ...chrono().en.parse(text, ref)];
  const r = results.find(
    (x) =>
      x.start.isCertain("day") && RELATIVE.test(x.text) && !OURS.test(x.text.replace(/天[以之]?[后前]/, "")),
  );
  if (!r) return [];
  const pad = (n: number | null) => String(n ?? 0).padStart(2, "0");
  const date = `${r.start.get("year")}-${pad(r.start.get("month"))}-${pad(r.start.get("day"))}`;
  return [{ start: r.index, end: r.index + r.text.length, date, text: r.text }];
};

export interface WhenHit {
  when: When;
  spans: Span[];
}

/** The first date (and a time of day anywhere in the text) with the spans they occupy. */
export const findWhen = (text: string, opts: WhenOptions): WhenHit | null => {
  const date = findDates(text, opts)[0];
  const time = findTime(text);
  const usableTime = time && !(date && overlaps(date, time)) ? time : null;
  if (!date && !usableTime) return null;
  const spans = [date, usableTime].filter((s): s is NonNullable<typeof s> => s !== null && s !== undefined);
  spans.sort((a, b) => a.start - b.start);
  const matched =
    spans.length === 2 && /^[\s的]*$/.test(text.slice(spans[0].end, spans[1].start))
      ? text.slice(spans[0].start, spans[1].end)
      : spans.map((s) => text.slice(s.start, s.end)).join(" ");
  const when: When = {
    date: date?.date ?? localDate(opts.now, opts.timeZone),
    timeKnown: usableTime !== null,
    matched,
    ...(usableTime ? { hour: usableTime.hour, minute: usableTime.minute } : {}),
  };
  return { when, spans: spans.map(({ start, end }) => ({ start, end })) };
};

/** Date (and time of day) in a text: 昨天, 下周二, 11月25日, tomorrow 3pm, next tuesday… */
export const parseWhen = (text: string, opts: WhenOptions): When | null =>
  findWhen(normalize(text), opts)?.when ?? null;

export interface FollowUp {
  date: IsoDate;
  matched: string;
}

const FOLLOW_UP = /复访|回访|跟进|再访|再次拜访|下次拜访|follow[\s-]?up|f\/u|next\s+visit|revisit/gi;
const GAP_BEFORE = /^[\s,，:：]*(?:再|再次)?[\s]*$/;
const GAP_AFTER = /^[\s:：,，]*(?:on|at|in|by|于|在|时间|日期|date)?[\s:：]*$/i;

/** The follow-up date next to a follow-up word: 下周二复访, 复访 下周二, follow up next tue, follow-up 11/30. */
export const findFollowUp = (text: string, opts: WhenOptions): (FollowUp & Span) | null => {
  const dates = findDates(text, { ...opts, prefer: opts.prefer ?? "future" });
  const today = localDate(opts.now, opts.timeZone);
  for (const m of text.matchAll(FOLLOW_UP)) {
    const ms = m.index ?? 0;
    const me = ms + m[0].length;
    // 昨天复访了 is a past follow-up visit, not a follow-up date: only later dates precede the word.
    const before = dates
      .filter((d) => d.end <= ms && d.date > today && GAP_BEFORE.test(text.slice(d.end, ms)))
      .at(-1);
    const after = dates.find(
      (d) => d.start >= me && d.date >= today && GAP_AFTER.test(text.slice(me, d.start)),
    );
    const d = after ?? before;
    if (!d) continue;
    const start = Math.min(ms, d.start);
    const end = Math.max(me, d.end);
    return { date: d.date, matched: text.slice(start, end), start, end };
  }
  return null;
};

export const parseFollowUp = (text: string, opts: WhenOptions): FollowUp | null => {
  const hit = findFollowUp(normalize(text), opts);
  return hit ? { date: hit.date, matched: hit.matched } : null;
};
