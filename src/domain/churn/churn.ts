/**
 * Churn and decline rules (DOMAIN.md §6): purchase events, the usual cycle, silence up
 * to the data's as-of date, overdue/upgraded levels and the 90-day decline check.
 * Then the episode bookkeeping: one open alert per customer and type, upgraded once,
 * closed by a purchase; and who is told, which is a setting.
 */
import { addDays, daysBetween, type IsoDate } from "../dates";
import { toFen } from "../money";

export type CustomerKind = "hospital" | "department" | "doctor" | "pharmacy" | "distributor";
export type ChurnLevel = "overdue" | "upgraded";

export interface PurchaseLine {
  date: IsoDate;
  /** Negative for a return. */
  quantity: number;
  amountCny: number;
}

export type CycleDefaults = Record<CustomerKind, number>;

export interface ChurnFactors {
  overdueFactor: number;
  upgradeFactor: number;
}

export interface DeclineSettings {
  windowDays: number;
  ratio: number;
}

/** How many most recent intervals the cycle is the median of. */
const CYCLE_INTERVALS = 6;
/** The most recent events the rules ever read (the cycle's intervals need one more event). */
export const EVENTS_READ = CYCLE_INTERVALS + 1;
/** Fewer events than this and history says nothing: use the per-kind default. */
const MIN_EVENTS = 3;
/** Guards `silence > cycle × factor` against float noise (3 × 1.1 = 3.3000000000000003). */
export const EPSILON = 1e-9;

/** Days with a positive net quantity, sorted, distinct: same-day lines are one event, returns net out. */
export const purchaseEvents = (lines: readonly PurchaseLine[]): IsoDate[] => {
  const net = new Map<IsoDate, number>();
  for (const l of lines) net.set(l.date, (net.get(l.date) ?? 0) + l.quantity);
  return [...net.entries()]
    .filter(([, q]) => q > EPSILON)
    .map(([d]) => d)
    .sort();
};

/** Median of the last 6 intervals between events; the kind's default with < 3 events. */
export const purchaseCycle = (
  events: readonly IsoDate[],
  kind: CustomerKind,
  defaults: CycleDefaults,
): number => {
  if (events.length < MIN_EVENTS) return defaults[kind];
  const recent = events.slice(-(CYCLE_INTERVALS + 1));
  const intervals = recent.slice(1).map((d, i) => daysBetween(recent[i], d));
  return median(intervals);
};

/** The earlier of two ISO dates (they sort as strings; Math.min would coerce them to NaN). */
const earlier = (a: IsoDate, b: IsoDate): IsoDate => [a, b].sort()[0];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Days since the last event, counted up to the data's as-of date (a flow import's last
 * covered day) and never past today: no data is not the same as no purchase.
 */
export const silenceDays = (lastEvent: IsoDate, asOf: IsoDate, today: IsoDate): number => {
  const end = earlier(asOf, today);
  return Math.max(0, daysBetween(lastEvent, end));
};

/** Strictly greater: exactly cycle × 1.5 is not overdue, exactly × 2.5 is overdue but not upgraded. */
export const churnLevel = (silence: number, cycle: number, f: ChurnFactors): ChurnLevel | null => {
  if (silence > cycle * f.upgradeFactor + EPSILON) return "upgraded";
  if (silence > cycle * f.overdueFactor + EPSILON) return "overdue";
  return null;
};

export interface DeclineResult {
  /** Amount in (asOf − window, asOf]. */
  lastCny: number;
  /** Amount in the window before that. */
  previousCny: number;
  decline: boolean;
}

/** Decline when the previous window had sales and the last one is below ratio × previous (equal is not). */
export const declineCheck = (
  lines: readonly PurchaseLine[],
  asOf: IsoDate,
  s: DeclineSettings,
): DeclineResult => {
  const lastStart = addDays(asOf, -s.windowDays); // exclusive
  const prevStart = addDays(asOf, -2 * s.windowDays); // exclusive
  let lastFen = 0;
  let prevFen = 0;
  for (const l of lines) {
    if (l.date > lastStart && l.date <= asOf) lastFen += toFen(l.amountCny);
    else if (l.date > prevStart && l.date <= lastStart) prevFen += toFen(l.amountCny);
  }
  // Ratio in basis points keeps "exactly 60 %" exact in integers.
  const bp = Math.round(s.ratio * 10_000);
  const decline = prevFen > 0 && lastFen * 10_000 < bp * prevFen;
  return { lastCny: lastFen / 100, previousCny: prevFen / 100, decline };
};

export type EpisodeType = "churn_overdue" | "churn_decline";
export type ChurnNotify = "owner" | "owner_and_manager" | "commercial";

export interface ChurnCustomer {
  id: string;
  kind: CustomerKind;
  ownerId: string;
  ownerManagerId: string | null;
  /** Purchase events, as from purchaseEvents(). */
  events: readonly IsoDate[];
  /** Last day the customer's data covers (today for ERP, the flow import's end otherwise). */
  asOf: IsoDate;
  /** Lines for the decline check; absent = no decline check for this customer. */
  lines?: readonly PurchaseLine[];
}

export interface OpenEpisode {
  id: string;
  customerId: string;
  type: EpisodeType;
  openedAt: IsoDate;
  /**
   * The last purchase known when the episode opened (its start): any later event closes
   * it, even one imported late with a date before openedAt.
   */
  lastPurchase: IsoDate | null;
  level: ChurnLevel | null;
}

export interface Recipient {
  userId: string;
  reason: "owner" | "manager" | "commercial";
}

export interface ChurnUser {
  id: string;
  role: string;
  active: boolean;
}

export interface ChurnSettings {
  factors: ChurnFactors;
  cycleDefaults: CycleDefaults;
  decline: DeclineSettings;
  notify: ChurnNotify;
  /** Roles that count as commercial (商务) staff when notify = "commercial". */
  commercialRoles: readonly string[];
}

export interface EpisodeAlert {
  customerId: string;
  type: EpisodeType;
  lastPurchase: IsoDate | null;
  cycleDays: number | null;
  silenceDays: number | null;
  level: ChurnLevel | null;
  decline: DeclineResult | null;
  notify: Recipient[];
}

export interface EpisodeUpgrade extends EpisodeAlert {
  episodeId: string;
}

export interface EpisodeClose {
  episodeId: string;
  customerId: string;
  type: EpisodeType;
}

export interface EvaluateInput {
  customers: readonly ChurnCustomer[];
  openEpisodes: readonly OpenEpisode[];
  date: IsoDate;
  settings: ChurnSettings;
  users: readonly ChurnUser[];
}

export interface EvaluateOutput {
  open: EpisodeAlert[];
  upgrade: EpisodeUpgrade[];
  close: EpisodeClose[];
}

/** Who hears about a customer: the setting decides; an upgrade always adds the owner's manager. */
export const churnRecipients = (
  customer: Pick<ChurnCustomer, "ownerId" | "ownerManagerId">,
  level: ChurnLevel | null,
  settings: Pick<ChurnSettings, "notify" | "commercialRoles">,
  users: readonly ChurnUser[],
): Recipient[] => {
  const out: Recipient[] = [];
  const add = (userId: string | null, reason: Recipient["reason"]) => {
    if (userId && !out.some((r) => r.userId === userId)) out.push({ userId, reason });
  };
  if (settings.notify === "commercial") {
    const roles = new Set(settings.commercialRoles);
    for (const u of users) if (u.active && roles.has(u.role)) add(u.id, "commercial");
  }
  // An alert nobody receives is worse than one sent to the owner.
  if (settings.notify !== "commercial" || out.length === 0) add(customer.ownerId, "owner");
  if (settings.notify === "owner_and_manager" || level === "upgraded")
    add(customer.ownerManagerId, "manager");
  return out;
};

export const evaluateEpisodes = (input: EvaluateInput): EvaluateOutput => {
  const out: EvaluateOutput = { open: [], upgrade: [], close: [] };
  // Indexed once: a page has a thousand customers and, after the first run, as many episodes.
  const open = new Map<string, OpenEpisode>();
  for (const e of input.openEpisodes)
    if (!open.has(`${e.customerId}|${e.type}`)) open.set(`${e.customerId}|${e.type}`, e);
  for (const c of input.customers) {
    const episodeOf = (type: EpisodeType) => open.get(`${c.id}|${type}`) ?? null;
    evaluateOverdue(c, episodeOf("churn_overdue"), input, out);
    if (c.lines) evaluateDecline(c, c.lines, episodeOf("churn_decline"), input, out);
  }
  return out;
};

const evaluateOverdue = (
  c: ChurnCustomer,
  ep: OpenEpisode | null,
  input: EvaluateInput,
  out: EvaluateOutput,
) => {
  const last = c.events.at(-1) ?? null;
  if (ep && last !== null && (ep.lastPurchase === null || last > ep.lastPurchase)) {
    out.close.push({ episodeId: ep.id, customerId: c.id, type: ep.type });
    return;
  }
  if (last === null) return; // never bought: nothing to lose yet
  const cycle = purchaseCycle(c.events, c.kind, input.settings.cycleDefaults);
  const silence = silenceDays(last, c.asOf, input.date);
  const level = churnLevel(silence, cycle, input.settings.factors);
  if (level === null) return;
  const alert: EpisodeAlert = {
    customerId: c.id,
    type: "churn_overdue",
    lastPurchase: last,
    cycleDays: cycle,
    silenceDays: silence,
    level,
    decline: null,
    notify: churnRecipients(c, level, input.settings, input.users),
  };
  if (!ep) out.open.push(alert);
  else if (ep.level !== "upgraded" && level === "upgraded") out.upgrade.push({ ...alert, episodeId: ep.id });
};

/** A decline episode lasts while the decline does; a purchase alone does not end it. */
const evaluateDecline = (
  c: ChurnCustomer,
  lines: readonly PurchaseLine[],
  ep: OpenEpisode | null,
  input: EvaluateInput,
  out: EvaluateOutput,
) => {
  const asOf = earlier(c.asOf, input.date);
  const result = declineCheck(lines, asOf, input.settings.decline);
  if (ep && !result.decline) out.close.push({ episodeId: ep.id, customerId: c.id, type: ep.type });
  if (ep || !result.decline) return;
  out.open.push({
    customerId: c.id,
    type: "churn_decline",
    lastPurchase: c.events.at(-1) ?? null,
    cycleDays: null,
    silenceDays: null,
    level: null,
    decline: result,
    notify: churnRecipients(c, null, input.settings, input.users),
  });
};
