/**
 * Contacts we do not know, in memory: each gets one polite refusal a day and a few bind
 * attempts a day (a bind code is one-time, but guessing should still be slow). The outbox
 * dedupe key of the refusal makes "once a day" hold across restarts too.
 */
const MAX_BIND_ATTEMPTS = 5;

export const createStrangerGate = () => {
  let day = "";
  const refused = new Set<string>();
  const attempts = new Map<string, number>();

  const roll = (today: string) => {
    if (today === day) return;
    day = today;
    refused.clear();
    attempts.clear();
  };

  /** True the first time a stranger writes on a day: refuse then, stay silent after. */
  const firstToday = (contactId: string, today: string): boolean => {
    roll(today);
    if (refused.has(contactId)) return false;
    refused.add(contactId);
    return true;
  };

  /** One more bind attempt; false once the day's allowance is spent. */
  const mayBind = (contactId: string, today: string): boolean => {
    roll(today);
    const n = (attempts.get(contactId) ?? 0) + 1;
    attempts.set(contactId, n);
    return n <= MAX_BIND_ATTEMPTS;
  };

  return { firstToday, mayBind };
};
