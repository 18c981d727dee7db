/** LunarCalendar port (src/domain/care/occasions.ts) backed by lunar-javascript. */
import lunarJs from "lunar-javascript";
import type { LunarCalendar } from "../domain/care/occasions";
import type { IsoDate } from "../domain/dates";

const pad = (n: number) => String(n).padStart(2, "0");

export const createLunarCalendar = (): LunarCalendar => {
  // Festival lookups repeat for every customer of a run: memoize per (year, month, day).
  const cache = new Map<string, IsoDate>();
  return {
    solarOf(year, lunarMonth, lunarDay) {
      const key = `${year}-${lunarMonth}-${lunarDay}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const s = lunarJs.Lunar.fromYmd(year, lunarMonth, lunarDay).getSolar();
      const iso = `${s.getYear()}-${pad(s.getMonth())}-${pad(s.getDay())}`;
      cache.set(key, iso);
      return iso;
    },
  };
};

export const lunarCalendar: LunarCalendar = createLunarCalendar();
