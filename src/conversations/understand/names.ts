/**
 * Fuzzy matching of what a rep types against their customers and the product list:
 * 王主任 (surname + title), 协和 王 (hospital + surname), wjg / wangjianguo (pinyin),
 * Dr. Wang at Union (English). Ranked; the caller offers a choice when several tie.
 */
import { pinyin } from "pinyin-pro";
import { type QueryToken, tokenizeQuery } from "./name-query";
import { normalize } from "./normalize";

export interface CustomerCandidate {
  id: string;
  name: string;
  kind: string;
  /** The hospital (and department) a doctor or department belongs to. */
  parentName?: string;
  city?: string;
  title?: string;
  /** Other names of the customer (English name, abbreviations: PUMCH). */
  aliases?: string[];
  /** Other names of the parent (Peking Union Medical College Hospital). */
  parentAliases?: string[];
}

export interface ProductCandidate {
  id: string;
  name: string;
  nameEn?: string | null;
  aliases: string[];
}

export interface Match {
  id: string;
  score: number;
}

const CJK = /[\u4e00-\u9fff]/;
const squash = (s: string) => s.toLowerCase().replace(/\s+/g, "");

const pinyinCache = new Map<string, { syllables: string[]; initials: string }>();
const pinyinOf = (name: string) => {
  let p = pinyinCache.get(name);
  if (!p) {
    const syllables = pinyin(name, { toneType: "none", type: "array" });
    p = { syllables, initials: syllables.map((s) => s[0]).join("") };
    pinyinCache.set(name, p);
  }
  return p;
};

/**
 * A name as matched: squashed, and its words. Every line that names someone scores the rep's
 * whole book (twice or more), so the forms of each name are kept rather than recomputed.
 */
interface KeyForms {
  squashed: string;
  words: string[] | null;
}
const KEY_FORMS_KEPT = 50_000;
const keyForms = new Map<string, KeyForms>();
const formsOf = (key: string): KeyForms => {
  let f = keyForms.get(key);
  if (!f) {
    if (keyForms.size >= KEY_FORMS_KEPT) keyForms.clear();
    f = { squashed: squash(key), words: null };
    keyForms.set(key, f);
  }
  return f;
};

const textScore = (t: string, key: string): number => {
  if (!key || !t) return 0;
  const f = formsOf(key);
  const k = f.squashed;
  if (!k) return 0;
  if (k === t) return 100;
  if (k.startsWith(t)) return t.length === 1 && CJK.test(t) ? 60 : t.length >= 2 ? 80 : 0;
  f.words ??= key.toLowerCase().split(/[\s.,-]+/);
  const words = f.words;
  if (words.includes(t)) return 70;
  if (t.length >= 3) for (const w of words) if (w.startsWith(t)) return 45;
  return k.includes(t) && (t.length >= 2 || CJK.test(t)) ? 50 : 0;
};

const pinyinScore = (t: string, name: string): number => {
  if (!/^[a-z]+$/.test(t) || !/^[\u4e00-\u9fff]+$/.test(name)) return 0;
  const { syllables, initials } = pinyinOf(name);
  const full = syllables.join("");
  if (t === full) return 90;
  if (t.length >= 2 && t === initials) return 85;
  if (t === syllables.slice(1).join("")) return 60;
  if (t === syllables[0]) return 55;
  return t.length >= 3 && full.startsWith(t) ? 40 : 0;
};

const nameScore = (t: string, c: CustomerCandidate): number => {
  let best = Math.max(pinyinScore(t, c.name), textScore(t, c.name));
  for (const alias of c.aliases ?? []) best = Math.max(best, textScore(t, alias));
  return best;
};

// Loops rather than callbacks here: this runs for every customer of the book, for every word.
const parentFits = (t: string, p: string | undefined) =>
  !!p && textScore(t, p) > 0 && (t.length >= 2 || formsOf(p).squashed === t);

const parentScore = (t: string, c: CustomerCandidate): number => {
  if (parentFits(t, c.parentName)) return 30;
  for (const alias of c.parentAliases ?? []) if (parentFits(t, alias)) return 30;
  return c.city && formsOf(c.city).squashed.includes(t) && t.length >= 2 ? 10 : 0;
};

const GENERIC_TITLES = new Set(["医生", "大夫", "老师", "医师", "专家", "doctor"]);

const titleScore = (c: CustomerCandidate, title: string): number => {
  if (GENERIC_TITLES.has(title)) return c.kind === "doctor" ? 10 : -20;
  if (!c.title) return 0;
  return c.title.includes(title) ? 25 : -30;
};

/** 协和王: a hospital word glued to a surname; the longest prefix found in the parent's name. */
const splitParentPrefix = (t: string, c: CustomerCandidate): number => {
  for (let len = t.length - 1; len >= 2; len--) {
    const p = parentScore(t.slice(0, len), c);
    const n = p > 0 ? nameScore(t.slice(len), c) : 0;
    if (n > 0) return p + n;
  }
  return 0;
};

const tokenScore = (tok: QueryToken, c: CustomerCandidate): { score: number; own: boolean } => {
  const title = tok.title ? titleScore(c, tok.title) : 0;
  if (!tok.text) return { score: title, own: title > 0 };
  const own = nameScore(tok.text, c);
  const parent = parentScore(tok.text, c);
  if (own > 0 && own >= parent) return { score: own + title, own: true };
  if (parent > 0) return { score: parent + title, own: false };
  const split = CJK.test(tok.text) ? splitParentPrefix(tok.text, c) : 0;
  return { score: split > 0 ? split + title : 0, own: split > 0 };
};

const scoreCustomer = (tokens: QueryToken[], c: CustomerCandidate): number => {
  let total = 0;
  let own = false;
  for (const tok of tokens) {
    const s = tokenScore(tok, c);
    if (s.score <= 0) return 0; // every word typed must fit the candidate somewhere
    total += s.score;
    own ||= s.own;
  }
  return own ? total : 0;
};

/** Plausible customers for a query, best first; close runners-up are kept so the caller can ask. */
export const matchCustomers = (query: string, candidates: CustomerCandidate[]): Match[] => {
  const tokens = tokenizeQuery(normalize(query));
  if (tokens.length === 0) return [];
  const scored = candidates
    .map((c) => ({ id: c.id, score: scoreCustomer(tokens, c) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score);
  const top = scored[0]?.score ?? 0;
  return scored.filter((m) => m.score >= top * 0.75);
};

const productScore = (q: string, p: ProductCandidate): number => {
  const keys = [p.name, p.nameEn ?? "", ...p.aliases].map(squash).filter((k) => k.length > 0);
  let best = 0;
  for (const k of keys) {
    if (k === q) best = Math.max(best, 100);
    else if (k.startsWith(q) && (q.length >= 2 || CJK.test(q))) best = Math.max(best, 80);
    else if (k.includes(q) && q.length >= 2) best = Math.max(best, 60);
  }
  return best;
};

/** Products by name, English name or alias: exact > prefix > contains. */
export const matchProducts = (query: string, products: ProductCandidate[]): Match[] => {
  const q = squash(normalize(query));
  if (!q) return [];
  return products
    .map((p) => ({ id: p.id, score: productScore(q, p) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score);
};
