import { localDate } from "../../domain/dates";
import { visitMethods, visitPurposes } from "../../domain/visits/visit-rules";
import { defineFlow, type FlowContext, type Step, writerOf } from "../flow";
import {
  takeCustomer,
  takeFollowUp,
  takeMethod,
  takeNextStep,
  takeProducts,
  takePurposes,
  takeRating,
  takeWhen,
} from "../understand/extract";
import { findRating } from "../understand/ratings";
import {
  askCustomer,
  type CustomerSlot,
  dayChoices,
  productLabel,
  readDate,
  resolveCustomer,
  takeCustomerAnswer,
} from "./pick";

export interface VisitDraft extends CustomerSlot {
  date?: string;
  time?: string | null;
  rating?: number;
  method?: string;
  purposes?: string[];
  productIds?: string[];
  notes?: string;
  nextStep?: string;
  followUpOn?: string;
  planId?: string;
  /** The customer the plan is for: a rep who changes the customer is no longer logging that plan. */
  planCustomerId?: string;
}

/** The understanding vocabulary says "competitor"/"trial"; the record keeps the domain's names. */
const PURPOSE_ALIAS: Record<string, string> = { competitor: "competitor_intel", trial: "trial_tracking" };
const toPurpose = (p: string) => PURPOSE_ALIAS[p] ?? p;

const textStep = (key: keyof VisitDraft, label: string, ask: string): Step<VisitDraft> => ({
  label,
  optional: true,
  missing: (s) => !s[key],
  show: (s) => (s[key] ? String(s[key]) : null),
  ask: (_s, ctx) => ({ text: ctx.t(ask) }),
  take: (r, s) =>
    r.text?.trim()
      ? { ok: true, state: { ...s, [key]: r.text.trim().slice(0, 1000) } }
      : { ok: false, key: "common.empty" },
  clear: (s) => ({ ...s, [key]: undefined }),
});

const when = (s: VisitDraft, ctx: FlowContext) =>
  (s.date ? `${s.date}${s.time ? ` ${s.time}` : ""}` : null) ?? ctx.t("common.none");

/** Everything a free-text line gives: `拜访 协和 王主任 昨天 评级6 下周二复访`. */
const absorb = async (text: string, s: VisitDraft, ctx: FlowContext): Promise<VisitDraft> => {
  const opts = { now: ctx.now, timeZone: ctx.timeZone };
  const products = await ctx.lookups.products();
  let rest = text;
  const next: VisitDraft = { ...s };
  const f = takeFollowUp(rest, opts);
  rest = f.text;
  if (f.value) next.followUpOn = f.value;
  const w = takeWhen(rest, opts);
  rest = w.text;
  if (w.value && w.value.date <= localDate(ctx.now, ctx.timeZone)) {
    next.date = w.value.date;
    next.time =
      w.value.timeKnown && w.value.hour !== undefined
        ? `${String(w.value.hour).padStart(2, "0")}:${String(w.value.minute ?? 0).padStart(2, "0")}`
        : null;
  }
  for (const take of [takeRating, takeNextStep, takeMethod, takePurposes] as const) {
    const r = take(rest) as { value: unknown; text: string };
    rest = r.text;
    if (r.value === undefined) continue;
    if (take === takeRating) next.rating = r.value as number;
    if (take === takeNextStep) next.nextStep = r.value as string;
    if (take === takeMethod) next.method = r.value as string;
    if (take === takePurposes) next.purposes = [...new Set((r.value as string[]).map(toPurpose))];
  }
  const p = takeProducts(rest, products);
  rest = p.text;
  if (p.value) next.productIds = p.value;
  if (!next.customerId && rest.trim()) {
    const pick = takeCustomer(rest, await ctx.lookups.myCustomers());
    if (pick)
      return resolveCustomer(next, pick.customerQuery, await ctx.lookups.myCustomers(), "visit.no_customer");
  }
  return next;
};

export const visitFlow = defineFlow<VisitDraft>({
  id: "visit",
  version: 1,
  title: "flow.visit",
  initial: () => ({}),
  order: ["customer", "when", "rating", "method", "purposes", "products", "notes", "nextStep", "followUpOn"],
  absorb,
  steps: {
    customer: {
      label: "visit.customer",
      help: "visit.help",
      missing: (s) => !s.customerId,
      show: (s) => s.customerName ?? null,
      ask: async (s, ctx) =>
        askCustomer(
          s,
          ctx,
          await ctx.lookups.myCustomers(),
          "visit.ask_customer",
          "visit.pick_customer",
          "visit.no_customer",
        ),
      take: async (r, s, ctx) => {
        const list = await ctx.lookups.myCustomers();
        if (r.choiceId || !r.text) return takeCustomerAnswer(r, s, ctx, list, "visit.no_customer");
        // A whole line typed at this step may carry the date and rating too.
        const absorbed = await absorb(r.text, s, ctx);
        if (absorbed.customerId || absorbed.candidates?.length) return { ok: true, state: absorbed };
        return takeCustomerAnswer(r, absorbed, ctx, list, "visit.no_customer");
      },
      clear: (s) => ({
        ...s,
        customerId: undefined,
        customerName: undefined,
        candidates: undefined,
        customerQuery: undefined,
      }),
    },
    when: {
      label: "visit.when",
      missing: (s) => !s.date,
      show: (s, ctx) => when(s, ctx),
      ask: (_s, ctx) => ({ text: ctx.t("visit.ask_when"), choices: dayChoices(ctx) }),
      take: async (r, s, ctx) => {
        // A line typed here may carry more than the date ("今天 评级6 下周二复访", after a plan tap).
        const absorbed = r.text ? await absorb(r.text, s, ctx) : s;
        if (absorbed.date) return { ok: true, state: absorbed };
        const d = readDate(r, ctx);
        if (!d) return { ok: false, key: "visit.bad_when", params: { text: r.text ?? "" } };
        if (d.date > localDate(ctx.now, ctx.timeZone)) return { ok: false, key: "visit.future_when" };
        return { ok: true, state: { ...s, date: d.date, time: d.time } };
      },
      clear: (s) => ({ ...s, date: undefined, time: undefined }),
    },
    rating: {
      label: "visit.rating",
      missing: (s) => !s.rating,
      show: (s, ctx) => (s.rating ? ctx.t(`rating.${s.rating}`) : null),
      ask: (_s, ctx) => ({
        text: ctx.t("visit.ask_rating"),
        // Ascending, so a typed "6" is rating 6 whether read as the value or the choice number.
        choices: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ id: `r:${n}`, label: ctx.t(`rating.${n}`) })),
      }),
      take: (r, s) => {
        const n = r.choiceId?.startsWith("r:") ? Number(r.choiceId.slice(2)) : ratingOf(r.text);
        return n && n >= 1 && n <= 7
          ? { ok: true, state: { ...s, rating: n } }
          : { ok: false, key: "visit.bad_rating" };
      },
      clear: (s) => ({ ...s, rating: undefined }),
    },
    method: {
      label: "visit.method",
      optional: true,
      missing: (s) => !s.method,
      show: (s, ctx) => ctx.t(`method.${s.method ?? "in_person"}`),
      ask: (_s, ctx) => ({
        text: ctx.t("visit.ask_method"),
        choices: visitMethods.map((m) => ({ id: `m:${m}`, label: ctx.t(`method.${m}`) })),
      }),
      take: (r, s) => {
        const m = r.choiceId?.startsWith("m:")
          ? r.choiceId.slice(2)
          : r.text
            ? takeMethod(r.text).value
            : undefined;
        return m
          ? { ok: true, state: { ...s, method: m } }
          : { ok: false, key: "common.not_understood", params: { hint: "" } };
      },
      clear: (s) => ({ ...s, method: undefined }),
    },
    purposes: {
      label: "visit.purposes",
      optional: true,
      missing: (s) => !s.purposes?.length,
      show: (s, ctx) => (s.purposes?.length ? s.purposes.map((p) => ctx.t(`purpose.${p}`)).join("、") : null),
      ask: (_s, ctx) => ({
        text: ctx.t("visit.ask_purposes"),
        choices: visitPurposes.map((p) => ({ id: `p:${p}`, label: ctx.t(`purpose.${p}`) })),
      }),
      take: (r, s) => {
        const picked = r.choiceId?.startsWith("p:")
          ? [r.choiceId.slice(2)]
          : r.text
            ? (takePurposes(r.text).value ?? []).map(toPurpose)
            : [];
        return picked.length
          ? { ok: true, state: { ...s, purposes: picked } }
          : { ok: false, key: "common.not_understood", params: { hint: "" } };
      },
      clear: (s) => ({ ...s, purposes: undefined }),
    },
    products: {
      label: "visit.products",
      optional: true,
      missing: (s) => !s.productIds?.length,
      show: async (s, ctx) => {
        if (!s.productIds?.length) return null;
        const all = await ctx.lookups.products();
        return s.productIds
          .map((id) => {
            const p = all.find((x) => x.id === id);
            return p ? productLabel(p, ctx) : id;
          })
          .join("、");
      },
      ask: async (_s, ctx) => ({
        text: ctx.t("visit.ask_products"),
        choices: (await ctx.lookups.products())
          .slice(0, 25)
          .map((p) => ({ id: `pr:${p.id}`, label: productLabel(p, ctx) })),
      }),
      take: async (r, s, ctx) => {
        const all = await ctx.lookups.products();
        const ids = r.choiceId?.startsWith("pr:")
          ? [r.choiceId.slice(3)].filter((id) => all.some((p) => p.id === id))
          : r.text
            ? (takeProducts(r.text, all).value ?? [])
            : [];
        return ids.length
          ? { ok: true, state: { ...s, productIds: ids } }
          : { ok: false, key: "visit.bad_products", params: { text: r.text ?? "" } };
      },
      clear: (s) => ({ ...s, productIds: undefined }),
    },
    notes: textStep("notes", "visit.notes", "visit.ask_notes"),
    nextStep: textStep("nextStep", "visit.next_step", "visit.ask_next_step"),
    followUpOn: {
      label: "visit.follow_up",
      optional: true,
      missing: (s) => !s.followUpOn,
      show: (s) => s.followUpOn ?? null,
      ask: (_s, ctx) => ({ text: ctx.t("visit.ask_follow_up") }),
      take: (r, s, ctx) => {
        const d = readDate(r, ctx, "future");
        if (!d) return { ok: false, key: "visit.bad_when", params: { text: r.text ?? "" } };
        if (s.date && d.date < s.date) return { ok: false, key: "visit.bad_follow_up" };
        return { ok: true, state: { ...s, followUpOn: d.date } };
      },
      clear: (s) => ({ ...s, followUpOn: undefined }),
    },
  },
  complete: async (s, ctx) => {
    const planned = s.planId && (s.planCustomerId ?? s.customerId) === s.customerId ? s.planId : null;
    const record = (planId: string | null) =>
      ctx.services.visits.record(
        {
          id: ctx.submissionId,
          repId: ctx.user.id,
          customerId: s.customerId!,
          date: s.date!,
          time: s.time ?? null,
          method: (s.method ?? "in_person") as "in_person",
          purposes: (s.purposes ?? []) as ["follow_up"],
          productIds: s.productIds ?? [],
          rating: s.rating!,
          notes: s.notes ?? null,
          nextStep: s.nextStep ?? null,
          followUpOn: s.followUpOn ?? null,
          planId,
        },
        writerOf(ctx),
        ctx.timeZone,
        // Written with the session that moves on: one transaction for the confirm.
        { defer: ctx.defer },
      );
    let result = await record(planned);
    // The plan was closed or removed meanwhile (its button tapped twice, voided by a manager):
    // the visit still happened, so it is saved on its own rather than stuck at confirm.
    if (!result.ok && planned && result.error.field === "planId") result = await record(null);
    if (!result.ok)
      return {
        ok: false,
        key: result.error.messageKey,
        params: result.error.params ?? undefined,
        step: stepOfField(result.error.field),
      };
    const replies = [
      {
        text: ctx.t("visit.saved", { customer: s.customerName ?? "", when: when(s, ctx), rating: s.rating }),
      },
    ];
    if (s.followUpOn) replies.push({ text: ctx.t("visit.saved_follow_up", { date: s.followUpOn }) });
    return { ok: true, replies };
  },
});

const ratingOf = (text: string | undefined) => {
  if (!text) return undefined;
  const t = text.trim();
  if (/^[1-7]$/.test(t)) return Number(t);
  const r = findRating(t);
  return r && "rating" in r ? r.rating : undefined;
};

const stepOfField = (field: string | undefined) =>
  ({
    customerId: "customer",
    date: "when",
    rating: "rating",
    followUpOn: "followUpOn",
    productIds: "products",
    planId: undefined,
  })[field ?? ""] ?? undefined;
