import type { Config } from "../config";
import type { Database } from "../db/client";
import { createSettingsStore, type SettingsStore } from "../db/repos/settings";
import type { ServiceContext } from "./context";
import { createOwnershipService, type OwnershipService } from "./ownership";
import { createPlanService, type PlanService } from "./plans";
import { createStockService, type StockService } from "./stock";
import { createVisitService, type VisitService } from "./visits";

/**
 * The use cases the surfaces (API, chat, scheduler) share, wired to the database.
 * Surfaces never reach around them to the tables for business rules.
 */
export interface Services extends ServiceContext {
  settings: SettingsStore;
  stock: StockService;
  visits: VisitService;
  plans: PlanService;
  ownership: OwnershipService;
}

export const createServices = (
  database: Database,
  config: Config,
  now: () => Date = () => new Date(),
): Services => {
  const ctx: ServiceContext = {
    database,
    settings: createSettingsStore(database),
    timeZone: config.timeZone,
    now,
  };
  return {
    ...ctx,
    settings: ctx.settings,
    stock: createStockService(ctx),
    visits: createVisitService(ctx),
    plans: createPlanService(ctx),
    ownership: createOwnershipService(ctx),
  };
};
