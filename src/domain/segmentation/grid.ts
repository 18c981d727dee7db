/**
 * INNOVARA dual grid (DOMAIN.md §2): a doctor's usage × potential for one product gives a
 * class, a strategy and a monthly visit target. The table is data because admins may
 * edit it as a setting (`segment.grid`); the code only looks cells up.
 */
export type Scale = 0 | 1 | 2 | 3 | 4;
export type SegmentClass = "A" | "B" | "C";
export type Strategy = "grow" | "maintain" | "nurture" | "develop" | "evaluate" | "none";
export interface VisitRange {
  min: number;
  max: number;
}

export interface GridCell {
  usage: Scale;
  potential: Scale;
  class: SegmentClass | null;
  strategy: Strategy;
  visitsPerMonth: VisitRange | null;
}

export type SegmentGrid = readonly GridCell[];

export interface Segment {
  class: SegmentClass | null;
  strategy: Strategy;
  visitsPerMonth: VisitRange | null;
}

const NONE: Segment = { class: null, strategy: "none", visitsPerMonth: null };
const C_EVALUATE: Segment = { class: "C", strategy: "evaluate", visitsPerMonth: { min: 1, max: 1 } };
const B_NURTURE: Segment = { class: "B", strategy: "nurture", visitsPerMonth: { min: 2, max: 4 } };
const B_MAINTAIN: Segment = { class: "B", strategy: "maintain", visitsPerMonth: { min: 2, max: 2 } };
const C_DEVELOP: Segment = { class: "C", strategy: "develop", visitsPerMonth: { min: 4, max: 6 } };
const B_DEVELOP: Segment = { class: "B", strategy: "develop", visitsPerMonth: { min: 4, max: 6 } };
const A_GROW: Segment = { class: "A", strategy: "grow", visitsPerMonth: { min: 4, max: 6 } };

/** Rows by potential 0…4, columns by usage 0…4 — reads like the table in DOMAIN.md. */
const ROWS: readonly (readonly Segment[])[] = [
  [NONE, NONE, NONE, NONE, NONE],
  [C_EVALUATE, C_EVALUATE, B_NURTURE, B_MAINTAIN, B_MAINTAIN],
  [B_NURTURE, B_NURTURE, B_NURTURE, B_MAINTAIN, B_MAINTAIN],
  [C_DEVELOP, B_DEVELOP, B_DEVELOP, A_GROW, A_GROW],
  [C_DEVELOP, B_DEVELOP, B_DEVELOP, A_GROW, A_GROW],
];

const SCALE: readonly Scale[] = [0, 1, 2, 3, 4];

export const defaultSegmentGrid: SegmentGrid = SCALE.flatMap((potential) =>
  SCALE.map((usage) => {
    const s = ROWS[potential][usage];
    const visitsPerMonth = s.visitsPerMonth ? { ...s.visitsPerMonth } : null;
    return { usage, potential, class: s.class, strategy: s.strategy, visitsPerMonth };
  }),
);

/**
 * Each grid's cells by usage × potential (the first cell of a pair wins, as a search would):
 * a customer list classifies every segment of 50 doctors, and searching the 25 cells for each
 * was a measurable share of a page. Keyed by the grid object, so an edited grid is a new index.
 */
const cellIndexes = new WeakMap<SegmentGrid, (GridCell | undefined)[]>();
const cellsOf = (grid: SegmentGrid) => {
  let cells = cellIndexes.get(grid);
  if (!cells) {
    cells = [];
    for (const c of grid) cells[c.usage * 5 + c.potential] ??= c;
    cellIndexes.set(grid, cells);
  }
  return cells;
};

/** The cell for (usage, potential); a grid missing the cell (should not pass isValidGrid) means no target. */
export const classifySegment = (
  usage: Scale,
  potential: Scale,
  grid: SegmentGrid = defaultSegmentGrid,
): Segment => {
  const cell = cellsOf(grid)[usage * 5 + potential];
  if (!cell) return { ...NONE };
  return { class: cell.class, strategy: cell.strategy, visitsPerMonth: cell.visitsPerMonth };
};

/** Wider range first by max, then by min: {4,6} beats {2,4} beats {2,2} beats {1,1}. */
export const compareVisitRange = (a: VisitRange, b: VisitRange): number => a.max - b.max || a.min - b.min;

/** A doctor's visit target is the highest over their products (DOMAIN.md §2); null when none. */
export const doctorTarget = (
  segments: readonly { usage: Scale; potential: Scale }[],
  grid: SegmentGrid = defaultSegmentGrid,
): VisitRange | null => {
  let best: VisitRange | null = null;
  for (const s of segments) {
    const v = classifySegment(s.usage, s.potential, grid).visitsPerMonth;
    if (v && (!best || compareVisitRange(v, best) > 0)) best = v;
  }
  return best ? { ...best } : null;
};

const STRATEGIES: readonly string[] = ["grow", "maintain", "nurture", "develop", "evaluate", "none"];
const CLASSES: readonly unknown[] = ["A", "B", "C", null];

const isScale = (v: unknown): v is Scale => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 4;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

const isValidRange = (v: unknown): boolean => {
  if (v === null) return true;
  if (!isRecord(v)) return false;
  const { min, max } = v;
  return typeof min === "number" && typeof max === "number" && Number.isFinite(min) && min >= 0 && max >= min;
};

const isValidCell = (c: unknown): c is GridCell =>
  isRecord(c) &&
  isScale(c.usage) &&
  isScale(c.potential) &&
  CLASSES.includes(c.class) &&
  typeof c.strategy === "string" &&
  STRATEGIES.includes(c.strategy) &&
  isValidRange(c.visitsPerMonth) &&
  // "none" means not a target: it must carry no visits, and a target must carry some.
  (c.strategy === "none") === (c.visitsPerMonth === null);

/** An admin-edited grid (unknown JSON) must have well-formed cells covering all 25 exactly once. */
export const isValidGrid = (grid: unknown): grid is SegmentGrid => {
  if (!Array.isArray(grid) || grid.length !== 25) return false;
  const seen = new Set<number>();
  for (const c of grid) {
    if (!isValidCell(c)) return false;
    const key = c.usage * 5 + c.potential;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return seen.size === 25;
};
