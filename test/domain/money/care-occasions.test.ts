import { describe, expect, it } from "vitest";
import { lunarCalendar } from "../../../src/calendar/lunar";
import { birthdayOn, occasionsForCustomer, occasionsOn } from "../../../src/domain/care/occasions";
import { addDays } from "../../../src/domain/dates";

// From a published almanac (万年历), not computed: the adapter must agree with it.
const ALMANAC: [number, string, string, string][] = [
  // year, 春节 (正月初一), 端午 (五月初五), 中秋 (八月十五)
  [2026, "2026-02-17", "2026-06-19", "2026-09-25"],
  [2027, "2027-02-06", "2027-06-09", "2027-09-15"],
  [2028, "2028-01-26", "2028-05-28", "2028-10-03"],
  [2029, "2029-02-13", "2029-06-16", "2029-09-22"],
  [2030, "2030-02-03", "2030-06-05", "2030-09-12"],
];

describe("lunar festivals through the real calendar adapter", () => {
  it.each(ALMANAC)("%i: 春节 %s, 端午 %s, 中秋 %s", (_year, spring, dragon, autumn) => {
    const lunar = lunarCalendar;
    expect(occasionsOn(spring, { lunar })).toEqual(["spring_festival"]);
    expect(occasionsOn(addDays(spring, 14), { lunar })).toEqual(["lantern"]);
    expect(occasionsOn(dragon, { lunar })).toEqual(["dragon_boat"]);
    expect(occasionsOn(autumn, { lunar })).toEqual(["mid_autumn"]);
    expect(occasionsOn(addDays(spring, -1), { lunar })).toEqual([]);
  });

  it("finds the fixed-date festivals", () => {
    const lunar = lunarCalendar;
    expect(occasionsOn("2027-01-01", { lunar })).toEqual(["new_year"]);
    expect(occasionsOn("2027-10-01", { lunar })).toEqual(["national_day"]);
    expect(occasionsOn("2027-08-19", { lunar })).toEqual(["doctors_day"]);
    expect(occasionsOn("2027-05-12", { lunar })).toEqual(["nurses_day"]);
  });

  it("reports 中秋 and 国庆 together when they coincide (2020-10-01)", () => {
    expect(occasionsOn("2020-10-01", { lunar: lunarCalendar })).toEqual(["mid_autumn", "national_day"]);
  });
});

describe("birthdayOn", () => {
  it.each([
    ["02-29", "2027-02-28", true],
    ["02-29", "2027-03-01", false],
    ["1980-02-29", "2028-02-29", true],
    ["1980-02-29", "2028-02-28", false],
    ["1975-06-03", "2026-06-03", true],
    ["06-03", "2026-06-04", false],
    ["", "2026-06-04", false],
    ["junk", "2026-06-04", false],
  ])("%s on %s → %s", (birthday, date, expected) => {
    expect(birthdayOn(birthday, date)).toBe(expected);
  });
});

describe("occasionsForCustomer", () => {
  it("greets doctors, not pharmacies, on Doctors' Day", () => {
    expect(occasionsForCustomer({ kind: "doctor" }, "2026-08-19", lunarCalendar)).toEqual(["doctors_day"]);
    expect(occasionsForCustomer({ kind: "pharmacy" }, "2026-08-19", lunarCalendar)).toEqual([]);
  });

  it("greets on Nurses' Day only a title naming a nurse", () => {
    expect(occasionsForCustomer({ kind: "doctor", title: "护士长" }, "2026-05-12", lunarCalendar)).toEqual([
      "nurses_day",
    ]);
    expect(
      occasionsForCustomer({ kind: "doctor", title: "Head Nurse" }, "2026-05-12", lunarCalendar),
    ).toEqual(["nurses_day"]);
    expect(occasionsForCustomer({ kind: "doctor", title: "主任医师" }, "2026-05-12", lunarCalendar)).toEqual(
      [],
    );
  });

  it("merges a birthday with a festival on the same day", () => {
    expect(
      occasionsForCustomer({ kind: "pharmacy", birthday: "02-17" }, "2026-02-17", lunarCalendar),
    ).toEqual(["birthday", "spring_festival"]);
  });
});
