import type { Reply } from "../../bot/platform";
import { localDate } from "../../domain/dates";
import { defineFlow, type FlowContext, writerOf } from "../flow";
import { takeWhen } from "../understand/extract";
import { parseStockLines } from "../understand/quantities";
import {
  askCustomer,
  type CustomerSlot,
  dayChoices,
  productLabel,
  readDate,
  resolveCustomer,
  takeCustomerAnswer,
} from "./pick";

export interface StockDraft extends CustomerSlot {
  lines?: { productId: string; quantity: number }[];
  date?: string;
  lineErrors?: string[];
}

const stores = async (ctx: FlowContext) =>
  (await ctx.lookups.myCustomers()).filter((c) => c.kind === "pharmacy" || c.kind === "distributor");

const productName = async (ctx: FlowContext, id: string) => {
  const p = (await ctx.lookups.products()).find((x) => x.id === id);
  return p ? productLabel(p, ctx) : id;
};

/** "库存 大药房 感冒灵 24盒 维C 10": the store before the first product, then the lines. */
const absorb = async (text: string, s: StockDraft, ctx: FlowContext): Promise<StockDraft> => {
  const w = takeWhen(text, { now: ctx.now, timeZone: ctx.timeZone });
  const next: StockDraft = {
    ...s,
    ...(w.value && w.value.date <= localDate(ctx.now, ctx.timeZone) ? { date: w.value.date } : {}),
  };
  const parsed = parseStockLines(w.text, await ctx.lookups.products());
  if (parsed.lines.length)
    next.lines = parsed.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
  const storeText = parsed.lines.length ? parsed.leading : w.text;
  if (!next.customerId && storeText.trim())
    return resolveCustomer(next, storeText.trim(), await stores(ctx), "stock.no_store");
  return next;
};

const errorText = (ctx: FlowContext, errors: { fragment: string; reason: string }[]) =>
  errors.map((e) => ctx.t(`stock.${e.reason}`, { fragment: e.fragment })).join("；");

export const stockFlow = defineFlow<StockDraft>({
  id: "stock",
  version: 1,
  title: "flow.stock",
  initial: () => ({}),
  order: ["store", "lines", "date"],
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
    lines: {
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
      take: async (r, s, ctx) => {
        const parsed = parseStockLines(r.text ?? "", await ctx.lookups.products());
        if (!parsed.lines.length)
          return {
            ok: false,
            key: parsed.errors.length ? "stock.bad_lines" : "stock.no_lines",
            params: { errors: errorText(ctx, parsed.errors) },
          };
        // Unreadable fragments are reported at the confirm step; what was read is kept.
        return {
          ok: true,
          state: {
            ...s,
            lines: parsed.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
            lineErrors: parsed.errors.map((e) => ctx.t(`stock.${e.reason}`, { fragment: e.fragment })),
          },
        };
      },
      clear: (s) => ({ ...s, lines: undefined, lineErrors: undefined }),
    },
    date: {
      label: "stock.date",
      optional: true,
      missing: (s) => !s.date,
      show: (s, ctx) => s.date ?? localDate(ctx.now, ctx.timeZone),
      ask: (_s, ctx) => ({ text: ctx.t("stock.ask_date"), choices: dayChoices(ctx) }),
      take: (r, s, ctx) => {
        const d = readDate(r, ctx);
        return d && d.date <= localDate(ctx.now, ctx.timeZone)
          ? { ok: true, state: { ...s, date: d.date } }
          : { ok: false, key: "visit.bad_when", params: { text: r.text ?? "" } };
      },
      clear: (s) => ({ ...s, date: undefined }),
    },
  },
  complete: async (s, ctx) => {
    const result = await ctx.services.stock.record(
      {
        id: ctx.submissionId,
        repId: ctx.user.id,
        customerId: s.customerId!,
        date: s.date ?? localDate(ctx.now, ctx.timeZone),
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
