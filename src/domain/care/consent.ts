/**
 * The consent ledger (DOMAIN.md §7, §9): per channel, append-only entries recording
 * state, when, by whom, how and with what evidence. The latest entry wins.
 */

export type ConsentChannel = "sms" | "email";
export type ConsentState = "granted" | "withdrawn";

export interface ConsentEntry {
  channel: ConsentChannel;
  state: ConsentState;
  /** ISO 8601 instant. */
  at: string;
  /** User id who recorded it; null when the customer acted (opt-out reply, unsubscribe link). */
  by: string | null;
  /** How it was obtained: "paper_form", "sms_reply", "unsubscribe_link", "verbal", … */
  method: string;
  evidence: string | null;
}

/**
 * The channel's state from its latest entry, or "none" when nothing is recorded.
 * Instants are compared as instants (offsets may differ); on a tie the later-appended
 * entry wins, as the ledger is append-only.
 */
export const currentConsent = (
  entries: readonly ConsentEntry[],
  channel: ConsentChannel,
): ConsentState | "none" => {
  let latest: ConsentEntry | null = null;
  for (const e of entries) {
    if (e.channel !== channel) continue;
    if (latest === null || Date.parse(e.at) >= Date.parse(latest.at)) latest = e;
  }
  return latest?.state ?? "none";
};

/** Replies the carriers require us to honour as a withdrawal (「拒收请回复R」). */
const OPT_OUT_WORDS = new Set(["R", "T", "TD", "退订", "拒收"]);

/**
 * True for an opt-out reply: R, T, TD, 退订, 拒收 — trimmed, any case, full-width
 * letters (Ｒ, ｔｄ) normalized, surrounding punctuation ignored ("退订。", "TD!").
 */
export const isOptOutReply = (text: string): boolean => {
  const t = text
    .normalize("NFKC")
    .trim()
    .replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, "")
    .toUpperCase();
  return OPT_OUT_WORDS.has(t);
};

/** A withdrawal entry for the ledger, as written by the SMS hook or the unsubscribe page. */
export const withdrawalEntry = (
  channel: ConsentChannel,
  at: string,
  method: string,
  evidence: string | null,
): ConsentEntry => ({ channel, state: "withdrawn", at, by: null, method, evidence });
