import type { Logger } from "pino";
import type { Services } from "../services";
import { customersCommand } from "./commands/customers";
import { planCommand } from "./commands/plan";
import { createEngine } from "./engine";
import type { Flow } from "./flow";
import { stockFlow } from "./flows/stock";
import { visitFlow } from "./flows/visit";

/** Every flow, command and global action, wired into one engine the platforms share. */
export const createConversations = (services: Services, log: Logger) =>
  createEngine({
    services,
    log,
    flows: [visitFlow, stockFlow] as unknown as Flow<Record<string, unknown>>[],
    commands: { plan: planCommand, customers: customersCommand },
    actions: async (id) => {
      const start = /^start:visit(?::([\w-]+))?(?::([\w-]+))?$/.exec(id);
      if (start)
        return {
          start: "visit",
          data: { ...(start[1] ? { customerId: start[1] } : {}), ...(start[2] ? { planId: start[2] } : {}) },
        };
      return null;
    },
  });
