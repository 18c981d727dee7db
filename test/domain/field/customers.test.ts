import { describe, expect, it } from "vitest";
import {
  canDeactivateRep,
  effectiveOwner,
  type HandoverInput,
  type OwnershipRecord,
  planHandover,
} from "../../../src/domain/customers/ownership";
import { canMoveStage, stageRank } from "../../../src/domain/customers/stage";

describe("lifecycle stage", () => {
  it("ranks the stages in order", () => {
    expect(
      ["to_identify", "new", "intent", "purchasing", "complete"].map((s) => stageRank(s as never)),
    ).toEqual([0, 1, 2, 3, 4]);
  });

  it("moves forward by one or several steps", () => {
    expect(canMoveStage("to_identify", "new")).toBe(true);
    expect(canMoveStage("new", "purchasing")).toBe(true);
    expect(canMoveStage("to_identify", "complete")).toBe(true);
  });

  it("refuses a backward move unless it is a correction", () => {
    expect(canMoveStage("purchasing", "intent")).toBe(false);
    expect(canMoveStage("purchasing", "intent", { correction: true })).toBe(true);
  });

  it("treats staying put as no move", () => {
    expect(canMoveStage("intent", "intent")).toBe(false);
    expect(canMoveStage("intent", "intent", { correction: true })).toBe(false);
  });
});

describe("ownership and handover", () => {
  const record: OwnershipRecord = {
    customerId: "c1",
    ownerId: "rep-a",
    proxy: { toUserId: "rep-b", until: "2026-05-10" },
  };

  it("gives the customer to the proxy through the end date, then back to the owner", () => {
    expect(effectiveOwner(record, "2026-05-01")).toBe("rep-b");
    expect(effectiveOwner(record, "2026-05-10")).toBe("rep-b");
    expect(effectiveOwner(record, "2026-05-11")).toBe("rep-a");
  });

  it("is the owner when there is no proxy", () => {
    expect(effectiveOwner({ customerId: "c1", ownerId: "rep-a" }, "2026-05-01")).toBe("rep-a");
    expect(effectiveOwner({ customerId: "c1", ownerId: "rep-a", proxy: null }, "2026-05-01")).toBe("rep-a");
  });

  const base: HandoverInput = {
    mode: "proxy",
    fromUserId: "rep-a",
    toUserId: "rep-b",
    toUserActive: true,
    until: "2026-05-10",
    today: "2026-05-01",
    records: [
      { customerId: "c1", ownerId: "rep-a" },
      { customerId: "c2", ownerId: "rep-a" },
      { customerId: "c3", ownerId: "rep-z" },
    ],
  };

  it("plans a proxy for the rep's own customers, keeping the owner", () => {
    const r = planHandover(base);
    expect(r).toEqual({
      ok: true,
      value: {
        mode: "proxy",
        records: [
          { customerId: "c1", ownerId: "rep-a", proxy: { toUserId: "rep-b", until: "2026-05-10" } },
          { customerId: "c2", ownerId: "rep-a", proxy: { toUserId: "rep-b", until: "2026-05-10" } },
        ],
      },
    });
  });

  it("accepts a proxy ending today", () => {
    expect(planHandover({ ...base, until: "2026-05-01" }).ok).toBe(true);
  });

  it("plans a transfer that changes the owner and clears any proxy", () => {
    const r = planHandover({ ...base, mode: "transfer", until: null });
    expect(r.ok && r.value.records).toEqual([
      { customerId: "c1", ownerId: "rep-b", proxy: null },
      { customerId: "c2", ownerId: "rep-b", proxy: null },
    ]);
  });

  it.each([
    ["a proxy without an end date", { until: null }, "handover.until_required"],
    ["a proxy ending in the past", { until: "2026-04-30" }, "handover.until_past"],
    ["a handover to oneself", { toUserId: "rep-a" }, "handover.same_user"],
    ["a handover to an inactive user", { toUserActive: false }, "handover.target_inactive"],
  ])("refuses %s", (_name, patch, key) => {
    const r = planHandover({ ...base, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: "validation", messageKey: key });
  });

  it("refuses to deactivate a rep who still owns customers", () => {
    const r = canDeactivateRep(3);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.messageKey).toBe("users.still_owns_customers");
    expect(canDeactivateRep(0)).toEqual({ ok: true, value: true });
  });
});
