import { addDays, localDate } from "../../domain/dates";
import type { CommandHandler } from "../engine";
import { writerOf } from "../flow";
import { matchCustomers } from "../understand/names";

/** `bind <code>` from someone already known: the platform adapter links strangers before this. */
export const bindCommand: CommandHandler = async (_cmd, ctx) => ({
  replies: [{ text: ctx.t("bind.already") }],
});

/** `不发 王主任` / `skip Dr. Wang`: no care greeting to that customer tomorrow. */
export const skipCommand: CommandHandler = async (cmd, ctx) => {
  const query = cmd.args.trim();
  if (!query) return { replies: [{ text: ctx.t("skip.ask") }] };
  const tomorrow = addDays(localDate(ctx.now, ctx.timeZone), 1);
  const mine = await ctx.lookups.myCustomers();
  const [best] = matchCustomers(query, mine);
  if (!best) return { replies: [{ text: ctx.t("skip.none", { name: query }) }] };
  return skipCustomer(ctx, best.id, tomorrow, mine.find((c) => c.id === best.id)?.name ?? query);
};

export const skipCustomer = async (
  ctx: Parameters<CommandHandler>[1],
  customerId: string,
  date: string,
  name: string,
) => {
  const r = await ctx.services.care.skip(customerId, date, ctx.user.id, writerOf(ctx));
  return { replies: [{ text: r.ok ? ctx.t("skip.ok", { name }) : ctx.t(r.error.messageKey, { name }) }] };
};
