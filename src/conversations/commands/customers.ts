import type { CommandHandler } from "../engine";
import { customerLabel } from "../flows/pick";
import { matchCustomers } from "../understand/names";

/** `customers 王` / `客户 协和`: the rep's own customers by fuzzy name, name and hospital only. */
export const customersCommand: CommandHandler = async (cmd, ctx) => {
  const mine = await ctx.lookups.myCustomers();
  const query = cmd.args.trim();
  if (!query) return { replies: [{ text: ctx.t("customers.all", { count: mine.length }) }] };
  const hits = matchCustomers(query, mine)
    .slice(0, 10)
    .map((m) => mine.find((c) => c.id === m.id)!);
  if (!hits.length) return { replies: [{ text: ctx.t("customers.none", { query }) }] };
  return {
    replies: [
      {
        text: [
          ctx.t("customers.title", { count: hits.length }),
          ...hits.map((c, i) => `${i + 1}. ${customerLabel(c)}`),
        ].join("\n"),
        choices: hits.map((c) => ({
          id: `start:visit:${c.id}`,
          label: ctx.t("plan.log", { name: c.name }).slice(0, 75),
        })),
      },
    ],
  };
};
