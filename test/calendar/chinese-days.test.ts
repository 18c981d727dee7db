import { describe, expect, it } from "vitest";
import { isYearCovered, statutoryDayKind } from "../../src/calendar/chinese-days";

describe("statutoryDayKind", () => {
  it.each([
    ["2026-10-01", "off"], // National Day
    ["2026-02-17", "off"], // Spring Festival
    ["2026-02-14", "work"], // Saturday made a working day (调休) for Spring Festival
    ["2026-09-20", "work"], // Sunday made a working day for National Day
    ["2026-10-10", "work"], // Saturday made a working day for National Day
    ["2026-11-20", "work"], // an ordinary Friday
    ["2026-11-21", "off"], // an ordinary Saturday
  ])("%s is %s", (date, kind) => {
    expect(statutoryDayKind(date)).toBe(kind);
  });

  it("has no opinion outside the library's data, so admin entries decide", () => {
    expect(statutoryDayKind("2027-10-01")).toBeNull();
    expect(statutoryDayKind("2027-02-08")).toBeNull();
    expect(statutoryDayKind("2003-10-01")).toBeNull();
  });

  it("covers 2004 through 2026", () => {
    expect(isYearCovered(2004)).toBe(true);
    expect(isYearCovered(2026)).toBe(true);
    expect(isYearCovered(2027)).toBe(false);
  });

  it("answers null for a malformed date", () => {
    expect(statutoryDayKind("2026-1-1")).toBeNull();
    expect(statutoryDayKind("2026-02-30")).toBeNull();
  });
});
