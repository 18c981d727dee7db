import { zonedInstant } from "../../domain/dates";

const hourStarts = new Map<string, number>();

/**
 * `zonedInstant` as an ISO string, cached per (zone, date, hour): building Intl formatters
 * costs ~1 ms a call, and the world has ~10k timestamps on a few hundred distinct days.
 */
export const localInstant = (date: string, hour: number, minute: number, timeZone: string): string => {
  const key = `${timeZone}|${date}|${hour}`;
  let start = hourStarts.get(key);
  if (start === undefined) {
    start = zonedInstant(date, hour, 0, timeZone).getTime();
    hourStarts.set(key, start);
  }
  return new Date(start + minute * 60_000).toISOString();
};
