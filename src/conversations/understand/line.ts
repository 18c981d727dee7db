/**
 * The one-line parser: a whole chat line → intent + slots, so a rep who types
 * "拜访 协和 王主任 昨天 评级6 下周二复访" is not asked again for what they already said.
 * The flows ask for whatever slot is missing; `rest` is what nothing here understood.
 */
import { type Command, detectCommand, type Intent } from "./commands";
import type { When, WhenOptions } from "./dates";
import {
  takeAmount,
  takeCategory,
  takeCustomer,
  takeFollowUp,
  takeInvoice,
  takeMethod,
  takeNextStep,
  takeProducts,
  takePurposes,
  takeRating,
  takeWhen,
} from "./extract";
import type { CustomerCandidate, ProductCandidate } from "./names";
import { normalize } from "./normalize";
import { parseStockLines, type StockLine, type StockLineError } from "./quantities";
import type { ExpenseCategory, VisitMethod } from "./vocab";

export interface UnderstandOptions {
  now: Date;
  timeZone: string;
  customers: CustomerCandidate[];
  products: ProductCandidate[];
  locale?: "zh-CN" | "en";
}

export interface LineSlots {
  customerQuery?: string;
  customerIds?: string[];
  when?: When;
  rating?: number;
  followUpOn?: string;
  nextStep?: string;
  method?: VisitMethod;
  purposes?: string[];
  productIds?: string[];
  amountCny?: number;
  category?: ExpenseCategory;
  expenseKind?: "reimbursement" | "pre_approval";
  invoiceNo?: string;
  description?: string;
  quantityLines?: StockLine[];
  quantityErrors?: StockLineError[];
  bindCode?: string;
  ref?: string;
  reason?: string;
  skipName?: string;
  language?: "en" | "zh-CN";
}

export interface Understood {
  intent: Intent | null;
  slots: LineSlots;
  rest: string;
}

type Filler = (text: string, opts: UnderstandOptions, slots: LineSlots) => string;

const whenOpts = (opts: UnderstandOptions, prefer: "past" | "future", dotted = true): WhenOptions => ({
  now: opts.now,
  timeZone: opts.timeZone,
  prefer,
  dotted,
});

/** Assigns a slot only when found, so absent slots stay absent (not `undefined` keys). */
const set = <K extends keyof LineSlots>(slots: LineSlots, key: K, value: LineSlots[K] | undefined): void => {
  if (value !== undefined) slots[key] = value;
};

const fillCustomer: Filler = (text, opts, slots) => {
  const pick = takeCustomer(text, opts.customers);
  if (!pick) return text;
  slots.customerQuery = pick.customerQuery;
  slots.customerIds = pick.customerIds;
  return pick.rest;
};

const FILLER_WORDS =
  /(?:^|\s)(?:了|和|跟|与|去|见|聊了?|讨论了?|with|about|discussed|re|the|and|by|via|on|at)(?=\s|$)/gi;
/** Drops linking words and punctuation left stranded once the slots are cut out. */
const tidy = (text: string) =>
  text
    .replace(FILLER_WORDS, " ")
    .replace(/(?:^|\s)[,.;:，。；：、!！?？]+(?=\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[,.;:，。；：、\s]+|[,.;:，。；：、\s]+$/g, "");

/** Visits and plans: follow-up first (its date must not become the visit date), then the rest. */
const visitFiller =
  (prefer: "past" | "future"): Filler =>
  (text, opts, slots) => {
    let t = text;
    const steps = [
      () => takeFollowUp(t, whenOpts(opts, "future")),
      () => takeNextStep(t),
      () => takeRating(t),
      () => takeWhen(t, whenOpts(opts, prefer)),
      () => takeMethod(t),
      () => takePurposes(t),
      () => takeProducts(t, opts.products),
    ] as const;
    const keys = ["followUpOn", "nextStep", "rating", "when", "method", "purposes", "productIds"] as const;
    steps.forEach((step, i) => {
      const r = step();
      set(slots, keys[i], r.value as LineSlots[(typeof keys)[number]]);
      t = r.text;
    });
    return tidy(fillCustomer(tidy(t), opts, slots));
  };

const fillExpense: Filler = (text, opts, slots) => {
  const invoice = takeInvoice(text);
  const marked = takeAmount(invoice.text, false);
  // 11.25 is a date only when the amount is already marked (¥, 元…); else it may be the amount.
  const when = takeWhen(marked.text, whenOpts(opts, "past", marked.value !== undefined));
  const category = takeCategory(when.text);
  const amount =
    marked.value !== undefined
      ? { value: marked.value, text: category.text }
      : takeAmount(category.text, true);
  // With the amount known, a dotted 11.20 left over is the date after all.
  const late =
    when.value === undefined
      ? takeWhen(amount.text, whenOpts(opts, "past"))
      : { value: undefined, text: amount.text };
  set(slots, "invoiceNo", invoice.value);
  set(slots, "when", when.value ?? late.value);
  set(slots, "category", category.value);
  set(slots, "amountCny", amount.value);
  const rest = tidy(late.text);
  if (rest) slots.description = rest;
  return rest;
};

const fillStock: Filler = (text, opts, slots) => {
  const when = takeWhen(text, whenOpts(opts, "past", false));
  set(slots, "when", when.value);
  const stock = parseStockLines(when.text, opts.products);
  slots.quantityLines = stock.lines;
  if (stock.errors.length > 0) slots.quantityErrors = stock.errors;
  if (stock.lines.length > 0) slots.productIds = [...new Set(stock.lines.map((l) => l.productId))];
  const rest = stock.leading ? fillCustomer(stock.leading, opts, slots) : "";
  return rest;
};

const FILLERS: Partial<Record<Intent, Filler>> = {
  visit: visitFiller("past"),
  plan: visitFiller("future"),
  expense: fillExpense,
  stock: fillStock,
  customers: fillCustomer,
};

const fromCommand = (cmd: Command, opts: UnderstandOptions): Understood => {
  const slots: LineSlots = {};
  set(slots, "expenseKind", cmd.expenseKind);
  set(slots, "ref", cmd.ref);
  set(slots, "reason", cmd.reason);
  set(slots, "bindCode", cmd.bindCode);
  set(slots, "language", cmd.language);
  if (cmd.intent === "skip" && cmd.args) {
    slots.skipName = cmd.args;
    const pick = takeCustomer(cmd.args, opts.customers);
    if (pick) slots.customerIds = pick.customerIds;
    return { intent: "skip", slots, rest: "" };
  }
  const filler = FILLERS[cmd.intent];
  const rest = filler && cmd.args ? filler(cmd.args, opts, slots) : cmd.args;
  if (cmd.intent === "customers" && cmd.args && !slots.customerQuery) slots.customerQuery = cmd.args;
  return { intent: cmd.intent, slots, rest };
};

/** One chat line → intent and slots (zh-CN and en). Without a command word the intent is null
 * and the line is read like a visit (an answer inside a running flow: "昨天 评级6"). */
export const understandLine = (text: string, opts: UnderstandOptions): Understood => {
  const line = normalize(text);
  const cmd = detectCommand(line);
  if (cmd) return fromCommand(cmd, opts);
  const slots: LineSlots = {};
  const rest = visitFiller("past")(line, opts, slots);
  return { intent: null, slots, rest };
};
