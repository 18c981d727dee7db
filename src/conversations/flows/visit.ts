import { visitMethods, visitPurposes } from "../../domain/visits/visit-rules";
import { defineFlow, type FlowContext, type Step, writerOf } from "../flow";
import { withNotices } from "../flow-runner";
import { takeMethod, takeProducts, takePurposes } from "../understand/extract";
import { mentionsPrescriptionCount } from "../understand/prescriptions";
import { findRating } from "../understand/ratings";
import {
  askCustomer,
  type CustomerSlot,
  dayChoices,
  productLabel,
  readDate,
  takeCustomerAnswer,
} from "./pick";
import { clearCustomer, futureNotice, readLine, toPurpose } from "./visit-line";

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

/** The longest text each free-text field takes: as much as the visit record allows (visitCreate). */
const TEXT_MAX = { notes: 4000, nextStep: 1000 } as const;

const textStep = (key: keyof typeof TEXT_MAX, label: string, ask: string): Step<VisitDraft> => ({
  label,
  optional: true,
  missing: (s) => !s[key],
  show: (s) => (s[key] ? String(s[key]) : null),
  ask: (_s, ctx) => ({ text: ctx.t(ask) }),
  take: (r, s, ctx) => {
    const text = r.text?.trim() ?? "";
    if (!text) return { ok: false, key: "common.empty" };
    // Refused, not trimmed: the rep rewrites it without the figures (DOMAIN.md §9).
    if (mentionsPrescriptionCount(text)) return { ok: false, key: "visit.no_prescription_counts" };
    // Refused, not cut: a silently shortened note loses what the rep wrote last.
    if (text.length > TEXT_MAX[key])
      return {
        ok: false,
        key: "visit.text_too_long",
        params: { field: ctx.t(label), max: TEXT_MAX[key], length: text.length },
      };
    return { ok: true, state: { ...s, [key]: text } };
  },
  clear: (s) => ({ ...s, [key]: undefined }),
});

const when = (s: VisitDraft, ctx: FlowContext) =>
  (s.date ? `${s.date}${s.time ? ` ${s.time}` : ""}` : null) ?? ctx.t("common.none");

const absorb = async (text: string, s: VisitDraft, ctx: FlowContext): Promise<VisitDraft> => {
  const { next, notices } = await readLine(text, s, ctx);
  return withNotices(next, notices);
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
        // A new answer replaces the last question's candidates: a name that matches none of the
        // rep's customers is said so, not met with the old "which 王?" again.
        const fresh = clearCustomer(s);
        // A whole line typed at this step may carry the date and rating too.
        const { next, notices } = await readLine(r.text, fresh, ctx);
        const named = next.customerId || next.candidates?.length || next.customerQuery;
        if (named || JSON.stringify(next) !== JSON.stringify(fresh) || notices.length)
          return { ok: true, state: withNotices(next, notices) };
        return takeCustomerAnswer(r, next, ctx, list, "visit.no_customer");
      },
      clear: clearCustomer,
    },
    when: {
      label: "visit.when",
      missing: (s) => !s.date,
      show: (s, ctx) => when(s, ctx),
      ask: (_s, ctx) => ({ text: ctx.t("visit.ask_when"), choices: dayChoices(ctx) }),
      take: async (r, s, ctx) => {
        // A line typed here may carry more than the date ("今天 评级6 下周二复访", after a plan tap).
        if (r.text) {
          const { next, notices, whenNotice } = await readLine(r.text, s, ctx);
          // A date refused with its reason (later than now, 25点) is asked again with that reason.
          if (next.date || whenNotice) return { ok: true, state: withNotices(next, notices) };
        }
        const d = readDate(r, ctx);
        if (!d) return { ok: false, key: "visit.bad_when", params: { text: r.text ?? "" } };
        const future = futureNotice(d.date, d.time, ctx);
        if (future) return { ok: false, key: future.key, params: future.params };
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
