import { createHash } from "node:crypto";

/**
 * Deterministic randomness for the demo world: the same (seed, refDate) always builds the
 * same rows, so a second `npm run seed` finds every row already there.
 */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  sample<T>(items: readonly T[], n: number): T[];
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
}

/** mulberry32: tiny, fast and good enough for demo data (not for secrets). */
const mulberry32 = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const hash32 = (text: string): number => createHash("sha1").update(text).digest().readUInt32BE(0);

/**
 * One generator per part of the world (hospitals, purchases…), so that changing how one
 * part is drawn does not reshuffle the others.
 */
export const createRng = (seed: number, stream: string): Rng => {
  const next = mulberry32(hash32(`${seed}:${stream}`));
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  return {
    next,
    int,
    pick,
    chance: (p) => next() < p,
    sample: (items, n) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, Math.max(0, Math.min(n, copy.length)));
    },
    weighted: (entries) => {
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [value, w] of entries) {
        r -= w;
        if (r < 0) return value;
      }
      return entries[entries.length - 1][0];
    },
  };
};

/**
 * A stable id from a row's natural identity ("customer:hospital:12"): re-running the seed
 * targets the same primary keys, so `onConflictDoNothing` makes it idempotent.
 */
export const seedId = (identity: string): string =>
  `seed-${createHash("sha1").update(identity).digest("hex").slice(0, 16)}`;

export const roundCny = (n: number): number => Math.round(n * 100) / 100;
