import { describe, expect, it } from "vitest";
import { parseFollowUp, parseWhen } from "../../../src/conversations/understand";
import { SUNDAY, TZ } from "./fixtures";

const at = (now: Date, prefer: "past" | "future" = "past") => ({ now, timeZone: TZ, prefer });
const dateOf = (text: string, now = SUNDAY, prefer: "past" | "future" = "past") =>
  parseWhen(text, at(now, prefer))?.date ?? null;

describe("parseWhen on Sunday 2026-11-22 (weeks start Monday)", () => {
  it.each([
    ["今天", "2026-11-22"],
    ["今日", "2026-11-22"],
    ["昨天", "2026-11-21"],
    ["前天", "2026-11-20"],
    ["明天", "2026-11-23"],
    ["后天", "2026-11-24"],
    ["下周二", "2026-11-24"],
    ["这周二", "2026-11-17"],
    ["本周二", "2026-11-17"],
    ["本周五", "2026-11-20"],
    ["上周三", "2026-11-11"],
    ["下下周一", "2026-11-30"],
    ["下星期一", "2026-11-23"],
    ["周三", "2026-11-18"],
    ["星期三", "2026-11-18"],
    ["周日", "2026-11-22"],
    ["11月25日", "2026-11-25"],
    ["11月25号", "2026-11-25"],
    ["十一月二十五日", "2026-11-25"],
    ["11.25", "2026-11-25"],
    ["11/25", "2026-11-25"],
    ["2026-11-25", "2026-11-25"],
    ["2026年11月25日", "2026-11-25"],
    ["1月5日", "2027-01-05"],
    ["today", "2026-11-22"],
    ["yesterday", "2026-11-21"],
    ["tomorrow", "2026-11-23"],
    ["next tuesday", "2026-11-24"],
    ["Next Tue", "2026-11-24"],
    ["last friday", "2026-11-13"],
    ["this friday", "2026-11-20"],
    ["monday", "2026-11-16"],
    ["nov 25", "2026-11-25"],
    ["25 Nov", "2026-11-25"],
    ["November 25th, 2026", "2026-11-25"],
    ["3天后", "2026-11-25"],
    ["in 3 days", "2026-11-25"],
  ])("%s → %s", (text, date) => {
    expect(dateOf(text)).toBe(date);
  });

  it("reads a bare weekday forwards when asked to", () => {
    expect(dateOf("周三", SUNDAY, "future")).toBe("2026-11-25");
    expect(dateOf("monday", SUNDAY, "future")).toBe("2026-11-23");
  });

  it("resolves 明天 in the user's zone, not the server's (01:00 Shanghai = 17:00Z the day before)", () => {
    const now = new Date("2026-11-21T17:00:00Z");
    expect(parseWhen("明天", { now, timeZone: TZ })?.date).toBe("2026-11-23");
    expect(parseWhen("今天", { now, timeZone: TZ })?.date).toBe("2026-11-22");
    expect(parseWhen("tomorrow", { now, timeZone: "UTC" })?.date).toBe("2026-11-22");
  });

  it("returns null when there is no date", () => {
    expect(parseWhen("协和 王主任", at(SUNDAY))).toBeNull();
    expect(parseWhen("rating 6", at(SUNDAY))).toBeNull();
  });
});

describe("parseWhen times", () => {
  it.each([
    ["明天下午3点", "2026-11-23", 15, 0],
    ["上午10点半", "2026-11-22", 10, 30],
    ["昨天 15:30", "2026-11-21", 15, 30],
    ["tomorrow 3pm", "2026-11-23", 15, 0],
    ["yesterday at 9:15 am", "2026-11-21", 9, 15],
    ["下周二 下午两点", "2026-11-24", 14, 0],
  ])("%s → %s %i:%i", (text, date, hour, minute) => {
    expect(parseWhen(text, at(SUNDAY))).toMatchObject({ date, hour, minute, timeKnown: true });
  });

  it("a date alone has no known time and reports what it matched", () => {
    expect(parseWhen("拜访 昨天 评级6", at(SUNDAY))).toEqual({
      date: "2026-11-21",
      timeKnown: false,
      matched: "昨天",
    });
  });
});

describe("parseFollowUp", () => {
  it.each([
    ["下周二复访", "2026-11-24"],
    ["复访 下周二", "2026-11-24"],
    ["评级6 下周二回访", "2026-11-24"],
    ["follow up next tuesday", "2026-11-24"],
    ["follow-up 11/30", "2026-11-30"],
    ["f/u on dec 3", "2026-12-03"],
  ])("%s → %s", (text, date) => {
    expect(parseFollowUp(text, { now: SUNDAY, timeZone: TZ })?.date).toBe(date);
  });

  it("昨天复访了 is a past visit, not a follow-up date", () => {
    expect(parseFollowUp("昨天复访了王主任", { now: SUNDAY, timeZone: TZ })).toBeNull();
  });
});
