export { type AmountError, type AmountHit, findAmount, parseAmount } from "./amounts";
export { parseChineseNumeral } from "./chinese-numerals";
export { type Command, detectCommand, type Intent } from "./commands";
export {
  type DateHit,
  type FollowUp,
  findDates,
  findFollowUp,
  findWhen,
  parseFollowUp,
  parseWhen,
  type When,
  type WhenOptions,
} from "./dates";
export { type LineSlots, type UnderstandOptions, type Understood, understandLine } from "./line";
export {
  type CustomerCandidate,
  type Match,
  matchCustomers,
  matchProducts,
  type ProductCandidate,
} from "./names";
export { normalize, toHalfWidth } from "./normalize";
export {
  parseQuantity,
  parseStockLines,
  type Quantity,
  type StockLine,
  type StockLineError,
  type StockLines,
} from "./quantities";
export { findRating, parseRating, type RatingError, type RatingHit } from "./ratings";
export { findTime, type TimeHit } from "./times";
export type { ExpenseCategory, VisitMethod } from "./vocab";
