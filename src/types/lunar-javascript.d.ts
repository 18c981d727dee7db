/** The part of lunar-javascript (untyped CommonJS) that src/calendar/lunar.ts uses. */
declare module "lunar-javascript" {
  interface SolarDate {
    getYear(): number;
    getMonth(): number;
    getDay(): number;
    toYmd(): string;
  }
  interface LunarDate {
    getSolar(): SolarDate;
  }
  interface LunarJavascript {
    Lunar: {
      /** Lunar year, month (negative for a leap month), day. Throws for a day the month lacks. */
      fromYmd(year: number, month: number, day: number): LunarDate;
    };
  }
  const lib: LunarJavascript;
  export default lib;
}
