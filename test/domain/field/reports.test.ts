import { describe, expect, it } from "vitest";
import { coverageReport } from "../../../src/domain/reports/coverage";
import { type SfeInput, type SfeVisit, sfeReport } from "../../../src/domain/reports/sfe";

const v = (
  repId: string,
  customerId: string,
  at: string,
  method: string,
  productIds: string[],
  planId: string | null = null,
  status: SfeVisit["status"] = "logged",
): SfeVisit => ({ repId, customerId, at: new Date(at), method, productIds, planId, status });

// Shanghai is UTC+8: instants are written in UTC, comments give the local date.
const fixture: SfeInput = {
  month: "2026-06",
  timeZone: "Asia/Shanghai",
  repIds: ["r1", "r2"],
  customers: [
    { id: "d1", ownerId: "r1", className: "A", targetMin: 4 },
    { id: "d2", ownerId: "r1", className: "B", targetMin: 3 },
    { id: "d3", ownerId: "r1", className: "C", targetMin: 1 },
    { id: "d4", ownerId: "r1", className: "B", targetMin: null },
    { id: "d7", ownerId: "r1", className: "B", targetMin: 0 },
    { id: "d5", ownerId: "r2", className: "A", targetMin: 4 },
    { id: "d6", ownerId: "r2", className: "C", targetMin: 1 },
    { id: "x1", ownerId: "someone-else", className: "A", targetMin: 4 },
  ],
  visits: [
    v("r1", "d1", "2026-05-31T16:30:00Z", "in_person", ["p1", "p1"]), // 06-01 00:30
    v("r1", "d1", "2026-06-01T01:00:00Z", "in_person", ["p1", "p2"], "pl1"), // 06-01
    v("r1", "d1", "2026-06-01T06:00:00Z", "in_person", ["p1"], "pl2"), // 06-01
    v("r1", "d2", "2026-06-02T02:00:00Z", "in_person", ["p1"]), // 06-02
    v("r1", "d2", "2026-06-03T15:30:00Z", "phone", []), // 06-03 23:30, not field work
    v("r1", "d1", "2026-06-05T02:00:00Z", "in_person", ["p2"], "pl3"), // 06-05
    v("r1", "d3", "2026-06-30T16:30:00Z", "in_person", ["p1"]), // 07-01: next month
    v("r1", "d3", "2026-06-10T02:00:00Z", "in_person", ["p1"], null, "void"),
    v("r2", "d5", "2026-06-10T01:00:00Z", "in_person", ["p1"], "q1"), // plan from another month
    v("r2", "d5", "2026-06-10T03:00:00Z", "in_person", ["p1", "p2"]),
    v("r2", "d6", "2026-06-11T02:00:00Z", "meeting", ["p2"]),
    v("r2", "d5", "2026-06-12T02:00:00Z", "in_person", ["p1", "p2", "p3"]),
    v("r2", "d1", "2026-06-15T02:00:00Z", "in_person", ["p1"]), // as r1's proxy
    v("r9", "d1", "2026-06-16T02:00:00Z", "in_person", ["p1"]), // not in the report
  ],
  plans: [
    { id: "pl1", repId: "r1", date: "2026-06-01", status: "completed" },
    { id: "pl2", repId: "r1", date: "2026-06-01", status: "submitted" },
    { id: "pl3", repId: "r1", date: "2026-06-05", status: "normal" },
    { id: "pl4", repId: "r1", date: "2026-06-08", status: "void" },
    { id: "pl5", repId: "r1", date: "2026-06-09", status: "temporary" },
    { id: "pl6", repId: "r1", date: "2026-06-09", status: "normal" },
    { id: "q1", repId: "r2", date: "2026-05-29", status: "normal" },
  ],
};

describe("SFE report", () => {
  const report = sfeReport(fixture);

  it("measures rep r1", () => {
    expect(report.reps[0]).toEqual({
      repId: "r1",
      fieldDays: 3,
      calls: 6,
      inPersonCalls: 5,
      callsPerFieldDay: 1.67,
      productMessagesPerCall: 1,
      planAttainment: 0.75,
      frequencyAttainment: { A: 1, B: 0, C: 0 },
      coverage: { A: 1, B: 0.3333, C: 0 },
    });
  });

  it("measures rep r2, who has no plans and no B customers", () => {
    expect(report.reps[1]).toEqual({
      repId: "r2",
      fieldDays: 3,
      calls: 5,
      inPersonCalls: 4,
      callsPerFieldDay: 1.33,
      productMessagesPerCall: 1.6,
      planAttainment: null,
      frequencyAttainment: { A: 0, B: null, C: 1 },
      coverage: { A: 1, B: null, C: 1 },
    });
  });

  it("totals the team", () => {
    expect(report.team).toEqual({
      fieldDays: 6,
      calls: 11,
      inPersonCalls: 9,
      callsPerFieldDay: 1.5,
      productMessagesPerCall: 1.27,
      planAttainment: 0.75,
      frequencyAttainment: { A: 0.5, B: 0, C: 0.5 },
      coverage: { A: 1, B: 0.3333, C: 0.5 },
    });
  });

  it("gives nulls, not NaN, for a rep with nothing", () => {
    const empty = sfeReport({ ...fixture, repIds: ["r0"] });
    expect(empty.reps[0]).toMatchObject({
      fieldDays: 0,
      calls: 0,
      callsPerFieldDay: null,
      productMessagesPerCall: null,
      planAttainment: null,
      frequencyAttainment: { A: null, B: null, C: null },
    });
  });
});

describe("coverage report", () => {
  const customers = [
    { id: "h1", kind: "hospital", grade: "A" as const },
    { id: "h2", kind: "hospital", grade: "C" as const },
    { id: "h3", kind: "hospital", grade: null },
    { id: "ph1", kind: "pharmacy", grade: "B" as const },
    { id: "ph2", kind: "pharmacy", grade: "D" as const },
    { id: "ph3", kind: "pharmacy", grade: null, className: "A" as const },
    { id: "dist1", kind: "distributor", grade: "A" as const },
    { id: "doc1", kind: "doctor", className: "A" as const },
  ];
  const rows = [
    { customerId: "h1", productId: "p1", listed: true },
    { customerId: "h2", productId: "p1", listed: true },
    { customerId: "ph1", productId: "p1", listed: false, reason: "price" },
    { customerId: "h1", productId: "p2", listed: false, reason: "competitor" },
    { customerId: "h2", productId: "p2", listed: false, reason: "competitor" },
    { customerId: "ph1", productId: "p2", listed: false, reason: " price " },
    { customerId: "ph3", productId: "p2", listed: true },
    { customerId: "ph2", productId: "p2", listed: true },
    { customerId: "h3", productId: "p2", listed: true },
  ];

  it("counts targets, listed and blank per product with the reasons given", () => {
    expect(coverageReport(["p1", "p2", "p3"], customers, rows)).toEqual([
      {
        productId: "p1",
        targetHospitals: 2,
        targetPharmacies: 2,
        targets: 4,
        listed: 2,
        blank: 2,
        blankRate: 0.5,
        reasons: [
          { reason: "price", count: 1 },
          { reason: null, count: 1 },
        ],
      },
      {
        productId: "p2",
        targetHospitals: 2,
        targetPharmacies: 2,
        targets: 4,
        listed: 1,
        blank: 3,
        blankRate: 0.75,
        reasons: [
          { reason: "competitor", count: 2 },
          { reason: "price", count: 1 },
        ],
      },
      {
        productId: "p3",
        targetHospitals: 2,
        targetPharmacies: 2,
        targets: 4,
        listed: 0,
        blank: 4,
        blankRate: 1,
        reasons: [{ reason: null, count: 4 }],
      },
    ]);
  });

  it("rounds the blank rate to 4 decimals and is null without targets", () => {
    const three = customers.slice(0, 2).concat([{ id: "ph1", kind: "pharmacy", grade: "B" as const }]);
    const [p1] = coverageReport(["p1"], three, rows);
    expect(p1.blankRate).toBe(0.3333);
    expect(coverageReport(["p1"], [], rows)[0]).toMatchObject({
      targets: 0,
      blank: 0,
      blankRate: null,
      reasons: [],
    });
  });
});
