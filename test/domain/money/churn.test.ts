import { describe, expect, it } from "vitest";
import {
  type ChurnCustomer,
  type ChurnSettings,
  churnLevel,
  churnRecipients,
  declineCheck,
  evaluateEpisodes,
  type OpenEpisode,
  purchaseCycle,
  purchaseEvents,
  silenceDays,
} from "../../../src/domain/churn/churn";
import { moneyDefaults } from "../../../src/domain/settings/money-defaults";

const defaults = moneyDefaults["churn.cycleDefaults"];
const factors = { overdueFactor: 1.5, upgradeFactor: 2.5 };

describe("purchaseEvents", () => {
  it("counts several lines on one day as one event", () => {
    const lines = [
      { date: "2026-03-01", quantity: 10, amountCny: 100 },
      { date: "2026-03-01", quantity: 5, amountCny: 50 },
      { date: "2026-02-01", quantity: 1, amountCny: 10 },
    ];
    expect(purchaseEvents(lines)).toEqual(["2026-02-01", "2026-03-01"]);
  });

  it("lets a same-day return net the purchase out", () => {
    const lines = [
      { date: "2026-03-01", quantity: 10, amountCny: 100 },
      { date: "2026-03-01", quantity: -10, amountCny: -100 },
      { date: "2026-03-02", quantity: -3, amountCny: -30 },
    ];
    expect(purchaseEvents(lines)).toEqual([]);
  });
});

describe("purchaseCycle", () => {
  it("uses the per-kind default with fewer than 3 events", () => {
    expect(purchaseCycle(["2026-01-01", "2026-01-11"], "pharmacy", defaults)).toBe(30);
    expect(purchaseCycle([], "hospital", defaults)).toBe(60);
  });

  it("takes the median of the intervals with 3 events", () => {
    expect(purchaseCycle(["2026-01-01", "2026-01-11", "2026-01-31"], "pharmacy", defaults)).toBe(15);
  });

  it("uses only the last 6 intervals", () => {
    // intervals: 100, then 10, 10, 10, 20, 20, 20 → last six median = (10+20)/2 = 15
    const events = [
      "2025-01-01",
      "2025-04-11",
      "2025-04-21",
      "2025-05-01",
      "2025-05-11",
      "2025-05-31",
      "2025-06-20",
      "2025-07-10",
    ];
    expect(purchaseCycle(events, "pharmacy", defaults)).toBe(15);
  });
});

describe("silenceDays", () => {
  it("counts up to the as-of date, never beyond", () => {
    expect(silenceDays("2026-01-01", "2026-01-31", "2026-03-01")).toBe(30);
  });

  it("counts up to today when the as-of date is later", () => {
    expect(silenceDays("2026-01-01", "2026-12-31", "2026-01-11")).toBe(10);
  });
});

describe("churnLevel (cycle 30)", () => {
  it.each([
    [45, null],
    [46, "overdue"],
    [75, "overdue"],
    [76, "upgraded"],
  ])("silence %s → %s", (silence, level) => {
    expect(churnLevel(silence, 30, factors)).toBe(level);
  });

  it("is not fooled by float noise at exactly the factor", () => {
    expect(churnLevel(3.3, 3, { overdueFactor: 1.1, upgradeFactor: 2.5 })).toBeNull();
  });
});

describe("declineCheck", () => {
  const asOf = "2026-06-30";
  const lines = (last: number, previous: number) => [
    { date: "2026-06-01", quantity: 1, amountCny: last }, // in (asOf−90, asOf]
    { date: "2026-03-01", quantity: 1, amountCny: previous }, // in the 90 days before
    { date: "2025-10-01", quantity: 1, amountCny: 99_999 }, // older: ignored
  ];
  const s = { windowDays: 90, ratio: 0.6 };

  it("is no decline at exactly 60 %", () => {
    expect(declineCheck(lines(6000, 10000), asOf, s)).toEqual({
      lastCny: 6000,
      previousCny: 10000,
      decline: false,
    });
  });

  it("is a decline at 59.99 %", () => {
    expect(declineCheck(lines(5999, 10000), asOf, s).decline).toBe(true);
  });

  it("needs sales in the previous window", () => {
    expect(declineCheck(lines(0, 0), asOf, s).decline).toBe(false);
  });

  it("puts a line exactly 90 days back in the previous window", () => {
    const r = declineCheck([{ date: "2026-04-01", quantity: 1, amountCny: 50 }], asOf, s);
    expect(r).toMatchObject({ lastCny: 0, previousCny: 50 });
  });
});

describe("evaluateEpisodes", () => {
  const settings: ChurnSettings = {
    factors,
    cycleDefaults: defaults,
    decline: { windowDays: 90, ratio: 0.6 },
    notify: "owner",
    commercialRoles: ["admin"],
  };
  const customer = (last: string, asOf = "2026-12-31"): ChurnCustomer => ({
    id: "c1",
    kind: "pharmacy",
    ownerId: "rep1",
    ownerManagerId: "mgr1",
    events: [last],
    asOf,
  });
  const run = (c: ChurnCustomer, openEpisodes: OpenEpisode[], date: string) =>
    evaluateEpisodes({ customers: [c], openEpisodes, date, settings, users: [] });
  const episode = (level: "overdue" | "upgraded"): OpenEpisode => ({
    id: "ep1",
    customerId: "c1",
    type: "churn_overdue",
    openedAt: "2026-02-16",
    lastPurchase: "2026-01-01",
    level,
  });

  it("opens one episode for the owner when overdue", () => {
    const out = run(customer("2026-01-01"), [], "2026-02-16"); // 46 days, default cycle 30
    expect(out.open).toHaveLength(1);
    expect(out.open[0]).toMatchObject({
      level: "overdue",
      cycleDays: 30,
      silenceDays: 46,
      lastPurchase: "2026-01-01",
    });
    expect(out.open[0].notify).toEqual([{ userId: "rep1", reason: "owner" }]);
  });

  it("does not repeat an open episode the next day", () => {
    expect(run(customer("2026-01-01"), [episode("overdue")], "2026-02-17")).toEqual({
      open: [],
      upgrade: [],
      close: [],
    });
  });

  it("upgrades once and alerts the manager too", () => {
    const out = run(customer("2026-01-01"), [episode("overdue")], "2026-03-18"); // 76 days
    expect(out.upgrade).toHaveLength(1);
    expect(out.upgrade[0].notify.map((r) => r.userId)).toEqual(["rep1", "mgr1"]);
    expect(run(customer("2026-01-01"), [episode("upgraded")], "2026-03-19").upgrade).toEqual([]);
  });

  it("closes the episode on a purchase after its start, even one imported late", () => {
    const c = { ...customer("2026-01-01"), events: ["2026-01-01", "2026-02-10"] };
    expect(run(c, [episode("overdue")], "2026-02-20").close).toEqual([
      { episodeId: "ep1", customerId: "c1", type: "churn_overdue" },
    ]);
  });

  it("stops counting silence at the flow import's as-of date", () => {
    expect(run(customer("2026-01-01", "2026-02-15"), [], "2026-06-01").open).toEqual([]);
  });

  it("opens and closes a decline episode with the decline", () => {
    const lines = [
      { date: "2026-06-01", quantity: 1, amountCny: 100 },
      { date: "2026-03-01", quantity: 1, amountCny: 1000 },
    ];
    const c = { ...customer("2026-06-01"), events: ["2026-03-01", "2026-06-01"], lines };
    const opened = run(c, [], "2026-06-30");
    expect(opened.open.map((a) => a.type)).toEqual(["churn_decline"]);
    const ep: OpenEpisode = {
      id: "d1",
      customerId: "c1",
      type: "churn_decline",
      openedAt: "2026-06-30",
      lastPurchase: "2026-06-01",
      level: null,
    };
    const recovered = { ...c, lines: [...lines, { date: "2026-07-01", quantity: 1, amountCny: 900 }] };
    expect(run(recovered, [ep], "2026-07-02").close).toEqual([
      { episodeId: "d1", customerId: "c1", type: "churn_decline" },
    ]);
  });
});

describe("churnRecipients", () => {
  const c = { ownerId: "rep1", ownerManagerId: "mgr1" };
  const users = [
    { id: "ops1", role: "admin", active: true },
    { id: "ops2", role: "admin", active: false },
    { id: "rep1", role: "rep", active: true },
  ];

  it("tells owner and manager when the setting says so", () => {
    const r = churnRecipients(c, "overdue", { notify: "owner_and_manager", commercialRoles: [] }, users);
    expect(r).toEqual([
      { userId: "rep1", reason: "owner" },
      { userId: "mgr1", reason: "manager" },
    ]);
  });

  it("tells active commercial staff instead of the rep, plus the manager on upgrade", () => {
    const s = { notify: "commercial" as const, commercialRoles: ["admin"] };
    expect(churnRecipients(c, "overdue", s, users)).toEqual([{ userId: "ops1", reason: "commercial" }]);
    expect(churnRecipients(c, "upgraded", s, users).map((r) => r.userId)).toEqual(["ops1", "mgr1"]);
  });

  it("falls back to the owner when no commercial staff exist", () => {
    const s = { notify: "commercial" as const, commercialRoles: ["commercial"] };
    expect(churnRecipients(c, "overdue", s, users)).toEqual([{ userId: "rep1", reason: "owner" }]);
  });
});
