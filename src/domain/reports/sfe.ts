/**
 * Sales-force effectiveness for one month (DOMAIN.md §3), aggregated from rows the
 * caller has already fetched. Visits are placed in the month by their local date in
 * `timeZone`, so a visit at 23:30 Shanghai time never lands in the next day or month.
 */
import { type IsoDate, localDate, monthOf } from "../dates";

type ClassName = "A" | "B" | "C";
const CLASSES: readonly ClassName[] = ["A", "B", "C"];

export interface SfeVisit {
  repId: string;
  customerId: string;
  at: Date;
  method: string;
  productIds: readonly string[];
  planId: string | null;
  /** Void visits are ignored. */
  status?: "logged" | "void";
}

export interface SfePlan {
  id: string;
  repId: string;
  date: IsoDate;
  status: "temporary" | "normal" | "void" | "completed" | "submitted";
}

export interface SfeCustomer {
  id: string;
  ownerId: string;
  className: ClassName | null;
  /** Minimum visits per month from the segment target; null/0 = not a target. */
  targetMin: number | null;
}

export interface SfeInput {
  /** `YYYY-MM` */
  month: string;
  timeZone: string;
  repIds: readonly string[];
  visits: readonly SfeVisit[];
  plans: readonly SfePlan[];
  customers: readonly SfeCustomer[];
}

export type PerClass = Record<ClassName, number | null>;

export interface SfeMetrics {
  /** Distinct (rep, local date) with at least one in-person visit. */
  fieldDays: number;
  /** Every logged visit, whatever the method. */
  calls: number;
  inPersonCalls: number;
  /** In-person calls per field day (a phone call is not field work), 2 decimals. */
  callsPerFieldDay: number | null;
  /** Products discussed per call, 2 decimals. */
  productMessagesPerCall: number | null;
  /** Plans visited / plans that were normal, completed or submitted; null without plans. */
  planAttainment: number | null;
  /** Per class: customers visited at least their target minimum / customers with a target. */
  frequencyAttainment: PerClass;
  /** Per class: customers visited at least once / customers of the class. */
  coverage: PerClass;
}

export interface SfeReport {
  month: string;
  reps: (SfeMetrics & { repId: string })[];
  team: SfeMetrics;
}

const round = (n: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(n * f) / f;
};

export const ratio = (num: number, den: number, places = 4): number | null =>
  den === 0 ? null : round(num / den, places);

const COUNTED_PLAN = new Set<SfePlan["status"]>(["normal", "completed", "submitted"]);

const perClass = (customers: readonly SfeCustomer[], hit: (c: SfeCustomer) => boolean): PerClass => {
  const out: PerClass = { A: null, B: null, C: null };
  for (const k of CLASSES) {
    const ofClass = customers.filter((c) => c.className === k);
    out[k] = ratio(ofClass.filter(hit).length, ofClass.length);
  }
  return out;
};

/** Metrics over one slice of rows (one rep, or the whole team); visits are already in the month. */
const metrics = (
  visits: readonly (SfeVisit & { day: IsoDate })[],
  plans: readonly SfePlan[],
  customers: readonly SfeCustomer[],
  visitsByCustomer: ReadonlyMap<string, number>,
): SfeMetrics => {
  const inPerson = visits.filter((v) => v.method === "in_person");
  const fieldDays = new Set(inPerson.map((v) => `${v.repId}|${v.day}`)).size;
  const messages = visits.reduce((n, v) => n + new Set(v.productIds).size, 0);
  const counted = new Set(plans.filter((p) => COUNTED_PLAN.has(p.status)).map((p) => p.id));
  const planned = new Set(visits.flatMap((v) => (v.planId && counted.has(v.planId) ? [v.planId] : [])));
  const visitsOf = (c: SfeCustomer) => visitsByCustomer.get(c.id) ?? 0;
  const targeted = customers.filter((c) => (c.targetMin ?? 0) > 0);
  return {
    fieldDays,
    calls: visits.length,
    inPersonCalls: inPerson.length,
    callsPerFieldDay: ratio(inPerson.length, fieldDays, 2),
    productMessagesPerCall: ratio(messages, visits.length, 2),
    planAttainment: ratio(planned.size, counted.size),
    frequencyAttainment: perClass(targeted, (c) => visitsOf(c) >= (c.targetMin ?? 0)),
    coverage: perClass(customers, (c) => visitsOf(c) > 0),
  };
};

/**
 * Per rep and for the team. A customer's visits count whoever made them (a proxy's
 * visit still serves the customer), and the customer is reported under its owner.
 */
export const sfeReport = (input: SfeInput): SfeReport => {
  const reps = new Set(input.repIds);
  const visits = input.visits
    .filter((v) => v.status !== "void" && reps.has(v.repId))
    .map((v) => ({ ...v, day: localDate(v.at, input.timeZone) }))
    .filter((v) => monthOf(v.day) === input.month);
  const plans = input.plans.filter((p) => reps.has(p.repId) && monthOf(p.date) === input.month);
  const customers = input.customers.filter((c) => reps.has(c.ownerId));
  const visitsByCustomer = new Map<string, number>();
  for (const v of visits) visitsByCustomer.set(v.customerId, (visitsByCustomer.get(v.customerId) ?? 0) + 1);
  const mine = <T>(rows: readonly T[], key: (r: T) => string, repId: string) =>
    rows.filter((r) => key(r) === repId);
  return {
    month: input.month,
    reps: input.repIds.map((repId) => ({
      repId,
      ...metrics(
        mine(visits, (v) => v.repId, repId),
        mine(plans, (p) => p.repId, repId),
        mine(customers, (c) => c.ownerId, repId),
        visitsByCustomer,
      ),
    })),
    team: metrics(visits, plans, customers, visitsByCustomer),
  };
};
