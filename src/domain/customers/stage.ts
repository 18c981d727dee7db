/**
 * Customer lifecycle (DOMAIN.md §2): moving forward is the evidence a rep's work is
 * effective, so a backward move is refused unless it is flagged as a correction of a
 * mistaken entry.
 */
export const stages = ["to_identify", "new", "intent", "purchasing", "complete"] as const;
export type Stage = (typeof stages)[number];

export const isStage = (v: unknown): v is Stage =>
  typeof v === "string" && (stages as readonly string[]).includes(v);

/** 0 for to_identify … 4 for complete. */
export const stageRank = (stage: Stage): number => stages.indexOf(stage);

/** Forward by any number of steps; staying put is not a move; backward only as a correction. */
export const canMoveStage = (from: Stage, to: Stage, options: { correction?: boolean } = {}): boolean => {
  const delta = stageRank(to) - stageRank(from);
  if (delta > 0) return true;
  return delta < 0 && options.correction === true;
};
