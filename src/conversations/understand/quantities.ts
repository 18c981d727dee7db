/** Stock counts: 24盒, 3 boxes, 十盒, and whole stock lines "感冒灵 24盒, 维C 10；阿莫西林 3 boxes". */
import { CN_NUM_CHARS, parseIntLoose } from "./chinese-numerals";
import type { ProductCandidate } from "./names";
import { normalize } from "./normalize";
import { resolveProductIn } from "./stock-products";

export interface Quantity {
  quantity: number;
  unit?: string;
}

export interface StockLine {
  productId: string;
  quantity: number;
  unit?: string;
  matched: string;
}

export interface StockLineError {
  fragment: string;
  reason: "unknown_product" | "no_quantity" | "ambiguous_product" | "negative_quantity";
  candidates?: string[];
}

export interface StockLines {
  lines: StockLine[];
  errors: StockLineError[];
  /** Text before the first product that is no product (the store in "库存 大药房 感冒灵 24盒"). */
  leading: string;
}

const ZH_UNITS = "盒|瓶|支|袋|板|箱|件|包|粒|片|个|罐|桶|套|台|只|提|听|贴|条|本|份|张|瓶装|盒装";
const EN_UNITS: Record<string, string> = {
  box: "box",
  boxes: "box",
  bottle: "bottle",
  bottles: "bottle",
  pack: "pack",
  packs: "pack",
  packet: "pack",
  packets: "pack",
  pc: "piece",
  pcs: "piece",
  piece: "piece",
  pieces: "piece",
  unit: "unit",
  units: "unit",
  carton: "carton",
  cartons: "carton",
  case: "case",
  cases: "case",
  bag: "bag",
  bags: "bag",
  tube: "tube",
  tubes: "tube",
  strip: "strip",
  strips: "strip",
  vial: "vial",
  vials: "vial",
};
const EN_UNIT_RE = Object.keys(EN_UNITS)
  .sort((a, b) => b.length - a.length)
  .join("|");
const NUM = `(\\d+|[${CN_NUM_CHARS}]+)`;

/**
 * A count followed by a unit, or a bare count standing alone (space/separator/end after it).
 * A minus on the count after a space (感冒灵 -5盒) is captured so the line is refused, not
 * read as 5; a dash between name and count (感冒灵-5盒, 感冒灵 - 5盒) stays a separator.
 */
const QTY = new RegExp(
  `(?<![A-Za-z0-9.])(?:(?<=^|[\\s,;、:：])([-−]))?(?:[x×*]\\s*)?${NUM}\\s*(?:(${ZH_UNITS})|(${EN_UNIT_RE})\\b|(?=\\s|$|[,;、]))`,
  "gi",
);

const unitOf = (zh: string | undefined, en: string | undefined): string | undefined =>
  zh ?? (en ? EN_UNITS[en.toLowerCase()] : undefined);

/** "24盒" → {quantity: 24, unit: "盒"}; "3 boxes" → unit "box"; "10" → no unit. The whole text must be a count. */
export const parseQuantity = (text: string): Quantity | null => {
  const t = normalize(text);
  const m = new RegExp(`^${NUM}\\s*(?:(${ZH_UNITS})|(${EN_UNIT_RE}))?$`, "i").exec(t);
  if (!m) return null;
  const quantity = parseIntLoose(m[1]);
  if (quantity === null) return null;
  const unit = unitOf(m[2], m[3]);
  return unit ? { quantity, unit } : { quantity };
};

interface QtyHit extends Quantity {
  start: number;
  end: number;
  negative: boolean;
}

const findQuantities = (fragment: string): QtyHit[] =>
  [...fragment.matchAll(QTY)].flatMap((m) => {
    const quantity = parseIntLoose(m[2]);
    // Chinese digits glued to a name (三九感冒灵) are part of the name, not a count.
    if (quantity === null || (!/^\d+$/.test(m[2]) && !m[3] && !m[4])) return [];
    const unit = unitOf(m[3], m[4]);
    const start = m.index ?? 0;
    return [{ quantity, ...(unit ? { unit } : {}), start, end: start + m[0].length, negative: !!m[1] }];
  });

const SEPARATORS = /[,;、\n]/;
const trimJunk = (s: string) => s.replace(/^[\s:：\-–—=]+|[\s:：\-–—=]+$/g, "");

/** The part of a matched line after the store that precedes the product ("大药房 感冒灵 24盒" → "感冒灵 24盒"). */
const ownPart = (matched: string, leading: string) =>
  leading ? matched.slice(matched.indexOf(leading) + leading.length).trim() : matched;

const scanFragment = (
  fragment: string,
  products: ProductCandidate[],
  out: StockLines,
  first: boolean,
): void => {
  // Only the text before the first product of the first fragment can be the store.
  let storeOpen = first && out.lines.length === 0 && out.errors.length === 0;
  const takeLeading = (leading: string) => {
    if (storeOpen && leading) out.leading = trimJunk(leading);
    storeOpen = false;
  };
  const qtys = findQuantities(fragment);
  if (qtys.length === 0) {
    const r = resolveProductIn(fragment, products);
    if (storeOpen && "error" in r && r.error === "unknown_product") out.leading = fragment;
    else if ("error" in r) out.errors.push({ fragment, reason: "no_quantity" });
    else {
      takeLeading(r.leading);
      out.errors.push({ fragment: ownPart(fragment, r.leading), reason: "no_quantity" });
    }
    return;
  }
  let prevEnd = 0;
  for (const q of qtys) {
    const segment = trimJunk(fragment.slice(prevEnd, q.start));
    const matched = fragment.slice(prevEnd, q.end).trim();
    prevEnd = q.end;
    const r = resolveProductIn(segment, products);
    if ("error" in r) {
      storeOpen = false;
      out.errors.push({
        fragment: matched,
        reason: r.error,
        ...(r.candidates ? { candidates: r.candidates } : {}),
      });
      continue;
    }
    takeLeading(r.leading);
    // The store before the product ("大药房 感冒灵 24盒") is not part of the stock line.
    const own = ownPart(matched, r.leading);
    if (q.negative) {
      out.errors.push({ fragment: own, reason: "negative_quantity" });
      continue;
    }
    out.lines.push({
      productId: r.productId,
      quantity: q.quantity,
      ...(q.unit ? { unit: q.unit } : {}),
      matched: own,
    });
  }
};

/** Lines "product quantity", separated by , ， ; ； 、 or newlines (several pairs per fragment allowed). */
export const parseStockLines = (text: string, products: ProductCandidate[]): StockLines => {
  const out: StockLines = { lines: [], errors: [], leading: "" };
  const fragments = normalize(text)
    .split(SEPARATORS)
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  fragments.forEach((f, i) => {
    scanFragment(f, products, out, i === 0);
  });
  return out;
};
