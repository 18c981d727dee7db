import type { Reply } from "../../bot/platform";
import { localDate } from "../../domain/dates";
import { defineFlow, type FlowContext, type Step, type TakeResult, writerOf } from "../flow";
import { type Notice, withNotices } from "../flow-runner";
import { takeCustomer, takeWhen } from "../understand/extract";
import { parseStockLines, type StockLines } from "../understand/quantities";
import {
  askCustomer,
  type CustomerSlot,
  dayChoices,
  productLabel,
  readDate,
  resolveCustomer,
  takeCustomerAnswer,
} from "./pick";

type StockLine = { productId: string; quantity: number };

export interface StockDraft extends CustomerSlot {
  lines?: StockLine[];
  date?: string;
  /** A date after today typed with the counts: the date is asked again, never replaced by today. */
  futureDate?: string;
}

const stores = async (ctx: FlowContext) =>
  (await ctx.lookups.myCustomers()).filter((c) => c.kind === "pharmacy" || c.kind === "distributor");

const productName = async (ctx: FlowContext, id: string) => {
  const p = (await ctx.lookups.products()).find((x) => x.id === id);
  return p ? productLabel(p, ctx) : id;
};

const today = (ctx: FlowContext) => localDate(ctx.now, ctx.timeZone);

const countsOf = (parsed: StockLines): StockLine[] =>
  parsed.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));

/** Counts typed at the confirm step add to the report: a product named again takes the new count. */
const mergeLines = (before: StockLine[] = [], added: StockLine[]): StockLine[] => [
  ...before.filter((b) => !added.some((a) => a.productId === b.productId)),
  ...added,
];

const errorText = (ctx: FlowContext, errors: StockLines["errors"]) =>
  errors.map((e) => ctx.t(`stock.${e.reason}`, { fragment: e.fragment })).join("；");

/** The parts of the counts that were not read, said before the next question: never dropped silently. */
const leftOut = (parsed: StockLines, ctx: FlowContext): Notice[] =>
  parsed.errors.length
    ? [
        {
          key: parsed.lines.length ? "stock.left_out" : "stock.none_read",
          params: { errors: errorText(ctx, parsed.errors) },
        },
      ]
    : [];

/** A date written with the counts: one after today is refused with its reason and asked again (redate). */
const withDate = (date: string | undefined, s: StockDraft, ctx: FlowContext): StockDraft => {
  if (!date) return { ...s };
  if (date <= today(ctx)) return { ...s, date, futureDate: undefined };
  return withNotices({ ...s, date: undefined, futureDate: date }, [
    { key: "stock.future_date", params: { date } },
  ]);
};

/** "库存 大药房 感冒灵 24盒 维C 10": the store before the first product, then the lines. */
const absorb = async (text: string, s: StockDraft, ctx: FlowContext): Promise<StockDraft> => {
  const w = takeWhen(text, { now: ctx.now, timeZone: ctx.timeZone });
  const parsed = parseStockLines(w.text, await ctx.lookups.products());
  const next = withNotices(withDate(w.value?.date, s, ctx), leftOut(parsed, ctx));
  if (parsed.lines.length) next.lines = mergeLines(s.lines, countsOf(parsed));
  if (next.customerId) return next;
  const list = await stores(ctx);
  // With no count read the store is what names one of the rep's stores ("康美 布洛芬 10"),
  // else the whole line ("库存 康美").
  const storeText = (
    parsed.leading || (parsed.lines.length ? "" : (takeCustomer(w.text, list)?.customerQuery ?? w.text))
  ).trim();
  if (storeText) return resolveCustomer(next, storeText, list, "stock.no_store");
  return next;
};

const linesStep: Step<StockDraft> = {
  label: "stock.lines",
  help: "stock.help",
  missing: (s) => !s.lines?.length,
  show: async (s, ctx) => {
    if (!s.lines?.length) return null;
    const names = await Promise.all(
      s.lines.map(async (l) => `${await productName(ctx, l.productId)} ${l.quantity}`),
    );
    return names.join("，");
  },
  ask: (_s, ctx) => ({ text: ctx.t("stock.ask_lines") }),
  take: async (r, s, ctx): Promise<TakeResult<StockDraft>> => {
    const w = takeWhen(r.text ?? "", { now: ctx.now, timeZone: ctx.timeZone });
    const parsed = parseStockLines(w.text, await ctx.lookups.products());
    if (!parsed.lines.length)
      return parsed.errors.length
        ? { ok: false, key: "stock.none_read", params: { errors: errorText(ctx, parsed.errors) } }
        : { ok: false, key: "stock.no_lines" };
    // What was read is kept; what was not is said before the confirm prompt.
    const state = { ...withDate(w.value?.date, s, ctx), lines: countsOf(parsed) };
    return { ok: true, state: withNotices(state, leftOut(parsed, ctx)) };
  },
  clear: (s) => ({ ...s, lines: undefined }),
};

/** A count is taken on a day already here: a future date is refused with that reason. */
const takeDate = (
  r: { text?: string; choiceId?: string },
  s: StockDraft,
  ctx: FlowContext,
): TakeResult<StockDraft> => {
  const d = readDate(r, ctx);
  if (!d) return { ok: false, key: "stock.bad_date", params: { text: r.text ?? "" } };
  if (d.date > today(ctx)) return { ok: false, key: "stock.future_date", params: { date: d.date } };
  return { ok: true, state: { ...s, date: d.date, futureDate: undefined } };
};

export const stockFlow = defineFlow<StockDraft>({
  id: "stock",
  version: 1,
  title: "flow.stock",
  initial: () => ({}),
  order: ["store", "lines", "redate", "date"],
  absorb,
  steps: {
    store: {
      label: "stock.store",
      help: "stock.help",
      missing: (s) => !s.customerId,
      show: (s) => s.customerName ?? null,
      ask: async (s, ctx) =>
        askCustomer(s, ctx, await stores(ctx), "stock.ask_store", "stock.pick_store", "stock.no_store"),
      take: async (r, s, ctx) => {
        if (r.choiceId || !r.text) return takeCustomerAnswer(r, s, ctx, await stores(ctx), "stock.no_store");
        const absorbed = await absorb(r.text, s, ctx);
        return { ok: true, state: absorbed };
      },
      clear: (s) => ({
        ...s,
        customerId: undefined,
        customerName: undefined,
        candidates: undefined,
        customerQuery: undefined,
      }),
    },
    lines: linesStep,
    // Asked only when a future date came with the counts: the optional date step below is
    // never asked by itself, and today must not stand in for the date the rep wrote.
    // `display` keeps it out of the summary, the edit list and the confirm offers.
    redate: {
      label: "stock.date",
      display: true,
      missing: (s) => !!s.futureDate && !s.date,
      show: () => null,
      ask: (_s, ctx) => ({ text: ctx.t("stock.ask_date"), choices: dayChoices(ctx) }),
      take: takeDate,
      clear: (s) => ({ ...s, futureDate: undefined }),
    },
    date: {
      label: "stock.date",
      optional: true,
      missing: (s) => !s.date,
      show: (s, ctx) => s.date ?? today(ctx),
      ask: (_s, ctx) => ({ text: ctx.t("stock.ask_date"), choices: dayChoices(ctx) }),
      take: takeDate,
      clear: (s) => ({ ...s, date: undefined, futureDate: undefined }),
    },
  },
  complete: async (s, ctx) => {
    const result = await ctx.services.stock.record(
      {
        id: ctx.submissionId,
        repId: ctx.user.id,
        customerId: s.customerId!,
        date: s.date ?? today(ctx),
        lines: s.lines ?? [],
      },
      writerOf(ctx),
    );
    if (!result.ok)
      return {
        ok: false,
        key: result.error.messageKey,
        params: result.error.params ?? undefined,
        step: result.error.field === "date" ? "date" : undefined,
      };
    const replies: Reply[] = [
      { text: ctx.t("stock.saved", { store: s.customerName ?? "", count: s.lines?.length ?? 0 }) },
    ];
    for (const f of result.value.findings) {
      const product = await productName(ctx, f.productId);
      replies.push({
        text: ctx.t(`stock.finding_${f.kind}`, { product, reported: f.reported, expected: f.expected }),
      });
    }
    for (const t of result.value.sellThrough)
      replies.push({
        text: ctx.t("stock.sell_through", { product: await productName(ctx, t.productId), units: t.units }),
      });
    return { ok: true, replies };
  },
});
