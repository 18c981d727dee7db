/**
 * Care occasions on a date (DOMAIN.md §7). Lunar festivals come from a calendar port:
 * the conversion is astronomy tables, kept in infrastructure (src/calendar/lunar.ts).
 */
import { type IsoDate, isLeapYear } from "../dates";

/** Port: the Gregorian date of a day in the Chinese lunar calendar (non-leap month). */
export interface LunarCalendar {
  solarOf(year: number, lunarMonth: number, lunarDay: number): IsoDate;
}

export type Festival =
  | "spring_festival"
  | "lantern"
  | "dragon_boat"
  | "mid_autumn"
  | "new_year"
  | "national_day"
  | "doctors_day"
  | "nurses_day";

export type Occasion = "birthday" | Festival;

/** Lunar festivals of lunar year Y all fall within Gregorian year Y (春节 is 21 Jan – 20 Feb). */
const LUNAR_FESTIVALS: readonly { name: Festival; month: number; day: number }[] = [
  { name: "spring_festival", month: 1, day: 1 }, // 正月初一
  { name: "lantern", month: 1, day: 15 }, // 正月十五
  { name: "dragon_boat", month: 5, day: 5 }, // 五月初五
  { name: "mid_autumn", month: 8, day: 15 }, // 八月十五
];

const SOLAR_FESTIVALS: readonly { name: Festival; monthDay: string }[] = [
  { name: "new_year", monthDay: "01-01" },
  { name: "nurses_day", monthDay: "05-12" },
  { name: "doctors_day", monthDay: "08-19" }, // 中国医师节
  { name: "national_day", monthDay: "10-01" },
];

/** Every festival on a date, for any customer (audience filtering is occasionsForCustomer's job). */
export const occasionsOn = (date: IsoDate, deps: { lunar: LunarCalendar }): Festival[] => {
  const year = Number(date.slice(0, 4));
  const monthDay = date.slice(5);
  const lunar = LUNAR_FESTIVALS.filter((f) => deps.lunar.solarOf(year, f.month, f.day) === date);
  const solar = SOLAR_FESTIVALS.filter((f) => f.monthDay === monthDay);
  return [...lunar, ...solar].map((f) => f.name);
};

/**
 * Birthday as "MM-DD" or "YYYY-MM-DD". A 29 February birthday is celebrated on
 * 28 February in non-leap years, so nobody is skipped three years out of four.
 */
export const birthdayOn = (birthday: string | null | undefined, date: IsoDate): boolean => {
  const m = /^(?:\d{4}-)?(\d{2})-(\d{2})$/.exec((birthday ?? "").trim());
  if (!m) return false;
  const monthDay = `${m[1]}-${m[2]}`;
  if (monthDay === "02-29" && !isLeapYear(Number(date.slice(0, 4)))) return date.slice(5) === "02-28";
  return date.slice(5) === monthDay;
};

export interface CareCustomer {
  kind: string;
  birthday?: string | null;
  /** Job title (doctors and other contacts), e.g. 主任医师, 护士长, Head Nurse. */
  title?: string | null;
}

const isNurse = (title: string | null | undefined): boolean => /护士|护理|nurse/i.test(title ?? "");

/**
 * Birthday plus the festivals that fit the customer. Doctors' Day greets doctors only
 * (kind "doctor"); Nurses' Day greets only contacts whose title names a nurse
 * (护士 / 护理 / nurse), since we hold no separate "nurse" kind. Same-day occasions
 * share one message: the caller sends one greeting for the list.
 */
export const occasionsForCustomer = (
  customer: CareCustomer,
  date: IsoDate,
  lunar: LunarCalendar,
): Occasion[] => {
  const festivals = occasionsOn(date, { lunar }).filter((f) => {
    if (f === "doctors_day") return customer.kind === "doctor";
    if (f === "nurses_day") return isNurse(customer.title);
    return true;
  });
  return birthdayOn(customer.birthday, date) ? ["birthday", ...festivals] : festivals;
};
