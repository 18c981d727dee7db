import { randomBytes } from "node:crypto";

let lastTime = 0;
let counter = 0;

/**
 * Opaque, time-ordered ids (base-36 time, a counter within the same millisecond, random tail):
 * sorting by id sorts by creation, which makes cursor pagination a simple `id > ?`.
 */
export const newId = (): string => {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  return (
    now.toString(36).padStart(9, "0") + counter.toString(36).padStart(3, "0") + randomBytes(6).toString("hex")
  );
};

export const nowIso = (): string => new Date().toISOString();
