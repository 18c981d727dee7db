import { describe, expect, it } from "vitest";
import {
  type ConsentEntry,
  currentConsent,
  isOptOutReply,
  withdrawalEntry,
} from "../../../src/domain/care/consent";

const entry = (over: Partial<ConsentEntry>): ConsentEntry => ({
  channel: "sms",
  state: "granted",
  at: "2026-01-01T09:00:00+08:00",
  by: "rep1",
  method: "paper_form",
  evidence: "scan-1",
  ...over,
});

describe("currentConsent", () => {
  it("is none without entries for the channel", () => {
    expect(currentConsent([entry({ channel: "email" })], "sms")).toBe("none");
  });

  it("takes the latest entry, whatever the order stored", () => {
    const entries = [
      entry({ state: "withdrawn", at: "2026-03-01T09:00:00+08:00" }),
      entry({ state: "granted", at: "2026-02-01T09:00:00+08:00" }),
    ];
    expect(currentConsent(entries, "sms")).toBe("withdrawn");
  });

  it("compares instants across offsets", () => {
    const entries = [
      entry({ state: "withdrawn", at: "2026-03-01T09:00:00+08:00" }), // 01:00Z
      entry({ state: "granted", at: "2026-03-01T02:00:00Z" }),
    ];
    expect(currentConsent(entries, "sms")).toBe("granted");
  });

  it("lets the later-appended entry win a tie", () => {
    const entries = [
      entry({ state: "granted" }),
      withdrawalEntry("sms", "2026-01-01T09:00:00+08:00", "sms_reply", "R"),
    ];
    expect(currentConsent(entries, "sms")).toBe("withdrawn");
  });
});

describe("isOptOutReply", () => {
  it.each(["R", "r", " T ", "td", "TD", "Ｒ", "ｔｄ", "退订", " 拒收 ", "退订。", "TD!"])(
    "%j opts out",
    (text) => {
      expect(isOptOutReply(text)).toBe(true);
    },
  );

  it.each(["", "RT", "谢谢", "Thanks", "不要退订", "R 谢谢"])("%j does not", (text) => {
    expect(isOptOutReply(text)).toBe(false);
  });
});
