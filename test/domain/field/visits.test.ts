import { describe, expect, it } from "vitest";
import {
  canTransitionPlan,
  isManagerUpChain,
  type PlanStatus,
  validateCoVisitScore,
  validateVisit,
} from "../../../src/domain/visits/visit-rules";

const TZ = "Asia/Shanghai";

describe("visit validation", () => {
  it("stores a date alone as 12:00 local with timeKnown false, in person by default", () => {
    const r = validateVisit({ date: "2026-03-05", timeZone: TZ });
    expect(r).toEqual({
      ok: true,
      value: {
        at: new Date("2026-03-05T04:00:00.000Z"),
        timeKnown: false,
        method: "in_person",
        purposes: [],
        rating: null,
        followUpOn: null,
      },
    });
  });

  it("keeps a given time as local time", () => {
    const r = validateVisit({
      date: "2026-03-05",
      time: { hour: 9, minute: 30 },
      timeZone: TZ,
      method: "phone",
      purposes: ["follow_up", "promotion", "follow_up"],
      rating: 7,
      followUpOn: "2026-03-05",
    });
    expect(r.ok && r.value).toEqual({
      at: new Date("2026-03-05T01:30:00.000Z"),
      timeKnown: true,
      method: "phone",
      purposes: ["follow_up", "promotion"],
      rating: 7,
      followUpOn: "2026-03-05",
    });
  });

  it.each([
    ["a rating of 0", { rating: 0 }, "rating"],
    ["a rating of 8", { rating: 8 }, "rating"],
    ["a rating of 3.5", { rating: 3.5 }, "rating"],
    ["an unknown method", { method: "fax" }, "method"],
    ["an unknown purpose", { purposes: ["lunch"] }, "purposes"],
    ["a follow-up before the visit", { followUpOn: "2026-03-04" }, "followUpOn"],
    ["an impossible date", { date: "2026-02-30" }, "date"],
    ["an impossible time", { time: { hour: 24, minute: 0 } }, "time"],
  ])("refuses %s", (_name, patch, field) => {
    const r = validateVisit({ date: "2026-03-05", timeZone: TZ, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: "validation", field });
  });

  it("accepts ratings 1 and 7", () => {
    expect(validateVisit({ date: "2026-03-05", timeZone: TZ, rating: 1 }).ok).toBe(true);
    expect(validateVisit({ date: "2026-03-05", timeZone: TZ, rating: 7 }).ok).toBe(true);
  });
});

describe("plan status", () => {
  it.each([
    ["temporary", "normal", true],
    ["temporary", "void", true],
    ["normal", "completed", true],
    ["normal", "void", true],
    ["completed", "submitted", true],
    ["normal", "temporary", false],
    ["completed", "normal", false],
    ["completed", "void", false],
    ["void", "normal", false],
    ["submitted", "completed", false],
    ["void", "void", false],
  ] as [PlanStatus, PlanStatus, boolean][])("%s → %s is %s", (from, to, allowed) => {
    expect(canTransitionPlan(from, to)).toBe(allowed);
  });
});

describe("co-visit score", () => {
  const managers: Record<string, string | null> = { rep: "m1", m1: "m2", m2: null, other: "m3", m3: null };
  const isManagerOf = (m: string, r: string) => isManagerUpChain(m, r, (u) => managers[u]);

  it("accepts 1–5 from the rep's manager or one above", () => {
    expect(validateCoVisitScore({ score: 5, managerId: "m1", repId: "rep" }, isManagerOf)).toEqual({
      ok: true,
      value: 5,
    });
    expect(validateCoVisitScore({ score: 1, managerId: "m2", repId: "rep" }, isManagerOf).ok).toBe(true);
  });

  it("refuses a score out of range", () => {
    for (const score of [0, 6, 2.5, "4"])
      expect(validateCoVisitScore({ score, managerId: "m1", repId: "rep" }, isManagerOf)).toMatchObject({
        ok: false,
        error: { code: "validation" },
      });
  });

  it("refuses a manager from another branch, and the rep scoring themself", () => {
    expect(validateCoVisitScore({ score: 3, managerId: "m3", repId: "rep" }, isManagerOf)).toMatchObject({
      ok: false,
      error: { code: "forbidden", messageKey: "covisit.not_manager" },
    });
    expect(validateCoVisitScore({ score: 3, managerId: "rep", repId: "rep" }, isManagerOf).ok).toBe(false);
  });

  it("survives a cycle in the hierarchy", () => {
    const cyclic: Record<string, string> = { a: "b", b: "a" };
    expect(isManagerUpChain("z", "a", (u) => cyclic[u])).toBe(false);
  });
});
