import { describe, expect, it } from "vitest";
import { buildDailyPlan, type DailyPlanInput, type PlanCustomer } from "../../../src/domain/plans/daily-plan";

const DATE = "2026-06-16"; // a Tuesday

const cust = (id: string, patch: Partial<PlanCustomer> = {}): PlanCustomer => ({
  id,
  name: `Dr ${id}`,
  area: "north",
  className: "B",
  targetPerMonth: 4,
  visitsThisMonth: 0,
  lastVisitOn: "2026-06-12", // 4 days ago: within the 7.5-day spacing of 4 a month
  ...patch,
});

const input = (patch: Partial<DailyPlanInput> = {}): DailyPlanInput => ({
  date: DATE,
  isWorkingDay: true,
  customers: [],
  followUps: [],
  coVisits: [],
  ...patch,
});

const ids = (p: ReturnType<typeof buildDailyPlan>) => p.items.map((i) => i.customerId);

describe("daily plan", () => {
  it("makes no plan on a day off", () => {
    expect(buildDailyPlan(input({ isWorkingDay: false, customers: [cust("c1")] }))).toEqual({
      date: DATE,
      items: [],
      reason: "day_off",
    });
  });

  it("leaves out customers who reached their target or are not targets", () => {
    const p = buildDailyPlan(
      input({
        customers: [
          cust("done", { visitsThisMonth: 4 }),
          cust("none", { targetPerMonth: 0, className: null }),
          cust("seen-today", { lastVisitOn: DATE }),
          cust("due"),
        ],
      }),
    );
    expect(p.items).toEqual([
      { customerId: "due", name: "Dr due", area: "north", slot: "am", reasons: ["due"], className: "B" },
    ]);
  });

  it("marks never-visited and long-unvisited customers overdue", () => {
    const p = buildDailyPlan(
      input({
        customers: [
          cust("never", { lastVisitOn: null }),
          cust("at-spacing", { targetPerMonth: 6, lastVisitOn: "2026-06-11" }), // 5 days = 30/6: not longer
          cust("past-spacing", { targetPerMonth: 6, lastVisitOn: "2026-06-10" }), // 6 days > 5
          cust("monthly", { targetPerMonth: 1, lastVisitOn: "2026-05-16" }), // 31 days > 30
        ],
      }),
    );
    const reasons = Object.fromEntries(p.items.map((i) => [i.customerId, i.reasons]));
    expect(reasons).toEqual({
      never: ["overdue"],
      "at-spacing": ["due"],
      "past-spacing": ["overdue"],
      monthly: ["overdue"],
    });
  });

  it("puts overdue A-class customers first, then by class, then the oldest visit", () => {
    // All prefer the morning, so the listing is the pure priority order.
    const am = { bestSlot: "am" } as const;
    const p = buildDailyPlan(
      input({
        cap: 5,
        customers: [
          cust("b-due", { className: "B", ...am }),
          cust("c-over", { className: "C", lastVisitOn: "2026-05-01", ...am }),
          cust("a-due", { className: "A", targetPerMonth: 2, ...am }),
          cust("a-over-new", { className: "A", lastVisitOn: "2026-06-01", ...am }),
          cust("a-over-old", { className: "A", lastVisitOn: "2026-05-20", ...am }),
          cust("c-due", { className: "C", ...am }),
        ],
      }),
    );
    expect(ids(p)).toEqual(["a-over-old", "a-over-new", "c-over", "a-due", "b-due"]);
  });

  it("spreads one area's customers over both half-days, best first in the morning", () => {
    const p = buildDailyPlan(
      input({
        customers: [
          cust("b-due", { className: "B" }),
          cust("a-over", { className: "A", lastVisitOn: null }),
          cust("a-due", { className: "A" }),
        ],
      }),
    );
    expect(p.items.map((i) => [i.customerId, i.slot])).toEqual([
      ["a-over", "am"],
      ["b-due", "am"],
      ["a-due", "pm"],
    ]);
  });

  it("puts booked co-visits, then follow-ups due, ahead of the rest", () => {
    const p = buildDailyPlan(
      input({
        cap: 3,
        customers: [
          cust("a-over", { className: "A", lastVisitOn: null }),
          cust("fu"),
          cust("cv"),
          cust("late-fu"),
        ],
        followUps: [
          { customerId: "fu", dueOn: DATE },
          { customerId: "late-fu", dueOn: "2026-06-01" },
          { customerId: "a-over", dueOn: "2026-06-20" }, // not yet due
        ],
        coVisits: [{ customerId: "cv", slot: "pm", managerId: "m1" }],
      }),
    );
    expect(p.items.map((i) => [i.customerId, i.slot, i.reasons])).toEqual([
      ["fu", "am", ["follow_up", "due"]],
      ["late-fu", "am", ["follow_up", "due"]],
      ["cv", "pm", ["co_visit", "due"]],
    ]);
  });

  it("includes a co-visit or follow-up for a customer outside the target list", () => {
    const p = buildDailyPlan(input({ coVisits: [{ customerId: "x", slot: "am", managerId: "m1" }] }));
    expect(p.items).toEqual([
      { customerId: "x", name: null, area: null, slot: "am", reasons: ["co_visit"], className: null },
    ]);
  });

  const many = (): DailyPlanInput =>
    input({
      customers: Array.from({ length: 30 }, (_, i) =>
        cust(`c${String(i).padStart(2, "0")}`, {
          area: ["north", "south", "east"][i % 3],
          className: (["A", "B", "C"] as const)[i % 3],
          lastVisitOn: i % 4 === 0 ? null : `2026-06-0${(i % 9) + 1}`,
        }),
      ),
      followUps: [
        { customerId: "c05", dueOn: DATE },
        { customerId: "c05", dueOn: "2026-06-10" },
      ],
      coVisits: [{ customerId: "c05", slot: "am", managerId: "m1" }],
    });

  it("gives the same plan for the same input", () => {
    expect(buildDailyPlan(many())).toEqual(buildDailyPlan(many()));
    const shuffled = many();
    expect(buildDailyPlan({ ...shuffled, customers: [...shuffled.customers].reverse() })).toEqual(
      buildDailyPlan(many()),
    );
  });

  it("keeps to the cap (default 10) and lists no customer twice", () => {
    const p = buildDailyPlan(many());
    expect(p.items).toHaveLength(10);
    expect(new Set(ids(p)).size).toBe(10);
    expect(buildDailyPlan({ ...many(), cap: 8 }).items).toHaveLength(8);
    const c05 = p.items.find((i) => i.customerId === "c05");
    expect(c05?.reasons).toEqual(["co_visit", "follow_up", "overdue"]);
  });

  it("keeps each half-day in one area: the area with most top-priority items in the morning", () => {
    const p = buildDailyPlan(
      input({
        customers: [
          cust("s1", { area: "south", className: "A" }),
          cust("n1", { area: "north", className: "A", lastVisitOn: null }),
          cust("n2", { area: "north", className: "A" }),
          cust("s2", { area: "south", className: "C" }),
          cust("n3", { area: "north", className: "C" }),
          cust("s3", { area: "south", className: "B" }),
        ],
      }),
    );
    expect(p.items.map((i) => [i.customerId, i.slot])).toEqual([
      ["n1", "am"],
      ["n2", "am"],
      ["n3", "am"],
      ["s1", "pm"],
      ["s3", "pm"],
      ["s2", "pm"],
    ]);
  });

  it("anchors a half-day to its co-visit's area and sends a third area to the lighter half-day", () => {
    const p = buildDailyPlan(
      input({
        customers: [
          cust("n1", { area: "north", className: "A" }),
          cust("n2", { area: "north" }),
          cust("s1", { area: "south" }),
          cust("e1", { area: "east", className: "C" }),
        ],
        coVisits: [{ customerId: "s1", slot: "am", managerId: "m1" }],
      }),
    );
    expect(p.items.map((i) => [i.customerId, i.slot])).toEqual([
      ["s1", "am"],
      ["e1", "am"],
      ["n1", "pm"],
      ["n2", "pm"],
    ]);
  });

  it("respects a customer's best time and splits a single area across the day", () => {
    const p = buildDailyPlan(
      input({
        customers: [
          cust("a", { className: "A", bestSlot: "pm" }),
          cust("b", { className: "B" }),
          cust("c", { className: "C" }),
          cust("d", { className: "C", lastVisitOn: "2026-06-11" }),
        ],
      }),
    );
    expect(p.items.map((i) => [i.customerId, i.slot])).toEqual([
      ["b", "am"],
      ["d", "am"],
      ["a", "pm"],
      ["c", "pm"],
    ]);
  });
});
