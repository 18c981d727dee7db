import type { Choice } from "../platform";

/**
 * The list last shown to each contact, in memory: enough to answer "更多" with the next page
 * and, for a notification's list (a daily plan), to turn a typed number into its choice.
 * Lost on restart, which costs only a "更多" that the engine then answers itself.
 */
export interface Cursor {
  choices: Choice[];
  /** How many are on screen already. */
  shown: number;
  /** "reply": the engine maps numbers itself (the flow's prompt); "notice": we map them. */
  origin: "reply" | "notice";
  locale: string;
  at: number;
}

const TTL_MS = 60 * 60_000;
const MAX_CONTACTS = 5_000;

export const createPager = (now: () => number = Date.now) => {
  const cursors = new Map<string, Cursor>();

  const get = (contactId: string): Cursor | null => {
    const c = cursors.get(contactId);
    if (!c) return null;
    if (now() - c.at > TTL_MS) {
      cursors.delete(contactId);
      return null;
    }
    return c;
  };

  const set = (contactId: string, cursor: Omit<Cursor, "at">) => {
    cursors.delete(contactId);
    cursors.set(contactId, { ...cursor, at: now() });
    // Oldest first in a Map: drop them beyond the cap.
    for (const key of cursors.keys()) {
      if (cursors.size <= MAX_CONTACTS) break;
      cursors.delete(key);
    }
  };

  const clear = (contactId: string) => cursors.delete(contactId);

  /** The choice a typed number picks from a notification's list, if that list is the latest. */
  const noticeChoice = (contactId: string, text: string): string | null => {
    const c = get(contactId);
    if (c?.origin !== "notice" || !/^\d{1,3}$/.test(text)) return null;
    return c.choices[Number(text) - 1]?.id ?? null;
  };

  return { get, set, clear, noticeChoice };
};

export type Pager = ReturnType<typeof createPager>;
