import type { Logger } from "pino";
import { addDays, localDate } from "../domain/dates";
import type { Services } from "../services";
import { loadWorkingDayCalendar } from "../services/calendar";
import { approvalAction, approvalsListCommand, decideByTextCommand } from "./commands/approvals";
import { customersCommand } from "./commands/customers";
import { bindCommand, skipCommand, skipCustomer } from "./commands/misc";
import { planCommand } from "./commands/plan";
import { type CommandResult, createEngine } from "./engine";
import { type Flow, type FlowContext, writerOf } from "./flow";
import { expenseFlow } from "./flows/expense";
import { customerLabel } from "./flows/pick";
import { rejectFlow } from "./flows/reject";
import { stockFlow } from "./flows/stock";
import { visitFlow } from "./flows/visit";

/** Buttons any message may carry (a plan's "log visit", an approval card, a care preview). */
const actions = async (id: string, ctx: FlowContext): Promise<CommandResult | null> => {
  const start = /^start:(visit|stock|expense)(?::([\w-]+))?(?::([\w-]+))?$/.exec(id);
  if (start) {
    const [, flow, subject, plan] = start;
    if (flow !== "visit" || !subject) return { start: flow };
    const customer = await ctx.lookups.customer(subject);
    if (!customer) return { replies: [{ text: ctx.t("customer.not_found") }] };
    return {
      start: "visit",
      data: {
        customerId: customer.id,
        customerName: customerLabel(customer),
        ...(plan ? { planId: plan, planCustomerId: customer.id } : {}),
      },
    };
  }
  const skip = /^care:skip:([\w-]+):(\d{4}-\d{2}-\d{2})$/.exec(id);
  if (skip) {
    const customer = await ctx.lookups.customer(skip[1]);
    return customer
      ? skipCustomer(ctx, customer.id, skip[2], customer.name)
      : { replies: [{ text: ctx.t("customer.not_found") }] };
  }
  const plan = /^plan:visit:([\w-]+)$/.exec(id);
  if (plan) return planVisit(ctx, plan[1]);
  return approvalAction(id, ctx);
};

/** "Plan a visit" on an alert: a temporary plan on the next working day, morning. */
const planVisit = async (ctx: FlowContext, customerId: string): Promise<CommandResult> => {
  const customer = await ctx.lookups.customer(customerId);
  if (!customer) return { replies: [{ text: ctx.t("customer.not_found") }] };
  const calendar = await loadWorkingDayCalendar(ctx.services);
  let date = addDays(localDate(ctx.now, ctx.timeZone), 1);
  while (!calendar.isWorkingDay(date)) date = addDays(date, 1);
  const r = await ctx.services.plans.create(
    { repId: ctx.user.id, customerId, date, slot: "am", status: "temporary", productIds: [] },
    writerOf(ctx),
  );
  return {
    replies: [
      { text: r.ok ? ctx.t("plan.created", { name: customer.name, date }) : ctx.t(r.error.messageKey) },
    ],
  };
};

/** Every flow, command and global action, wired into one engine the platforms share. */
export const createConversations = (services: Services, log: Logger) =>
  createEngine({
    services,
    log,
    flows: [visitFlow, stockFlow, expenseFlow, rejectFlow] as unknown as Flow<Record<string, unknown>>[],
    commands: {
      plan: planCommand,
      customers: customersCommand,
      approvals: approvalsListCommand,
      approve: decideByTextCommand,
      reject: decideByTextCommand,
      bind: bindCommand,
      skip: skipCommand,
    },
    actions,
  });
