/** Which product a stock segment names, and what text precedes it (the store, in a one-line report). */
import { type Match, matchProducts, type ProductCandidate } from "./names";

export type ProductInSegment =
  | { productId: string; leading: string }
  | { error: "unknown_product" | "ambiguous_product"; candidates?: string[] };

const topTies = (matches: Match[]): Match[] => matches.filter((m) => m.score === matches[0].score);

/** The best-scoring trailing run of words ("大药房 感冒灵" → 感冒灵); ties keep the shorter run. */
const bySuffix = (words: string[], products: ProductCandidate[]) => {
  let best: { matches: Match[]; k: number } | null = null;
  for (let k = 1; k <= words.length; k++) {
    const matches = matchProducts(words.slice(-k).join(" "), products);
    if (matches.length > 0 && (!best || matches[0].score > best.matches[0].score)) best = { matches, k };
  }
  return best;
};

/** A product name written inside a longer word (大药房感冒灵): the occurrence ending last wins. */
const bySubstring = (segment: string, products: ProductCandidate[]) => {
  const lower = segment.toLowerCase();
  let best: { id: string; at: number; len: number } | null = null;
  for (const p of products) {
    for (const key of [p.name, p.nameEn ?? "", ...p.aliases]) {
      if (key.length < 2) continue;
      const at = lower.lastIndexOf(key.toLowerCase());
      if (at < 0) continue;
      const end = at + key.length;
      if (!best || end > best.at + best.len || (end === best.at + best.len && key.length > best.len))
        best = { id: p.id, at, len: key.length };
    }
  }
  return best;
};

export const resolveProductIn = (segment: string, products: ProductCandidate[]): ProductInSegment => {
  const words = segment.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return { error: "unknown_product" };
  const suffix = bySuffix(words, products);
  if (suffix) {
    const ties = topTies(suffix.matches);
    if (ties.length > 1) return { error: "ambiguous_product", candidates: ties.map((m) => m.id) };
    return { productId: ties[0].id, leading: words.slice(0, -suffix.k).join(" ") };
  }
  const sub = bySubstring(segment, products);
  return sub ? { productId: sub.id, leading: segment.slice(0, sub.at).trim() } : { error: "unknown_product" };
};
