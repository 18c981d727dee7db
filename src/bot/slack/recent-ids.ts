/**
 * The event ids seen lately, oldest forgotten first: Slack's retries of an event arrive within
 * minutes, so a few thousand ids cover them without touching the database (the engine's
 * stored dedupe covers what a restart forgot).
 */
export const createRecentIds = (capacity = 5000) => {
  const ids = new Map<string, true>();
  /** True the first time an id is seen, false for every repeat. */
  const firstTime = (id: string): boolean => {
    if (!id) return true;
    if (ids.has(id)) return false;
    ids.set(id, true);
    if (ids.size > capacity) ids.delete(ids.keys().next().value as string);
    return true;
  };
  return { firstTime, size: () => ids.size };
};

export type RecentIds = ReturnType<typeof createRecentIds>;

/**
 * One queue per key: a user's second message must not overtake the first while the first
 * still resolves who they are or downloads a file.
 */
export const createKeyedQueue = () => {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
};
