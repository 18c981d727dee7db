/**
 * A care text names no product, price or benefit (DOMAIN.md §7: drug-advertising and
 * anti-inducement rules). The care job runs this on every greeting it is about to queue.
 */

/** Prices, written lower case: they run on the normalized (NFKC, lower-cased) text. */
const PRICE_PATTERNS: readonly RegExp[] = [
  /[¥￥]\s*\d/,
  // 元旦 / 元宵 follow dates ("正月15元宵节"), they are not prices.
  /\d\s*(?:元(?![旦宵])|块钱|块|万元)/,
  /\d\s*(?:cny|rmb)\b/,
  /\b(?:cny|rmb)\s*\d/,
];

/** Benefit and inducement words (anti-inducement rules): money, gifts, discounts, kickbacks. */
const INDUCEMENT_WORDS: readonly string[] = [
  "红包",
  "优惠",
  "折扣",
  "打折",
  "返利",
  "返现",
  "回扣",
  "佣金",
  "礼品",
  "礼物",
  "礼包",
  "礼券",
  "赠送",
  "赠品",
  "免费",
  "现金",
  "购物卡",
  "代金券",
  "积分",
  "抽奖",
  "奖品",
  "福利",
  "补贴",
  "discount",
  "rebate",
  "gift",
  "coupon",
  "voucher",
  "cash",
  "commission",
  "prize",
  "free sample",
  "free trial",
  "reward",
  "kickback",
  "bonus",
];

export interface ProductTerms {
  /** Names, English names and aliases: matched anywhere, even inside a longer word (strict). */
  names: readonly string[];
  /**
   * Catalogue codes (GML, VC): matched as whole words only, since a short code inside an
   * ordinary word or a customer's name ("VC" in "vCard") names no product.
   */
  codes?: readonly string[];
}

const normalize = (s: string) => s.normalize("NFKC").toLowerCase();
const distinct = (values: readonly string[]) => [
  ...new Set(values.map((v) => normalize(v).trim()).filter((v) => v.length > 0)),
];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The check against one catalogue, built once: a job checks thousands of greetings against
 * the same products, so every term and pattern is compiled into one expression here and each
 * text is read once (a loop of `includes` per term cost several times more).
 * Deliberately strict: a false alarm costs one greeting, a product named costs a breach.
 */
export const productFreeCheck = (terms: ProductTerms): ((text: string) => boolean) => {
  const words = distinct([...terms.names, ...INDUCEMENT_WORDS]).map(escapeRegExp);
  const codes = distinct(terms.codes ?? []).map(escapeRegExp);
  const forbidden = new RegExp(
    [
      ...words,
      // Only ASCII letters and digits join a code to a word: "GML颗粒" still names GML.
      ...(codes.length > 0 ? [`(?<![a-z0-9])(?:${codes.join("|")})(?![a-z0-9])`] : []),
      ...PRICE_PATTERNS.map((re) => re.source),
    ].join("|"),
  );
  return (text) => !forbidden.test(normalize(text));
};

/** True when a care text names none of these products, no price and no inducement. */
export const isProductFree = (text: string, productNames: readonly string[]): boolean =>
  productFreeCheck({ names: productNames })(text);
