import type { Config } from "../config";
import type { Database } from "../db/client";
import { createSettingsStore, type SettingsStore } from "../db/repos/settings";
import { createEventBus, type EventBus } from "../lib/events";
import { type ApprovalService, createApprovalService } from "./approvals";
import { type BudgetService, createBudgetService } from "./budgets";
import { type CareService, createCareService } from "./care";
import { type ChurnService, createChurnService } from "./churn";
import type { ServiceContext } from "./context";
import { createExpenseService, type ExpenseService } from "./expenses";
import { createIdentityService, type IdentityService } from "./identity";
import { createOwnershipService, type OwnershipService } from "./ownership";
import { createPlanService, type PlanService } from "./plans";
import { createPrivacyService, type PrivacyService } from "./privacy";
import { createReceiptService, type ReceiptService } from "./receipts";
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
  identity: IdentityService;
  expenses: ExpenseService;
  approvals: ApprovalService;
  receipts: ReceiptService;
  budgets: BudgetService;
  churn: ChurnService;
  care: CareService;
  privacy: PrivacyService;
}

export interface ServiceOptions {
  now?: () => Date;
  events?: EventBus;
  appSecret?: string;
}

export const createServices = (database: Database, config: Config, opts: ServiceOptions = {}): Services => {
  const platforms = new Set<"slack" | "wecom">();
  if (config.slack.botToken) platforms.add("slack");
  if (config.wechaty.puppet) platforms.add("wecom");
  const ctx: ServiceContext = {
    database,
    settings: createSettingsStore(database),
    timeZone: config.timeZone,
    now: opts.now ?? (() => new Date()),
    events: opts.events ?? createEventBus(),
    chatPlatforms: platforms,
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    appSecret: opts.appSecret ?? config.appSecret ?? "development-secret-not-for-production",
  };
  return {
    ...ctx,
    settings: ctx.settings,
    stock: createStockService(ctx),
    visits: createVisitService(ctx),
    plans: createPlanService(ctx),
    ownership: createOwnershipService(ctx),
    identity: createIdentityService(ctx),
    expenses: createExpenseService(ctx),
    approvals: createApprovalService(ctx),
    receipts: createReceiptService(ctx),
    budgets: createBudgetService(ctx),
    churn: createChurnService(ctx),
    care: createCareService(ctx),
    privacy: createPrivacyService(ctx),
  };
};
