/**
 * Today's visit plan for one rep (DOMAIN.md §3): booked co-visits, then follow-ups due,
 * then customers still short of their monthly target — overdue and A-class first — up
 * to a daily cap, grouped so each half-day stays in one area (one route). Pure and
 * deterministic: the same input always gives the same plan.
 */
import { daysBetween, type IsoDate } from "../dates";

export type Slot = "am" | "pm";
export type PlanClass = "A" | "B" | "C" | null;
export type PlanReason = "co_visit" | "follow_up" | "overdue" | "due";

export interface PlanCustomer {
  id: string;
  name: string;
  /** Territory/area used for routing; customers of one area are visited in one half-day. */
  area: string;
  className: PlanClass;
  /** Maximum visits per month (the segment target's max); 0 = not a target. */
  targetPerMonth: number;
  visitsThisMonth: number;
  lastVisitOn: IsoDate | null;
  /** The customer's best visit time, when known; the plan puts them in that half-day. */
  bestSlot?: Slot | null;
}

/** Everything the plan needs, already fetched; time enters only as `date`. */
export interface DailyPlanInput {
  date: IsoDate;
  /** From the working-day calendar (调休 included); no plan on a day off. */
  isWorkingDay: boolean;
  /** Most visits in the day (setting `plan.dailyCap`, default 10). */
  cap?: number;
  customers: readonly PlanCustomer[];
  /** Promised next steps; included when `dueOn` ≤ date (late ones too). */
  followUps: readonly { customerId: string; dueOn: IsoDate }[];
  /** Manager co-visits booked for this date; they keep their slot. */
  coVisits: readonly { customerId: string; slot: Slot; managerId: string }[];
}

export interface PlanItem {
  customerId: string;
  name: string | null;
  area: string | null;
  slot: Slot;
  reasons: PlanReason[];
  className: PlanClass;
}

export interface DailyPlan {
  date: IsoDate;
  items: PlanItem[];
  /** Why the plan is empty on purpose. */
  reason?: "day_off";
}

export const DEFAULT_DAILY_CAP = 10;

interface Candidate {
  customerId: string;
  customer: PlanCustomer | null;
  reasons: Set<PlanReason>;
  /** Set by a booked co-visit, else the customer's best slot. */
  fixedSlot: Slot | null;
}

/** Overdue: never visited, or not for longer than the even spacing of the month's target. */
export const isOverdue = (c: PlanCustomer, date: IsoDate): boolean =>
  c.targetPerMonth > 0 &&
  (c.lastVisitOn === null || daysBetween(c.lastVisitOn, date) > 30 / c.targetPerMonth);

/** Still short of the monthly target and not already seen today. */
const isDue = (c: PlanCustomer, date: IsoDate): boolean =>
  c.targetPerMonth > 0 &&
  c.targetPerMonth - c.visitsThisMonth > 0 &&
  (c.lastVisitOn === null || c.lastVisitOn < date);

const collectCandidates = (input: DailyPlanInput): Map<string, Candidate> => {
  const byId = new Map(input.customers.map((c) => [c.id, c]));
  const out = new Map<string, Candidate>();
  const add = (customerId: string, reason: PlanReason, slot: Slot | null) => {
    const customer = byId.get(customerId) ?? null;
    const cand = out.get(customerId) ?? {
      customerId,
      customer,
      reasons: new Set<PlanReason>(),
      fixedSlot: customer?.bestSlot ?? null,
    };
    // A booked co-visit's slot wins over the customer's usual best time; the first booking keeps it.
    if (slot && !cand.reasons.has("co_visit")) cand.fixedSlot = slot;
    cand.reasons.add(reason);
    out.set(customerId, cand);
  };
  const coVisits = [...input.coVisits].sort(
    (a, b) => cmpStr(a.customerId, b.customerId) || cmpStr(a.slot, b.slot),
  );
  for (const v of coVisits) add(v.customerId, "co_visit", v.slot);
  for (const f of input.followUps) if (f.dueOn <= input.date) add(f.customerId, "follow_up", null);
  for (const c of input.customers) {
    if (!isDue(c, input.date)) continue;
    add(c.id, isOverdue(c, input.date) ? "overdue" : "due", null);
  }
  return out;
};

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const tier = (c: Candidate): number => (c.reasons.has("co_visit") ? 0 : c.reasons.has("follow_up") ? 1 : 2);
const overdueRank = (c: Candidate): number => (c.reasons.has("overdue") ? 0 : 1);
const CLASS_RANK: Record<string, number> = { A: 0, B: 1, C: 2 };
const classRank = (c: Candidate): number => CLASS_RANK[c.customer?.className ?? ""] ?? 3;
/** Never visited sorts before any date (oldest first). */
const lastVisit = (c: Candidate): string => c.customer?.lastVisitOn ?? "";

const byPriority = (a: Candidate, b: Candidate): number =>
  tier(a) - tier(b) ||
  overdueRank(a) - overdueRank(b) ||
  classRank(a) - classRank(b) ||
  cmpStr(lastVisit(a), lastVisit(b)) ||
  cmpStr(a.customerId, b.customerId);

/** Top priority for choosing a half-day's area: booked, promised, overdue or A-class. */
const isTop = (c: Candidate): boolean => tier(c) < 2 || overdueRank(c) === 0 || classRank(c) === 0;

const areaOf = (c: Candidate): string => c.customer?.area ?? "";

/** Areas, best first: most top-priority items, then most items, then the best single item. */
const rankAreas = (ranked: readonly Candidate[]): string[] => {
  const stats = new Map<string, { top: number; count: number; first: number }>();
  ranked.forEach((c, i) => {
    const s = stats.get(areaOf(c)) ?? { top: 0, count: 0, first: i };
    stats.set(areaOf(c), { top: s.top + (isTop(c) ? 1 : 0), count: s.count + 1, first: s.first });
  });
  return [...stats.entries()]
    .sort(([, a], [, b]) => b.top - a.top || b.count - a.count || a.first - b.first)
    .map(([area]) => area);
};

/**
 * A half-day with a fixed item (a booked co-visit first) is anchored to its area; the
 * rest follow the ranking. With a single area, both half-days share it.
 */
const chooseAreas = (ranked: readonly Candidate[]): { am: string | null; pm: string | null } => {
  const anchor = (slot: Slot) =>
    ranked.find((c) => c.reasons.has("co_visit") && c.fixedSlot === slot) ??
    ranked.find((c) => c.fixedSlot === slot);
  const areas = rankAreas(ranked.filter((c) => c.fixedSlot === null));
  const amAnchor = anchor("am");
  const am = amAnchor ? areaOf(amAnchor) : (areas[0] ?? null);
  const pmAnchor = anchor("pm");
  const pm = pmAnchor ? areaOf(pmAnchor) : (areas.find((a) => a !== am) ?? am);
  return { am, pm };
};

const assignSlots = (ranked: readonly Candidate[]): Map<string, Slot> => {
  const slots = new Map<string, Slot>();
  const count = { am: 0, pm: 0 };
  const lighter = (): Slot => (count.am <= count.pm ? "am" : "pm");
  const put = (c: Candidate, slot: Slot) => {
    slots.set(c.customerId, slot);
    count[slot] += 1;
  };
  for (const c of ranked) if (c.fixedSlot) put(c, c.fixedSlot);
  const { am, pm } = chooseAreas(ranked);
  const flexible = ranked.filter((c) => !slots.has(c.customerId));
  for (const c of flexible) {
    if (am === pm && areaOf(c) === am) put(c, lighter());
    else if (areaOf(c) === am) put(c, "am");
    else if (areaOf(c) === pm) put(c, "pm");
  }
  // Leftover areas go whole to the lighter half-day, so an area is still not split.
  const leftovers = flexible.filter((c) => !slots.has(c.customerId));
  for (const area of rankAreas(leftovers)) {
    const slot = lighter();
    for (const c of leftovers) if (areaOf(c) === area) put(c, slot);
  }
  return slots;
};

const REASON_ORDER: readonly PlanReason[] = ["co_visit", "follow_up", "overdue", "due"];

const toItem = (c: Candidate, slot: Slot): PlanItem => ({
  customerId: c.customerId,
  name: c.customer?.name ?? null,
  area: c.customer?.area ?? null,
  slot,
  reasons: REASON_ORDER.filter((r) => c.reasons.has(r)),
  className: c.customer?.className ?? null,
});

/**
 * Builds the day's plan. Priority (co-visit, follow-up, overdue, class, oldest visit,
 * id) decides who makes the cap; co-visits come first so they are only dropped when
 * the booked co-visits alone exceed the cap. Items are listed AM then PM, each in
 * priority order.
 */
export const buildDailyPlan = (input: DailyPlanInput): DailyPlan => {
  if (!input.isWorkingDay) return { date: input.date, items: [], reason: "day_off" };
  const cap = Math.max(0, Math.floor(input.cap ?? DEFAULT_DAILY_CAP));
  const ranked = [...collectCandidates(input).values()].sort(byPriority).slice(0, cap);
  const slots = assignSlots(ranked);
  const items = ranked.map((c) => toItem(c, slots.get(c.customerId)!));
  const order = (s: Slot) => (s === "am" ? 0 : 1);
  // Stable sort keeps priority order inside each half-day.
  return { date: input.date, items: items.sort((a, b) => order(a.slot) - order(b.slot)) };
};
