/**
 * Slot extractors for the one-line parser. Each takes the text left so far and returns
 * what it found plus the text with that part cut out, so later extractors (and the
 * customer match, which takes whatever is left) never see it twice.
 */
import { findAmount } from "./amounts";
import { findFollowUp, findWhen, type When, type WhenOptions } from "./dates";
import { type CustomerCandidate, matchCustomers, type ProductCandidate } from "./names";
import { cut, escapeRegExp } from "./normalize";
import { strayPersonName } from "./person-name";
import { findRating } from "./ratings";
import { CATEGORIES, type ExpenseCategory, METHODS, PURPOSES, type VisitMethod } from "./vocab";

export interface Taken<T> {
  value: T | undefined;
  text: string;
}

const none = <T>(text: string): Taken<T> => ({ value: undefined, text });

export const takeFollowUp = (text: string, opts: WhenOptions): Taken<string> => {
  const f = findFollowUp(text, { ...opts, prefer: "future" });
  return f ? { value: f.date, text: cut(text, f.start, f.end) } : none(text);
};

export const takeWhen = (text: string, opts: WhenOptions): Taken<When> => {
  const hit = findWhen(text, opts);
  if (!hit) return none(text);
  const rest = [...hit.spans].reverse().reduce((t, s) => cut(t, s.start, s.end), text);
  return { value: hit.when, text: rest };
};

export const takeRating = (text: string): Taken<number> => {
  const r = findRating(text);
  // An out-of-range rating is left in the text: the flow then asks for 1–7.
  return r && "rating" in r ? { value: r.rating, text: cut(text, r.start, r.end) } : none(text);
};

export const takeNextStep = (text: string): Taken<string> => {
  const m = /(?:下一步|下步|后续|next\s+steps?|todo)\s*[:：]?\s*([^;；。\n]+)/i.exec(text);
  return m ? { value: m[1].trim(), text: cut(text, m.index, m.index + m[0].length) } : none(text);
};

export const takeMethod = (text: string): Taken<VisitMethod> => {
  for (const [re, method] of METHODS) {
    const m = re.exec(text);
    if (m) return { value: method, text: cut(text, m.index, m.index + m[0].length) };
  }
  return none(text);
};

export const takePurposes = (text: string): Taken<string[]> => {
  const found: string[] = [];
  let rest = text;
  for (const [re, purpose] of PURPOSES) {
    const m = re.exec(rest);
    if (!m) continue;
    found.push(purpose);
    rest = cut(rest, m.index, m.index + m[0].length);
  }
  return found.length > 0 ? { value: found, text: rest } : none(text);
};

const productKeyRe = (key: string): RegExp =>
  /^[\x20-\x7e]+$/.test(key)
    ? new RegExp(`\\b${escapeRegExp(key)}\\b`, "i")
    : new RegExp(escapeRegExp(key), "i");

/**
 * The keys of a product list, longest first, with their patterns: kept per list, since a
 * turn's product list is shared between turns while it is unchanged (the list is not edited).
 */
const productKeysOf = new WeakMap<ProductCandidate[], { id: string; re: RegExp }[]>();
const productKeys = (products: ProductCandidate[]) => {
  let keys = productKeysOf.get(products);
  if (!keys) {
    keys = products
      .flatMap((p) => [p.name, p.nameEn ?? "", ...p.aliases].map((key) => ({ id: p.id, key })))
      .filter((k) => k.key.length >= 2)
      .sort((a, b) => b.key.length - a.key.length)
      .map((k) => ({ id: k.id, re: productKeyRe(k.key) }));
    productKeysOf.set(products, keys);
  }
  return keys;
};

/** Product names, English names or aliases written anywhere in the text (longest keys first). */
export const takeProducts = (text: string, products: ProductCandidate[]): Taken<string[]> => {
  const ids: string[] = [];
  let rest = text;
  for (const { id, re } of productKeys(products)) {
    const m = re.exec(rest);
    if (!m) continue;
    if (!ids.includes(id)) ids.push(id);
    rest = cut(rest, m.index, m.index + m[0].length);
  }
  return ids.length > 0 ? { value: ids, text: rest } : none(text);
};

export const takeCategory = (text: string): Taken<ExpenseCategory> => {
  let best: { category: ExpenseCategory; start: number; end: number } | null = null;
  for (const [re, category] of CATEGORIES) {
    const m = re.exec(text);
    if (!m) continue;
    const end = m.index + m[0].length;
    if (!best || m.index < best.start || (m.index === best.start && end > best.end))
      best = { category, start: m.index, end };
  }
  if (!best) return none(text);
  // 酒店住宿: further words of the same category are not description either.
  const again = CATEGORIES.find(([, c]) => c === best.category)?.[0];
  let rest = cut(text, best.start, best.end);
  for (let m = again?.exec(rest); again && m; m = again.exec(rest))
    rest = cut(rest, m.index, m.index + m[0].length);
  return { value: best.category, text: rest };
};

const INVOICE =
  /(?:发票(?:号码?)?|invoice(?:\s*(?:no\.?|number|#))?|inv\.?|fapiao)\s*[:：#]?\s*([A-Za-z0-9-]{6,})/i;
/** 8- or 20-digit invoice numbers without the word: too long to be an amount anyway. */
const BARE_INVOICE = /(?<![\d.,])(\d{8}|\d{20})(?![\d.,])/;
/** The invoice word with a number too short to be one (发票12, invoice x1): a typo, not text. */
const SHORT_INVOICE =
  /(?:发票(?:号码?)?|invoice(?:\s*(?:no\.?|number|#))?|inv\.?|fapiao)(?:\s*[:：#]\s*|\s+|(?=\d))(?=[A-Za-z-]*\d)[A-Za-z0-9-]{1,5}(?![A-Za-z0-9-])/i;

/** A value that was written but is wrong: cut out of the text, `bad` is what was written. */
export type Checked<T> = Taken<T> & { bad?: string };

export const takeInvoice = (text: string): Checked<string> => {
  const m = INVOICE.exec(text) ?? BARE_INVOICE.exec(text);
  if (m) return { value: m[1], text: cut(text, m.index, m.index + m[0].length) };
  const short = SHORT_INVOICE.exec(text);
  return short
    ? { value: undefined, text: cut(text, short.index, short.index + short[0].length), bad: short[0] }
    : none(text);
};

/** A wrong amount (-50元, 320.555元) is cut out too, so it never becomes the description. */
export const takeAmount = (text: string, bare: boolean): Checked<number> => {
  const a = findAmount(text, { bare });
  if (!a) return none(text);
  const rest = cut(text, a.start, a.end);
  return "amount" in a ? { value: a.amount, text: rest } : { value: undefined, text: rest, bad: a.matched };
};

export interface CustomerPick {
  customerQuery: string;
  customerIds: string[];
  rest: string;
  /**
   * A person's name left over when the run named only places (`协和 张三`, `Dr. Smith at
   * Union`): the rep meant someone there they have no record of, not the hospital itself.
   */
  unknownName?: string;
}

/** Doctors are the people among customers; the other kinds are places (hospital, pharmacy…). */
const isPerson = (c: CustomerCandidate) => c.kind === "doctor";

/** The longest run of words that names a customer (earliest on a tie); the other words are left over. */
export const takeCustomer = (text: string, customers: CustomerCandidate[]): CustomerPick | null => {
  const words = text
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  for (let len = words.length; len >= 1; len--) {
    for (let start = 0; start + len <= words.length; start++) {
      const query = words.slice(start, start + len).join(" ");
      const matches = matchCustomers(query, customers);
      if (matches.length === 0) continue;
      const others = [...words.slice(0, start), ...words.slice(start + len)];
      const ids = matches.map((m) => m.id);
      const matched = new Set(ids);
      const places = customers.filter((c) => matched.has(c.id)).every((c) => !isPerson(c));
      const unknownName = places ? strayPersonName(others) : undefined;
      return {
        customerQuery: query,
        customerIds: ids,
        rest: others.join(" "),
        ...(unknownName ? { unknownName } : {}),
      };
    }
  }
  return null;
};
