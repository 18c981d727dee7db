import type { CoverageReportView } from "./coverage";
import type { SfeReportView } from "./sfe";

type Cell = string | number | boolean | null | undefined;

/** Excel reads a UTF-8 file as the local ANSI code page (GBK in China) unless it starts with a BOM. */
const BOM = "\uFEFF";

/**
 * A text cell that Excel would run as a formula (=, +, -, @, tab, CR first) is prefixed
 * with an apostrophe: report cells carry names typed by reps (CSV injection).
 */
const defuse = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling inner quotes. */
export const csvField = (v: Cell): string => {
  if (v === null || v === undefined) return "";
  const s = typeof v === "string" ? defuse(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A whole CSV document: BOM, header row, CRLF line ends (RFC 4180), a final CRLF. */
export const toCsv = (header: readonly string[], rows: readonly (readonly Cell[])[]): string =>
  BOM + [header, ...rows].map((r) => `${r.map(csvField).join(",")}\r\n`).join("");

const SFE_HEADER = [
  "month",
  "repId",
  "name",
  "fieldDays",
  "calls",
  "inPersonCalls",
  "callsPerFieldDay",
  "productMessagesPerCall",
  "planAttainment",
  "frequencyAttainmentA",
  "frequencyAttainmentB",
  "frequencyAttainmentC",
  "coverageA",
  "coverageB",
  "coverageC",
];

type SfeRowMetrics = SfeReportView["team"];

const sfeCells = (m: SfeRowMetrics): Cell[] => [
  m.fieldDays,
  m.calls,
  m.inPersonCalls,
  m.callsPerFieldDay,
  m.productMessagesPerCall,
  m.planAttainment,
  m.frequencyAttainment.A,
  m.frequencyAttainment.B,
  m.frequencyAttainment.C,
  m.coverage.A,
  m.coverage.B,
  m.coverage.C,
];

/** One row per rep, then the team total (repId empty, name "team"). */
export const sfeCsv = (r: SfeReportView): string =>
  toCsv(SFE_HEADER, [
    ...r.reps.map((rep) => [r.month, rep.repId, rep.name, ...sfeCells(rep)]),
    [r.month, "", "team", ...sfeCells(r.team)],
  ]);

const COVERAGE_HEADER = [
  "productId",
  "name",
  "targetHospitals",
  "targetPharmacies",
  "targets",
  "listed",
  "blank",
  "blankRate",
  "reasons",
];

/** Reasons in one cell, "reason (count)" joined by "; "; a blank without a reason yet is "—". */
const reasonsCell = (reasons: CoverageReportView["products"][number]["reasons"]) =>
  reasons.map((x) => `${x.reason ?? "—"} (${x.count})`).join("; ");

export const coverageCsv = (r: CoverageReportView): string =>
  toCsv(
    COVERAGE_HEADER,
    r.products.map((p) => [
      p.productId,
      p.name,
      p.targets.hospitals,
      p.targets.pharmacies,
      p.targets.total,
      p.listed,
      p.blank,
      p.blankRate,
      reasonsCell(p.reasons),
    ]),
  );
