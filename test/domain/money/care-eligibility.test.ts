import { describe, expect, it } from "vitest";
import {
  careEligibility,
  careWindow,
  careWindowStatus,
  type EligibilityInput,
  isProductFree,
} from "../../../src/domain/care/eligibility";
import { formatInstant } from "../../../src/domain/dates";

type Customer = EligibilityInput["customer"];
const customer = (over: Partial<Customer> = {}): Customer => ({
  consent: { sms: { state: "granted" }, email: { state: "granted" } },
  preferredChannel: "sms",
  phone: "138 0013 8000",
  email: "li@example.com",
  erased: false,
  ...over,
});
const check = (c: Customer, over: Partial<EligibilityInput> = {}) =>
  careEligibility({
    customer: c,
    sentThisMonth: 0,
    sentToday: 0,
    skipped: false,
    caps: { perMonth: 2, perDay: 1 },
    ...over,
  });

describe("careEligibility", () => {
  it("uses the preferred consented channel", () => {
    expect(check(customer())).toEqual({ channel: "sms" });
    expect(check(customer({ preferredChannel: "email" }))).toEqual({ channel: "email" });
  });

  it("falls back to the other channel when the preferred one has no consent", () => {
    expect(
      check(customer({ consent: { sms: { state: "withdrawn" }, email: { state: "granted" } } })),
    ).toEqual({
      channel: "email",
    });
  });

  it("falls back when the preferred address is unusable", () => {
    expect(check(customer({ phone: "010-1234567" }))).toEqual({ channel: "email" });
  });

  it("never uses a channel without consent, even as fallback", () => {
    const c = customer({ phone: null, consent: { sms: { state: "granted" }, email: { state: "none" } } });
    expect(check(c)).toEqual({ suppressed: "invalid_address" });
  });

  it.each([
    [{ sms: { state: "none" }, email: { state: "none" } }, "no_consent"],
    [{ sms: { state: "withdrawn" }, email: { state: "none" } }, "withdrawn"],
  ] as const)("suppresses %j as %s", (consent, reason) => {
    expect(check(customer({ consent }))).toEqual({ suppressed: reason });
  });

  it("stops at one a day and two a month", () => {
    expect(check(customer(), { sentToday: 1 })).toEqual({ suppressed: "cap_reached" });
    expect(check(customer(), { sentThisMonth: 2 })).toEqual({ suppressed: "cap_reached" });
    expect(check(customer(), { sentThisMonth: 1 })).toEqual({ channel: "sms" });
  });

  it("honours the rep's skip and an erasure first", () => {
    expect(check(customer(), { skipped: true })).toEqual({ suppressed: "skipped_by_rep" });
    expect(check(customer({ erased: true }), { skipped: true })).toEqual({ suppressed: "erased" });
  });
});

describe("careWindow", () => {
  const w = careWindow("2026-05-12", "Asia/Shanghai", { from: "08:00", to: "21:00" });

  it("runs 08:00–21:00 local", () => {
    expect(formatInstant(w.notBefore, "Asia/Shanghai")).toBe("2026-05-12T08:00:00+08:00");
    expect(formatInstant(w.expiresAt, "Asia/Shanghai")).toBe("2026-05-12T21:00:00+08:00");
  });

  it("drops a message still undelivered at 22:00 instead of sending it late", () => {
    expect(careWindowStatus(new Date("2026-05-12T22:00:00+08:00"), w)).toBe("expired");
    expect(careWindowStatus(new Date("2026-05-12T21:00:00+08:00"), w)).toBe("expired");
    expect(careWindowStatus(new Date("2026-05-12T20:59:00+08:00"), w)).toBe("open");
    expect(careWindowStatus(new Date("2026-05-12T07:59:00+08:00"), w)).toBe("wait");
  });
});

describe("isProductFree", () => {
  const products = ["感冒灵", "Vitamin C Plus"];

  it.each(["端午安康，祝您阖家幸福！", "正月15元宵节快乐", "Happy Doctors' Day, Dr Li!"])(
    "passes %s",
    (text) => {
      expect(isProductFree(text, products)).toBe(true);
    },
  );

  it.each([
    "节日快乐，感冒灵常伴左右",
    "Enjoy vitamin c plus this autumn",
    "中秋快乐，特价 ¥99",
    "中秋快乐，仅需 99 元",
    "Only 99 CNY",
    "送您一个红包",
    "A small gift for you",
  ])("flags %s", (text) => {
    expect(isProductFree(text, products)).toBe(false);
  });
});
