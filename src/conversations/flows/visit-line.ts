/**
 * Reading a free-text visit line (`拜访 协和 王主任 昨天 评级6 下周二复访`) into the draft,
 * with the reasons for what it could not take: a rating out of range, a date later than
 * now, a time of day that is not one, a name none of the rep's customers has, and
 * prescription figures, which are never stored (统方, DOMAIN.md §9).
 */
import { localDate, localTime } from "../../domain/dates";
import type { FlowContext } from "../flow";
import type { Notice } from "../flow-runner";
import { findDates } from "../understand/dates";
import {
  takeCustomer,
  takeFollowUp,
  takeMethod,
  takeNextStep,
  takeProducts,
  takePurposes,
  takeWhen,
} from "../understand/extract";
import { cut } from "../understand/normalize";
import { mentionsPrescriptionCount } from "../understand/prescriptions";
import { findRating } from "../understand/ratings";
import { findBadTime } from "../understand/times";
import { resolveCustomer } from "./pick";
import type { VisitDraft } from "./visit";

/** The understanding vocabulary says "competitor"/"trial"; the record keeps the domain's names. */
const PURPOSE_ALIAS: Record<string, string> = { competitor: "competitor_intel", trial: "trial_tracking" };
export const toPurpose = (p: string) => PURPOSE_ALIAS[p] ?? p;

const hhmm = (hour: number, minute: number) =>
  `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;

/** Why a visit date (and time) cannot be taken: later than now where the rep is. */
export const futureNotice = (date: string, time: string | null, ctx: FlowContext): Notice | null => {
  const today = localDate(ctx.now, ctx.timeZone);
  if (date > today) return { key: "visit.future_when" };
  const now = localTime(ctx.now, ctx.timeZone);
  // A date alone is never "later today": the visit happened some time that day.
  if (date === today && time && time > hhmm(now.hour, now.minute))
    return { key: "visit.later_today", params: { now: hhmm(now.hour, now.minute) } };
  return null;
};

export const clearCustomer = (s: VisitDraft): VisitDraft => ({
  ...s,
  customerId: undefined,
  customerName: undefined,
  candidates: undefined,
  customerQuery: undefined,
});

/** Words left once every slot is cut out, without the punctuation between them. */
const strayText = (text: string) =>
  text
    .replace(/[,.;:，。；：、!！?？]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

export interface LineRead {
  next: VisitDraft;
  /** Why parts of the line were not taken, said before the next question. */
  notices: Notice[];
  /** The reason the date was not taken (future, impossible time), if that was the case. */
  whenNotice?: Notice;
}

/** Everything a free-text line gives: `拜访 协和 王主任 昨天 评级6 下周二复访`, and what it could not. */
export const readLine = async (text: string, s: VisitDraft, ctx: FlowContext): Promise<LineRead> => {
  const opts = { now: ctx.now, timeZone: ctx.timeZone };
  const notices: Notice[] = [];
  let next: VisitDraft = { ...s };
  // Nothing of such a line is stored as text; the rest of it still counts.
  const prescription = mentionsPrescriptionCount(text);
  if (prescription) notices.push({ key: "visit.no_prescription_counts" });
  let rest = text;
  const f = takeFollowUp(rest, opts);
  rest = f.text;
  if (f.value) next.followUpOn = f.value;
  // The rating before the date, so 评级 6.5 is a refused rating rather than June 5.
  const r = findRating(rest);
  if (r) {
    rest = cut(rest, r.start, r.end);
    if ("rating" in r) next.rating = r.rating;
    else notices.push({ key: "visit.bad_rating" });
  }
  // A bare dotted number (6.5) never moves a date already set; on a new line 11.20 is a date.
  const whenOpts = { ...opts, dotted: !s.date };
  // A time alone (下午3点 at the confirm step) sets the time of the date already given.
  const timeOnly = !!s.date && findDates(rest, whenOpts).length === 0;
  const w = takeWhen(rest, whenOpts);
  rest = w.text;
  let whenNotice: Notice | undefined;
  const badTime = findBadTime(rest);
  if (badTime) {
    // 昨天25点: the day is not taken either, so the rep is asked for both again.
    rest = cut(rest, badTime.start, badTime.end);
    whenNotice = { key: "visit.bad_time", params: { text: badTime.matched } };
  } else if (w.value) {
    const time =
      w.value.timeKnown && w.value.hour !== undefined ? hhmm(w.value.hour, w.value.minute ?? 0) : null;
    const date = timeOnly && s.date ? s.date : w.value.date;
    whenNotice = futureNotice(date, time, ctx) ?? undefined;
    if (!whenNotice) {
      next.date = date;
      next.time = time;
    }
  }
  if (whenNotice) notices.push(whenNotice);
  for (const take of [takeNextStep, takeMethod, takePurposes] as const) {
    const t = take(rest) as { value: unknown; text: string };
    rest = t.text;
    if (t.value === undefined) continue;
    if (take === takeNextStep && !mentionsPrescriptionCount(t.value as string))
      next.nextStep = t.value as string;
    if (take === takeMethod) next.method = t.value as string;
    if (take === takePurposes) next.purposes = [...new Set((t.value as string[]).map(toPurpose))];
  }
  const p = takeProducts(rest, await ctx.lookups.products());
  rest = p.text;
  if (p.value) next.productIds = p.value;
  if (!next.customerId && rest.trim()) next = await readCustomer(rest, next, ctx, prescription);
  return { next, notices, whenNotice };
};

/**
 * The customer from what is left of a line. A name that matches none of the rep's customers
 * is kept as the query, so the next question says it was not found, rather than dropped
 * (or, next to a hospital, taken as a visit to the hospital itself).
 */
const readCustomer = async (
  rest: string,
  s: VisitDraft,
  ctx: FlowContext,
  prescription: boolean,
): Promise<VisitDraft> => {
  const list = await ctx.lookups.myCustomers();
  const pick = takeCustomer(rest, list);
  if (pick?.unknownName) return { ...clearCustomer(s), customerQuery: pick.unknownName };
  if (pick) return resolveCustomer(s, pick.customerQuery, list, "visit.no_customer");
  const stray = strayText(rest);
  // A line with prescription figures is not echoed back, not even as a name not found.
  return stray && !prescription ? { ...clearCustomer(s), customerQuery: stray } : s;
};
