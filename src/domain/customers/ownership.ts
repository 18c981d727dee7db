/**
 * Ownership never lapses (DOMAIN.md §2): a customer always has a permanent owner, and
 * may be covered by a work proxy (工作代理) until a date, after which it falls back to the
 * owner without anyone having to act. A transfer (工作转移) changes the owner itself.
 */
import { type IsoDate, isIsoDate } from "../dates";
import { fail, ok, type Result } from "../result";

export interface Proxy {
  toUserId: string;
  /** Last day the proxy covers (inclusive). */
  until: IsoDate;
}

export interface OwnershipRecord {
  customerId: string;
  /** The permanent owner; changes only by transfer. */
  ownerId: string;
  proxy?: Proxy | null;
}

/** Who works the customer on a date: the proxy through `until` inclusive, else the owner. */
export const effectiveOwner = (record: OwnershipRecord, date: IsoDate): string =>
  record.proxy && date <= record.proxy.until ? record.proxy.toUserId : record.ownerId;

export type HandoverMode = "proxy" | "transfer";

export interface HandoverInput {
  mode: HandoverMode;
  /** The rep whose customers are handed over. */
  fromUserId: string;
  toUserId: string;
  /** Whether the receiving user is an active rep (looked up by the caller). */
  toUserActive: boolean;
  /** Required for a proxy: the last day it covers. */
  until?: IsoDate | null;
  today: IsoDate;
  records: readonly OwnershipRecord[];
}

export interface HandoverPlan {
  mode: HandoverMode;
  /** The records as they should be stored after the handover. */
  records: OwnershipRecord[];
}

const applyHandover = (input: HandoverInput, until: IsoDate | null) => (r: OwnershipRecord) =>
  input.mode === "transfer"
    ? // A transfer replaces the owner; any proxy to the new owner becomes pointless.
      { customerId: r.customerId, ownerId: input.toUserId, proxy: null }
    : { customerId: r.customerId, ownerId: r.ownerId, proxy: { toUserId: input.toUserId, until: until! } };

const validateHandover = (input: HandoverInput): Result<IsoDate | null> => {
  if (input.toUserId === input.fromUserId)
    return fail("validation", "handover.same_user", undefined, "toUserId");
  if (!input.toUserActive) return fail("validation", "handover.target_inactive", undefined, "toUserId");
  if (input.mode === "transfer") return ok(null);
  const until = input.until;
  if (!until || !isIsoDate(until)) return fail("validation", "handover.until_required", undefined, "until");
  if (until < input.today) return fail("validation", "handover.until_past", { until }, "until");
  return ok(until);
};

/** Validates a proxy or transfer of `fromUserId`'s customers and returns the new records. */
export const planHandover = (input: HandoverInput): Result<HandoverPlan> => {
  const checked = validateHandover(input);
  if (!checked.ok) return checked;
  const mine = input.records.filter((r) => r.ownerId === input.fromUserId);
  return ok({ mode: input.mode, records: mine.map(applyHandover(input, checked.value)) });
};

/** A rep who still owns customers cannot be deactivated: they must be handed over first. */
export const canDeactivateRep = (ownedCount: number): Result<true> =>
  ownedCount > 0 ? fail("conflict", "users.still_owns_customers", { count: ownedCount }) : ok(true);
