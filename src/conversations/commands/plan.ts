import { localDate } from "../../domain/dates";
import type { CommandHandler } from "../engine";
import type { FlowContext } from "../flow";
import { customerLabel } from "../flows/pick";

/** `plan`/`计划`: today's plan, one tap per customer to log the visit. */
export const planCommand: CommandHandler = async (_cmd, ctx) => ({
  replies: await planReplies(ctx, localDate(ctx.now, ctx.timeZone)),
});

interface Line {
  customerId: string;
  name: string;
  slot: "am" | "pm";
  className: string | null;
  reasons: string[];
}

export const planReplies = async (ctx: FlowContext, date: string) => {
  const plan = await ctx.services.plans.daily(ctx.user.id, date);
  if (!plan.workingDay) return [{ text: ctx.t("plan.day_off", { date }) }];
  // Visits the rep booked for today come first, even for customers the computed plan leaves
  // out (a doctor rather than the hospital account): each gets its button with the plan id.
  const suggested = new Set(plan.items.map((i) => i.customerId));
  const booked: Line[] = [];
  for (const p of plan.planned) {
    if (suggested.has(p.customerId) || booked.some((b) => b.customerId === p.customerId)) continue;
    const customer = await ctx.lookups.customer(p.customerId);
    if (customer)
      booked.push({
        customerId: p.customerId,
        name: customerLabel(customer),
        slot: p.slot,
        className: null,
        reasons: ["booked"],
      });
  }
  const items: Line[] = [...booked, ...plan.items.map((i) => ({ ...i, name: i.name ?? "" }))];
  if (items.length === 0) return [{ text: ctx.t("plan.empty", { date }) }];
  const lines = items.map((item, i) =>
    ctx.t("plan.item", {
      n: i + 1,
      slot: ctx.t(`plan.slot.${item.slot}`),
      name: item.name,
      cls: item.className ?? "-",
      reasons: item.reasons.length
        ? `，${item.reasons.map((r) => ctx.t(`plan.reason.${r}`)).join("、")}`
        : "",
    }),
  );
  const planned = new Map(plan.planned.map((p) => [p.customerId, p.id]));
  return [
    {
      text: [ctx.t("plan.title", { date, count: items.length }), ...lines, ctx.t("plan.log_hint")].join("\n"),
      choices: items.map((item) => ({
        id: `start:visit:${item.customerId}${planned.has(item.customerId) ? `:${planned.get(item.customerId)}` : ""}`,
        label: ctx.t("plan.log", { name: item.name.split(" · ")[0] }).slice(0, 75),
      })),
    },
  ];
};
