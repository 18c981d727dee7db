/**
 * A doctor's prescription count in free text (王主任本月开了30张处方, 统方 50, wrote 30
 * scripts). Reps must never record individual doctors' prescription figures (统方,
 * DOMAIN.md §2/§9), so a note that gives one is refused rather than stored or echoed.
 */
import { CN_NUM_CHARS } from "./chinese-numerals";

const WORD = /处方|统方|开方|方子|prescri(?:ption|ptions|bed|bes|be|bing)|\bscripts?\b|\brx\b/i;
const NUMBER = new RegExp(`\\d|[${CN_NUM_CHARS}]{1,4}\\s*(?:张|个|份|次|盒|支)`);
/** How far apart the number and the word may be: 开了30张感冒灵处方 spans 8 characters. */
const NEAR = 12;

/** True when a number stands near a prescription word; 统方 needs no number (it is the practice itself). */
export const mentionsPrescriptionCount = (text: string): boolean => {
  const lower = text.toLowerCase();
  if (lower.includes("统方")) return true;
  const word = new RegExp(WORD.source, "gi");
  for (const m of lower.matchAll(word)) {
    const from = Math.max(0, (m.index ?? 0) - NEAR);
    const to = (m.index ?? 0) + m[0].length + NEAR;
    if (NUMBER.test(lower.slice(from, to))) return true;
  }
  return false;
};
