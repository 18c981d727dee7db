import { statutoryDayKind } from "../../calendar/chinese-days";
import { createWorkingDayCalendar, type DayKind } from "../../domain/calendar/working-days";
import { addDays } from "../../domain/dates";
import { visitPurposes } from "../../domain/visits/visit-rules";
import { productIdOf, productSpecs } from "./catalog";
import { createRng, type Rng, seedId } from "./random";
import { localInstant } from "./time";
import type {
  CustomerRow,
  HolidayRow,
  SeedContext,
  SeedRep,
  SegmentRow,
  VisitPlanRow,
  VisitProductRow,
  VisitRow,
} from "./types";
import { fieldText, planPurposeText } from "./visit-texts";

export interface VisitWorld {
  visits: VisitRow[];
  visitProducts: VisitProductRow[];
  visitPlans: VisitPlanRow[];
}

interface Portfolio {
  rep: SeedRep;
  /** Doctors, pharmacies and distributors of the rep, per area (one area a day: a route). */
  byArea: Map<string, CustomerRow[]>;
  departmentsByArea: Map<string, CustomerRow[]>;
  productsOf: (c: CustomerRow) => string[];
}

const otcIds = productSpecs.filter((p) => !p.rx).map((p) => productIdOf(p.code));
const allIds = productSpecs.map((p) => productIdOf(p.code));

/** What a rep talks about with a customer: the doctor's segmented products, OTC in stores. */
const productPicker = (segments: SegmentRow[]) => {
  const byDoctor = new Map<string, string[]>();
  for (const s of segments) byDoctor.set(s.customerId, [...(byDoctor.get(s.customerId) ?? []), s.productId]);
  return (c: CustomerRow) =>
    c.kind === "doctor" ? (byDoctor.get(c.id) ?? allIds) : c.kind === "pharmacy" ? otcIds : allIds;
};

const groupByArea = (rows: CustomerRow[]) => {
  const out = new Map<string, CustomerRow[]>();
  for (const c of rows) out.set(c.area ?? "", [...(out.get(c.area ?? "") ?? []), c]);
  return out;
};

const visitRow = (
  rng: Rng,
  ctx: SeedContext,
  p: Portfolio,
  c: CustomerRow,
  date: string,
  k: number,
  minute: number,
): VisitRow => {
  const locale = p.rep.locale;
  const timeKnown = rng.chance(0.9);
  const iso = localInstant(
    date,
    timeKnown ? Math.floor(minute / 60) : 12,
    timeKnown ? minute % 60 : 0,
    ctx.timeZone,
  );
  const meeting = c.kind === "department";
  const followUpOn = rng.chance(0.3) ? addDays(date, rng.int(3, 14)) : null;
  return {
    id: seedId(`visit:${p.rep.id}:${date}:${k}`),
    repId: p.rep.id,
    customerId: c.id,
    at: iso,
    date,
    timeKnown,
    method: meeting
      ? "meeting"
      : rng.weighted([
          ["in_person", 14],
          ["phone", 2],
          ["wechat", 3],
          ["email", 1],
        ] as const),
    purposes: rng.sample(
      visitPurposes.filter((x) => x !== "listing" || c.kind !== "pharmacy"),
      rng.int(1, 2),
    ),
    keyMessage: fieldText(rng, locale, "keyMessage"),
    outcome: fieldText(rng, locale, "outcome"),
    rating: rng.weighted([
      [1, 0.5],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 3],
      [6, 2],
      [7, 1],
    ] as const),
    notes: rng.chance(0.5) ? fieldText(rng, locale, "notes") : null,
    samples: rng.chance(0.2) ? fieldText(rng, locale, "samples") : null,
    competitorInfo: rng.chance(0.15) ? fieldText(rng, locale, "competitor") : null,
    nextStep: followUpOn ? fieldText(rng, locale, "nextStep") : null,
    followUpOn,
    // Past follow-ups are done, so reminders only concern the coming two weeks.
    followUpDoneAt:
      followUpOn && followUpOn < ctx.refDate ? localInstant(followUpOn, 17, 0, ctx.timeZone) : null,
    attendees: meeting ? rng.int(8, 25) : null,
    status: "logged",
    via: locale === "en" ? "slack" : "wecom",
    createdAt: iso,
    updatedAt: iso,
  };
};

/** One field day: 3–8 calls in one area (a route), from 09:00 with travel in between. */
const fieldDay = (rng: Rng, ctx: SeedContext, p: Portfolio, date: string, out: VisitWorld) => {
  const area = rng.pick(p.rep.areas);
  const calls = rng.sample(p.byArea.get(area) ?? [], rng.int(3, 8));
  // About one day in eight starts with a department meeting (科室会).
  const departments = p.departmentsByArea.get(area) ?? [];
  if (departments.length > 0 && rng.chance(0.12)) calls[0] = rng.pick(departments);
  let minute = 9 * 60 + rng.int(0, 30);
  calls.forEach((c, k) => {
    const visit = visitRow(rng, ctx, p, c, date, k, minute);
    out.visits.push(visit);
    for (const productId of rng.sample(p.productsOf(c), rng.int(1, 2)))
      out.visitProducts.push({ visitId: visit.id, productId });
    minute += rng.int(45, 80) + (minute < 12 * 60 && minute + 80 >= 12 * 60 ? 60 : 0);
  });
};

const planRows = (
  rng: Rng,
  ctx: SeedContext,
  p: Portfolio,
  date: string,
  managerId: string | null,
): VisitPlanRow[] => {
  const pool = p.byArea.get(rng.pick(p.rep.areas)) ?? [];
  return rng.sample(pool, rng.int(3, 5)).map((c, k) => ({
    id: seedId(`plan:${p.rep.id}:${date}:${k}`),
    repId: p.rep.id,
    customerId: c.id,
    date,
    slot: k < 2 ? "am" : "pm",
    purpose: planPurposeText(rng, p.rep.locale),
    productIds: rng.sample(p.productsOf(c), rng.int(1, 2)),
    status: rng.chance(0.8) ? "normal" : "temporary",
    coVisitManagerId: k === 0 ? managerId : null,
    createdAt: ctx.createdAt,
    updatedAt: ctx.createdAt,
  }));
};

/**
 * Three months of logged visits per rep on working days (statutory calendar plus the
 * seeded company days), and plans for today and the coming week.
 */
export const buildVisits = (
  ctx: SeedContext,
  reps: readonly SeedRep[],
  managerOf: (repId: string) => string | null,
  customers: CustomerRow[],
  segments: SegmentRow[],
  holidays: HolidayRow[],
): VisitWorld => {
  const rng = createRng(ctx.seed, "visits");
  const admin = new Map<string, DayKind>(holidays.map((h) => [h.date, h.kind]));
  const calendar = createWorkingDayCalendar({ statutory: statutoryDayKind, admin });
  const productsOf = productPicker(segments);
  const out: VisitWorld = { visits: [], visitProducts: [], visitPlans: [] };
  for (const rep of reps) {
    const mine = customers.filter((c) => c.ownerId === rep.id);
    const byArea = groupByArea(mine.filter((c) => c.kind !== "hospital" && c.kind !== "department"));
    const departmentsByArea = groupByArea(mine.filter((c) => c.kind === "department"));
    const p: Portfolio = { rep, byArea, departmentsByArea, productsOf };
    for (let d = addDays(ctx.refDate, -91); d < ctx.refDate; d = addDays(d, 1))
      if (calendar.isWorkingDay(d)) fieldDay(rng, ctx, p, d, out);
    // A manager joins one planned call in the week (随访) now and then.
    const coVisitDay = addDays(ctx.refDate, rng.int(1, 5));
    for (let d = ctx.refDate; d <= addDays(ctx.refDate, 7); d = addDays(d, 1))
      if (calendar.isWorkingDay(d))
        out.visitPlans.push(...planRows(rng, ctx, p, d, d === coVisitDay ? managerOf(rep.id) : null));
  }
  return out;
};
