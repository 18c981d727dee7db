import type { Choice } from "../../bot/platform";
import { addDays, localDate } from "../../domain/dates";
import type { CustomerOption, FlowContext, ProductOption, TakeResult } from "../flow";
import { parseWhen } from "../understand/dates";
import { matchCustomers } from "../understand/names";

/** How a customer is shown in chat: name and hospital only, never contact details (§9). */
export const customerLabel = (c: Pick<CustomerOption, "name" | "parentName" | "title">) =>
  [c.name, c.title, c.parentName].filter(Boolean).join(" · ");

/** A product as the user reads it: the English name for English users when there is one. */
export const productLabel = (p: Pick<ProductOption, "name" | "nameEn">, ctx: Pick<FlowContext, "locale">) =>
  ctx.locale === "en" && p.nameEn ? p.nameEn : p.name;

export const customerChoices = (list: CustomerOption[], prefix = "c:"): Choice[] =>
  list.slice(0, 25).map((c) => ({ id: `${prefix}${c.id}`, label: customerLabel(c).slice(0, 75) }));

export interface CustomerSlot {
  customerId?: string;
  customerName?: string;
  customerQuery?: string;
  candidates?: string[];
}

/**
 * Reads a customer answer: a tapped choice, or a name matched among the user's own
 * customers (one match fills the slot; several become a choice; none is an error).
 */
export const takeCustomerAnswer = async <S extends CustomerSlot>(
  reply: { text?: string; choiceId?: string },
  state: S,
  _ctx: FlowContext,
  list: CustomerOption[],
  errorKey: string,
): Promise<TakeResult<S>> => {
  if (reply.choiceId?.startsWith("c:")) {
    const hit = list.find((c) => c.id === reply.choiceId!.slice(2));
    if (!hit) return { ok: false, key: "common.stale_choice" };
    return {
      ok: true,
      state: { ...state, customerId: hit.id, customerName: customerLabel(hit), candidates: undefined },
    };
  }
  const query = reply.text?.trim() ?? "";
  if (!query) return { ok: false, key: "common.empty" };
  return { ok: true, state: resolveCustomer(state, query, list, errorKey) as S };
};

/** Fills the customer slot from a query; several matches become the next question's choices. */
export const resolveCustomer = <S extends CustomerSlot>(
  state: S,
  query: string,
  list: CustomerOption[],
  _errorKey: string,
): S => {
  const matches = matchCustomers(query, list);
  const top = matches.filter((m) => m.score === matches[0]?.score);
  if (top.length === 1) {
    const c = list.find((x) => x.id === top[0].id)!;
    return {
      ...state,
      customerId: c.id,
      customerName: customerLabel(c),
      candidates: undefined,
      customerQuery: query,
    };
  }
  return {
    ...state,
    customerId: undefined,
    customerQuery: query,
    candidates: matches.slice(0, 25).map((m) => m.id),
  };
};

/** The customer question: the candidates as choices when a query matched several. */
export const askCustomer = async (
  state: CustomerSlot,
  ctx: FlowContext,
  list: CustomerOption[],
  askKey: string,
  pickKey: string,
  noneKey: string,
) => {
  if (state.candidates?.length) {
    const options = state.candidates
      .map((id) => list.find((c) => c.id === id))
      .filter((c): c is CustomerOption => !!c);
    return { text: ctx.t(pickKey, { query: state.customerQuery }), choices: customerChoices(options) };
  }
  if (state.customerQuery)
    return { text: `${ctx.t(noneKey, { query: state.customerQuery })}\n${ctx.t(askKey)}` };
  return { text: ctx.t(askKey) };
};

/** Today and yesterday as one-tap choices for date questions. */
export const dayChoices = (ctx: FlowContext): Choice[] => {
  const today = localDate(ctx.now, ctx.timeZone);
  return [
    { id: `d:${today}`, label: ctx.t("visit.today") },
    { id: `d:${addDays(today, -1)}`, label: ctx.t("visit.yesterday") },
  ];
};

export const readDate = (
  reply: { text?: string; choiceId?: string },
  ctx: FlowContext,
  prefer: "past" | "future" = "past",
) => {
  if (reply.choiceId?.startsWith("d:")) return { date: reply.choiceId.slice(2), time: null as string | null };
  const when = reply.text ? parseWhen(reply.text, { now: ctx.now, timeZone: ctx.timeZone, prefer }) : null;
  if (!when) return null;
  const time =
    when.timeKnown && when.hour !== undefined
      ? `${String(when.hour).padStart(2, "0")}:${String(when.minute ?? 0).padStart(2, "0")}`
      : null;
  return { date: when.date, time };
};
