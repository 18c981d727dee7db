import { localDate } from "../../domain/dates";
import type { CommandHandler } from "../engine";
import type { FlowContext } from "../flow";

/** `plan`/`计划`: today's plan, one tap per customer to log the visit. */
export const planCommand: CommandHandler = async (_cmd, ctx) => ({
  replies: await planReplies(ctx, localDate(ctx.now, ctx.timeZone)),
});

export const planReplies = async (ctx: FlowContext, date: string) => {
  const plan = await ctx.services.plans.daily(ctx.user.id, date);
  if (!plan.workingDay) return [{ text: ctx.t("plan.day_off", { date }) }];
  if (plan.items.length === 0) return [{ text: ctx.t("plan.empty", { date }) }];
  const lines = plan.items.map((item, i) =>
    ctx.t("plan.item", {
      n: i + 1,
      slot: ctx.t(`plan.slot.${item.slot}`),
      name: item.name ?? "",
      cls: item.className ?? "-",
      reasons: item.reasons.length
        ? `，${item.reasons.map((r) => ctx.t(`plan.reason.${r}`)).join("、")}`
        : "",
    }),
  );
  const planned = new Map(plan.planned.map((p) => [p.customerId, p.id]));
  return [
    {
      text: [ctx.t("plan.title", { date, count: plan.items.length }), ...lines, ctx.t("plan.log_hint")].join(
        "\n",
      ),
      choices: plan.items.map((item) => ({
        id: `start:visit:${item.customerId}${planned.has(item.customerId) ? `:${planned.get(item.customerId)}` : ""}`,
        label: ctx.t("plan.log", { name: item.name ?? "" }).slice(0, 75),
      })),
    },
  ];
};
