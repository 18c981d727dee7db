/**
 * CNY amounts. Money travels as a JSON number with at most 2 decimals (CONTRACT.md);
 * sums and comparisons go through integer fen (分) so that 0.1 + 0.2 never decides
 * whether a request is over budget.
 */

/** Tolerance for binary float noise: 1200.1 * 100 is 120009.99999999999. */
const FEN_EPSILON = 1e-6;

/**
 * A valid amount is finite, has at most 2 decimals and fits exactly in fen.
 * Negative amounts are only valid when asked for (returns, adjustments).
 */
export const isValidCny = (n: number, opts: { allowNegative?: boolean } = {}): boolean => {
  // Checked at run time too: amounts also arrive from CSV imports and chat parsing.
  if (typeof n !== "number" || !Number.isFinite(n)) return false;
  if (n < 0 && !opts.allowNegative) return false;
  const scaled = n * 100;
  const fen = Math.round(scaled);
  // Float error grows with magnitude; beyond ~1e9 fen the fixed epsilon alone would be too strict.
  const tolerance = Math.max(FEN_EPSILON, Math.abs(scaled) * Number.EPSILON * 4);
  return Number.isSafeInteger(fen) && Math.abs(fen - scaled) < tolerance;
};

/** Integer fen (cents) of an amount; rounds away float noise. */
export const toFen = (cny: number): number => Math.round(cny * 100);

export const fromFen = (fen: number): number => fen / 100;

/** Sum of amounts, exact to the fen. */
export const sumCny = (amounts: readonly number[]): number =>
  fromFen(amounts.reduce((acc, a) => acc + toFen(a), 0));

/** "¥1,234.50" — always 2 decimals; the locale decides grouping. */
export const formatCny = (n: number, locale = "zh-CN"): string => {
  const abs = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    useGrouping: true,
  }).format(Math.abs(fromFen(toFen(n))));
  return `${n < 0 && toFen(n) !== 0 ? "-" : ""}¥${abs}`;
};
