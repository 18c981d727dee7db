/**
 * Calendar arithmetic on plain `YYYY-MM-DD` dates (no time zone involved) and the
 * conversion between instants and local dates in a named time zone (via Intl).
 * Dates are computed in UTC so that DST and the server's zone never shift a day.
 */
export type IsoDate = string; // YYYY-MM-DD

const DAY_MS = 86_400_000;

// An impossible month (2026-13-01) makes an Invalid Date, whose toISOString throws: check it first.
export const isIsoDate = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(toUtcDate(s).getTime()) &&
  toUtcDate(s).toISOString().slice(0, 10) === s;

const toUtcDate = (d: IsoDate): Date => new Date(utcMs(d));

/** The digit at `i`, or NaN. */
const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); a day
 * past the month's end rolls into the next month, as Date.UTC does.
 */
const civilDays = (y: number, m: number, d: number) => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
};

/**
 * Midnight UTC of a date, as `Date.parse` of `YYYY-MM-DDT00:00:00.000Z` gives it (a day past
 * the month's end rolls over, 2026-02-30 is 03-02; month 13 or day 32 is NaN), without parsing
 * a string: churn and plans do this for every purchase event, and the parse cost 0.5 µs.
 */
const utcMs = (d: IsoDate): number => {
  if (d.length === 10 && d.charCodeAt(4) === 45 && d.charCodeAt(7) === 45) {
    const y = digit(d, 0) * 1000 + digit(d, 1) * 100 + digit(d, 2) * 10 + digit(d, 3);
    const m = digit(d, 5) * 10 + digit(d, 6);
    const day = digit(d, 8) * 10 + digit(d, 9);
    // NaN fails every comparison, so a non-digit falls through to the parser.
    if (m >= 1 && m <= 12 && day >= 1 && day <= 31 && y >= 0) return civilDays(y, m, day) * DAY_MS;
  }
  return Date.parse(`${d}T00:00:00.000Z`);
};

/** `YYYY-MM-DD` of a UTC midnight, as `toISOString().slice(0, 10)` for years 100–9999. */
const isoOfMs = (ms: number): IsoDate => {
  const t = new Date(ms);
  const y = t.getUTCFullYear();
  if (!(y >= 100 && y <= 9999)) return t.toISOString().slice(0, 10);
  const m = t.getUTCMonth() + 1;
  const day = t.getUTCDate();
  return `${y < 1000 ? `0${y}` : y}-${m < 10 ? "0" : ""}${m}-${day < 10 ? "0" : ""}${day}`;
};

export const addDays = (d: IsoDate, n: number): IsoDate => isoOfMs(utcMs(d) + n * DAY_MS);

/** Whole days from a to b (b − a). */
export const daysBetween = (a: IsoDate, b: IsoDate): number => Math.round((utcMs(b) - utcMs(a)) / DAY_MS);

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (d: IsoDate): number => {
  const w = toUtcDate(d).getUTCDay();
  return w === 0 ? 7 : w;
};

export const monthOf = (d: IsoDate): string => d.slice(0, 7);

export const firstDayOfMonth = (month: string): IsoDate => `${month}-01`;

export const lastDayOfMonth = (month: string): IsoDate => {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

// Building an Intl formatter costs about a millisecond; jobs convert thousands of instants.
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (kind: "date" | "time", timeZone: string) => {
  const key = `${kind}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f =
      kind === "date"
        ? new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
        : new Intl.DateTimeFormat("en-GB", {
            timeZone,
            hour: "2-digit",
            minute: "2-digit",
            hourCycle: "h23",
          });
    formatters.set(key, f);
  }
  return f;
};

/** The local calendar date of an instant in a time zone. */
export const localDate = (instant: Date, timeZone: string): IsoDate => {
  const parts = formatter("date", timeZone).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
};

/** Local wall-clock hour and minute of an instant in a time zone. */
export const localTime = (instant: Date, timeZone: string): { hour: number; minute: number } => {
  const parts = formatter("time", timeZone).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { hour: get("hour"), minute: get("minute") };
};

/** Offset of a time zone from UTC at an instant, in minutes (Shanghai: +480). */
export const zoneOffsetMinutes = (instant: Date, timeZone: string): number => {
  const truncated = Math.floor(instant.getTime() / 60_000) * 60_000;
  const key = `${timeZone}|${truncated}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const d = localDate(instant, timeZone);
  const { hour, minute } = localTime(instant, timeZone);
  const asUtc = Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10), hour, minute);
  const offset = Math.round((asUtc - truncated) / 60_000);
  if (offsets.size >= 10_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
};

// Two Intl calls per instant are most of the cost of rendering a page of rows, whose
// timestamps often share a minute (a batch import, a job's run): offsets kept per zone and
// minute (exact: the offset is computed for the minute anyway), bounded.
const offsets = new Map<string, number>();

/** The instant of a local date and wall-clock time in a time zone. */
export const zonedInstant = (date: IsoDate, hour: number, minute: number, timeZone: string): Date => {
  const guess = new Date(`${date}T${pad(hour)}:${pad(minute)}:00.000Z`);
  const offset = zoneOffsetMinutes(guess, timeZone);
  const first = new Date(guess.getTime() - offset * 60_000);
  // A second pass settles zones whose offset differs between the guess and the answer.
  const offset2 = zoneOffsetMinutes(first, timeZone);
  return offset2 === offset ? first : new Date(guess.getTime() - offset2 * 60_000);
};

/** ISO 8601 with the zone's offset: 2026-11-22T09:30:00+08:00. */
export const formatInstant = (instant: Date, timeZone: string): string => {
  const offset = zoneOffsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
};

const pad = (n: number) => String(n).padStart(2, "0");
