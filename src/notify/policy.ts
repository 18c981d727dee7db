import { addDays, localDate, localTime, zonedInstant } from "../domain/dates";

/**
 * Retry delay after the n-th failed attempt: exponential from 5 s, capped at 30 min,
 * with ±20 % jitter so a burst of failures does not come back as a burst.
 */
export const backoffMs = (attempt: number, random: () => number = Math.random): number => {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random()));
};

export interface QuietHours {
  from: string; // "08:00"
  to: string; // "21:00"
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

/**
 * Customer messages go out only inside the local window (DOMAIN.md §7). Outside it the
 * next opening is returned; the caller expires the row when that opening is past its
 * `expiresAt` (a care text is never sent a day late).
 */
export const nextSendableAt = (now: Date, timeZone: string, window: QuietHours): Date => {
  const { hour, minute } = localTime(now, timeZone);
  const m = hour * 60 + minute;
  if (m >= minutes(window.from) && m < minutes(window.to)) return now;
  const today = localDate(now, timeZone);
  const day = m < minutes(window.from) ? today : addDays(today, 1);
  const [h, mm] = window.from.split(":").map(Number);
  return zonedInstant(day, h, mm, timeZone);
};

/**
 * Per channel and recipient: how long until one more message fits the quotas, given the
 * quota-th newest send within the last minute and within the last hour (null: fewer sent) —
 * a message may go once that send has left its window.
 */
export const pacingDelayMs = (nthNewest: { minute: Date | null; hour: Date | null }, now: Date): number => {
  const t = now.getTime();
  const minute = nthNewest.minute ? nthNewest.minute.getTime() + 60_000 - t : 0;
  const hour = nthNewest.hour ? nthNewest.hour.getTime() + 3_600_000 - t : 0;
  return Math.max(0, minute, hour);
};
