/** The bench's rows: figure vs floor (medians of the runs), ratio, target, pass or miss by how much. */
import { cpus, loadavg, totalmem } from "node:os";

export interface Target {
  /** Text shown, e.g. "≤ 10 s, ≤ 3× floor". */
  text: string;
  /** Returns null when met, else by how much it missed. */
  check: (figure: number, ratio: number) => string | null;
}

export interface BenchRow {
  group: string;
  name: string;
  unit: string;
  figure: number | null;
  floor: number | null;
  ratio: number | null;
  target: string;
  result: "pass" | "miss" | "n/a" | "not measured";
  /** Why a target was missed, or why the row was not measured. */
  note?: string;
  floorName: string;
  runs: number[];
  floorRuns: number[];
  detail?: Record<string, unknown>;
}

export const median = (xs: number[]) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Four significant figures: 0.00123 s and 1235 rows/s both stay readable. */
const r2 = (n: number) => (Number.isFinite(n) ? Number(n.toPrecision(4)) : n);

export const row = (o: {
  group: string;
  name: string;
  unit: string;
  runs: number[];
  floorRuns: number[];
  floorName: string;
  target?: Target;
  detail?: Record<string, unknown>;
}): BenchRow => {
  const figure = r2(median(o.runs));
  const floor = r2(median(o.floorRuns));
  const ratio = median(o.floorRuns) > 0 ? r2(median(o.runs) / median(o.floorRuns)) : null;
  const miss = o.target ? o.target.check(figure, ratio ?? Number.NaN) : null;
  return {
    group: o.group,
    name: o.name,
    unit: o.unit,
    figure,
    floor,
    ratio,
    target: o.target?.text ?? "—",
    result: o.target ? (miss ? "miss" : "pass") : "n/a",
    ...(miss ? { note: miss } : {}),
    floorName: o.floorName,
    runs: o.runs.map(r2),
    floorRuns: o.floorRuns.map(r2),
    ...(o.detail ? { detail: o.detail } : {}),
  };
};

export const notMeasured = (group: string, name: string, target: string, why: string): BenchRow => ({
  group,
  name,
  unit: "",
  figure: null,
  floor: null,
  ratio: null,
  target,
  result: "not measured",
  note: why,
  floorName: "",
  runs: [],
  floorRuns: [],
});

/** At most `limit` (and, when `ratioLimit` is given, at most that many times the floor). */
export const atMost = (limit: number, unit: string, ratioLimit?: number): Target => ({
  text: `≤ ${limit} ${unit}${ratioLimit ? `, ≤ ${ratioLimit}× floor` : ""}`,
  check: (figure, ratio) => {
    const misses: string[] = [];
    if (figure > limit) misses.push(`${r2(figure - limit)} ${unit} over (${r2(figure / limit)}× the limit)`);
    if (ratioLimit && ratio > ratioLimit) misses.push(`${ratio}× floor vs ≤ ${ratioLimit}×`);
    return misses.length ? misses.join("; ") : null;
  },
});

/** At least `ratio` times the floor (a rate against the floor's rate); a miss says by how much. */
export const atLeastFloor = (ratio: number): Target => ({
  text: `≥ ${ratio}× floor`,
  check: (figure, r) => {
    if (r >= ratio) return null;
    if (Number.isNaN(r)) return `no floor to compare with (≥ ${ratio}× floor)`;
    if (r === 0) return `0× floor vs ≥ ${ratio}×`;
    // The ratio is rounded to four figures: three are all `needed` can claim.
    const needed = Number(((ratio * figure) / r).toPrecision(3));
    return `${r2(r)}× floor vs ≥ ${ratio}×: ${r2(needed - figure)} short of ${needed}`;
  },
});

export const machine = () => ({
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
});

const fmt = (n: number | null, unit = "") =>
  n === null || Number.isNaN(n) ? "—" : `${n}${unit ? ` ${unit}` : ""}`;

/** The printed table: name | figure | floor | ratio | target | pass/miss. */
export const table = (rows: BenchRow[]) => {
  const head = ["name", "figure", "floor", "ratio", "target", "pass/miss"];
  const lines = rows.map((r) => [
    r.name,
    fmt(r.figure, r.unit),
    r.floor === null ? "—" : `${fmt(r.floor, r.unit)} (${r.floorName})`,
    r.ratio === null ? "—" : `${r.ratio}×`,
    r.target,
    r.result === "miss" || r.result === "not measured" ? `${r.result}: ${r.note}` : r.result,
  ]);
  const out = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const l of lines) out.push(`| ${l.join(" | ")} |`);
  return out.join("\n");
};
