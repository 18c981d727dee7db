import { randomFillSync } from "node:crypto";

let lastTime = 0;
let counter = 0;

/**
 * Random bytes drawn a few KB at a time: `randomBytes(6)` per id cost ~6 µs (a call into the
 * CSPRNG each time), and a job writes tens of thousands of rows.
 */
const TAIL_BYTES = 6;
const pool = Buffer.alloc(TAIL_BYTES * 512);
let offset = pool.length;
const randomTail = () => {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += TAIL_BYTES;
  return pool.toString("hex", offset - TAIL_BYTES, offset);
};

/**
 * Opaque, time-ordered ids (base-36 time, a counter within the same millisecond, random tail):
 * sorting by id sorts by creation, which makes cursor pagination a simple `id > ?`.
 */
export const newId = (): string => {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  return now.toString(36).padStart(9, "0") + counter.toString(36).padStart(3, "0") + randomTail();
};

export const nowIso = (): string => new Date().toISOString();
