/**
 * Slack's per-channel posting limit: "about one message per second per channel, short
 * bursts allowed". A generic cell rate: each channel keeps the time its next message would
 * be due at the steady rate; a message may go up to `burst - 1` gaps ahead of that. So a rep
 * typing two quick lines gets both answers at once, while a flood is held to one a gap.
 */
export interface PacerOptions {
  gapMs: number;
  burst: number;
  now?: () => number;
  /** Channels remembered at most (the idle ones are forgotten first). */
  maxChannels?: number;
}

export const createPacer = (o: PacerOptions) => {
  const now = o.now ?? Date.now;
  const maxChannels = o.maxChannels ?? 5_000;
  const burst = Math.max(1, o.burst);
  /** Per channel: when the next message would be due at the steady rate. */
  const due = new Map<string, number>();

  const forgetIdle = (t: number) => {
    for (const [k, at] of due) if (at <= t) due.delete(k);
  };

  /** Reserves the channel's next slot; answers how long to wait before posting (ms). */
  const reserve = (channel: string): number => {
    const t = now();
    const next = Math.max(due.get(channel) ?? t, t);
    const sendAt = Math.max(t, next - (burst - 1) * o.gapMs);
    due.set(channel, Math.max(next, sendAt) + o.gapMs);
    if (due.size > maxChannels) forgetIdle(t);
    return sendAt - t;
  };

  return { reserve, size: () => due.size };
};
