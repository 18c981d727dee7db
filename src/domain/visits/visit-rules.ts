/**
 * Visit rules (DOMAIN.md §3) without zod, so that domain/ stays dependency-free; the
 * zod schemas at the edges can delegate here.
 */
import { type IsoDate, isIsoDate, zonedInstant } from "../dates";
import { fail, ok, type Result } from "../result";

export const visitMethods = ["in_person", "phone", "wechat", "email", "meeting"] as const;
export type VisitMethod = (typeof visitMethods)[number];

export const visitPurposes = [
  "follow_up",
  "listing",
  "competitor_intel",
  "feedback",
  "promotion",
  "profile_update",
  "trial_tracking",
] as const;
export type VisitPurpose = (typeof visitPurposes)[number];

export interface VisitDraft {
  /** Local date of the visit. */
  date: IsoDate;
  /** Local wall-clock time, when the rep gave one. */
  time?: { hour: number; minute: number } | null;
  timeZone: string;
  method?: string | null;
  purposes?: readonly string[] | null;
  /** The doctor's usage rating, 1 (opposed) … 7 (full use). */
  rating?: number | null;
  followUpOn?: IsoDate | null;
}

export interface ValidVisit {
  at: Date;
  /** false when only a date was given: stored as 12:00 local so it never slips a day. */
  timeKnown: boolean;
  method: VisitMethod;
  purposes: VisitPurpose[];
  rating: number | null;
  followUpOn: IsoDate | null;
}

const includes = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === "string" && (list as readonly string[]).includes(v);

const isIntIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

const validTime = (t: VisitDraft["time"]): boolean =>
  !t || (isIntIn(t.hour, 0, 23) && isIntIn(t.minute, 0, 59));

const checkFields = (d: VisitDraft): Result<true> => {
  if (!isIsoDate(d.date)) return fail("validation", "visit.date_invalid", undefined, "date");
  if (!validTime(d.time)) return fail("validation", "visit.time_invalid", undefined, "time");
  if (d.method != null && !includes(visitMethods, d.method))
    return fail("validation", "visit.method_invalid", { method: String(d.method) }, "method");
  const badPurpose = (d.purposes ?? []).find((p) => !includes(visitPurposes, p));
  if (badPurpose !== undefined)
    return fail("validation", "visit.purpose_invalid", { purpose: badPurpose }, "purposes");
  if (d.rating != null && !isIntIn(d.rating, 1, 7))
    return fail("validation", "visit.rating_invalid", undefined, "rating");
  if (d.followUpOn != null && (!isIsoDate(d.followUpOn) || d.followUpOn < d.date))
    return fail("validation", "visit.follow_up_before_visit", undefined, "followUpOn");
  return ok(true);
};

export const validateVisit = (d: VisitDraft): Result<ValidVisit> => {
  const checked = checkFields(d);
  if (!checked.ok) return checked;
  const timeKnown = Boolean(d.time);
  const { hour, minute } = d.time ?? { hour: 12, minute: 0 };
  return ok({
    at: zonedInstant(d.date, hour, minute, d.timeZone),
    timeKnown,
    method: includes(visitMethods, d.method) ? d.method : "in_person",
    purposes: [...new Set((d.purposes ?? []) as VisitPurpose[])],
    rating: d.rating ?? null,
    followUpOn: d.followUpOn ?? null,
  });
};

export const planStatuses = ["temporary", "normal", "void", "completed", "submitted"] as const;
export type PlanStatus = (typeof planStatuses)[number];

/** void and submitted are final; completed may only be submitted. */
const PLAN_TRANSITIONS: Record<PlanStatus, readonly PlanStatus[]> = {
  temporary: ["normal", "void", "completed", "submitted"],
  normal: ["void", "completed", "submitted"],
  completed: ["submitted"],
  void: [],
  submitted: [],
};

export const canTransitionPlan = (from: PlanStatus, to: PlanStatus): boolean =>
  PLAN_TRANSITIONS[from].includes(to);

/** Only a plan still ahead (temporary, normal) may be moved or reworded; the others are history. */
export const isPlanOpen = (status: PlanStatus): boolean => status === "temporary" || status === "normal";

/**
 * Whether `managerId` is above `repId` in the hierarchy, following `managerOf` links;
 * a cycle in bad data ends the walk instead of looping.
 */
export const isManagerUpChain = (
  managerId: string,
  repId: string,
  managerOf: (userId: string) => string | null | undefined,
): boolean => {
  const seen = new Set<string>([repId]);
  for (let m = managerOf(repId); m; m = managerOf(m)) {
    if (m === managerId) return true;
    if (seen.has(m)) return false;
    seen.add(m);
  }
  return false;
};

/** A co-visit score is 1–5 and only from a manager of the rep (anywhere up the chain). */
export const validateCoVisitScore = (
  input: { score: unknown; managerId: string; repId: string },
  isManagerOf: (managerId: string, repId: string) => boolean,
): Result<number> => {
  if (!isIntIn(input.score, 1, 5)) return fail("validation", "covisit.score_invalid", undefined, "score");
  if (input.managerId === input.repId || !isManagerOf(input.managerId, input.repId))
    return fail("forbidden", "covisit.not_manager");
  return ok(input.score);
};
