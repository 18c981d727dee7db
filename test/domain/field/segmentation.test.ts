import { describe, expect, it } from "vitest";
import {
  classifySegment,
  defaultSegmentGrid,
  doctorTarget,
  isValidGrid,
  type Scale,
} from "../../../src/domain/segmentation/grid";

type Row = [
  usage: Scale,
  potential: Scale,
  cls: "A" | "B" | "C" | null,
  strategy: string,
  min: number | null,
  max: number | null,
];

// Written out from DOMAIN.md §2, not derived from the table under test.
const cells: Row[] = [
  [0, 0, null, "none", null, null],
  [1, 0, null, "none", null, null],
  [2, 0, null, "none", null, null],
  [3, 0, null, "none", null, null],
  [4, 0, null, "none", null, null],
  [0, 1, "C", "evaluate", 1, 1],
  [1, 1, "C", "evaluate", 1, 1],
  [2, 1, "B", "nurture", 2, 4],
  [3, 1, "B", "maintain", 2, 2],
  [4, 1, "B", "maintain", 2, 2],
  [0, 2, "B", "nurture", 2, 4],
  [1, 2, "B", "nurture", 2, 4],
  [2, 2, "B", "nurture", 2, 4],
  [3, 2, "B", "maintain", 2, 2],
  [4, 2, "B", "maintain", 2, 2],
  [0, 3, "C", "develop", 4, 6],
  [1, 3, "B", "develop", 4, 6],
  [2, 3, "B", "develop", 4, 6],
  [3, 3, "A", "grow", 4, 6],
  [4, 3, "A", "grow", 4, 6],
  [0, 4, "C", "develop", 4, 6],
  [1, 4, "B", "develop", 4, 6],
  [2, 4, "B", "develop", 4, 6],
  [3, 4, "A", "grow", 4, 6],
  [4, 4, "A", "grow", 4, 6],
];

describe("segmentation grid", () => {
  it.each(cells)(
    "usage %i × potential %i is class %s, %s, %s–%s visits",
    (usage, potential, cls, strategy, min, max) => {
      expect(classifySegment(usage, potential, defaultSegmentGrid)).toEqual({
        class: cls,
        strategy,
        visitsPerMonth: min === null ? null : { min, max },
      });
    },
  );

  it("has 25 cells, each once", () => {
    expect(defaultSegmentGrid).toHaveLength(25);
    expect(isValidGrid(defaultSegmentGrid)).toBe(true);
  });

  it("rejects a grid with a duplicated or missing cell", () => {
    const dup = defaultSegmentGrid.map((c, i) => (i === 24 ? { ...defaultSegmentGrid[0] } : c));
    expect(isValidGrid(dup)).toBe(false);
    expect(isValidGrid(defaultSegmentGrid.slice(1))).toBe(false);
  });

  it("rejects malformed cells and non-arrays", () => {
    const bad = (patch: object) => defaultSegmentGrid.map((c, i) => (i === 7 ? { ...c, ...patch } : c));
    expect(isValidGrid(bad({ strategy: "conquer" }))).toBe(false);
    expect(isValidGrid(bad({ class: "D" }))).toBe(false);
    expect(isValidGrid(bad({ usage: 5 }))).toBe(false);
    expect(isValidGrid(bad({ visitsPerMonth: { min: 4, max: 2 } }))).toBe(false);
    expect(isValidGrid(bad({ visitsPerMonth: null }))).toBe(false);
    expect(isValidGrid({})).toBe(false);
    expect(isValidGrid(null)).toBe(false);
  });

  it("accepts an admin's edited grid and classifies with it", () => {
    const edited = defaultSegmentGrid.map((c) =>
      c.usage === 0 && c.potential === 1 ? { ...c, visitsPerMonth: { min: 1, max: 2 } } : c,
    );
    expect(isValidGrid(edited)).toBe(true);
    expect(classifySegment(0, 1, edited).visitsPerMonth).toEqual({ min: 1, max: 2 });
  });

  it("gives a doctor the highest target over their products", () => {
    // evaluate {1,1}, maintain {2,2}, nurture {2,4}
    expect(
      doctorTarget([
        { usage: 0, potential: 1 },
        { usage: 3, potential: 1 },
        { usage: 2, potential: 2 },
      ]),
    ).toEqual({ min: 2, max: 4 });
    expect(
      doctorTarget([
        { usage: 3, potential: 1 },
        { usage: 4, potential: 4 },
      ]),
    ).toEqual({ min: 4, max: 6 });
  });

  it("compares by max first, then min", () => {
    const grid = defaultSegmentGrid.map((c) =>
      c.usage === 0 && c.potential === 2 ? { ...c, visitsPerMonth: { min: 3, max: 4 } } : c,
    );
    expect(
      doctorTarget(
        [
          { usage: 2, potential: 2 },
          { usage: 0, potential: 2 },
        ],
        grid,
      ),
    ).toEqual({ min: 3, max: 4 });
  });

  it("has no target when no product is a target", () => {
    expect(doctorTarget([])).toBeNull();
    expect(doctorTarget([{ usage: 4, potential: 0 }])).toBeNull();
  });
});
