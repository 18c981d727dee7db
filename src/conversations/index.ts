import type { Logger } from "pino";
import type { Services } from "../services";
import { approvalAction, approvalsListCommand, decideByTextCommand } from "./commands/approvals";
import { customersCommand } from "./commands/customers";
import { bindCommand, skipCommand, skipCustomer } from "./commands/misc";
import { planCommand } from "./commands/plan";
import { type CommandResult, createEngine } from "./engine";
import type { Flow, FlowContext } from "./flow";
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
        ...(plan ? { planId: plan } : {}),
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
  return approvalAction(id, ctx);
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
