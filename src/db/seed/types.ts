import type {
  budgets,
  consentEvents,
  coverage,
  customers,
  holidays,
  importBatches,
  products,
  purchases,
  segments,
  territories,
  users,
  visitPlans,
  visitProducts,
  visits,
} from "../schema";

export type UserRow = typeof users.$inferInsert;
export type TerritoryRow = typeof territories.$inferInsert;
export type CustomerRow = typeof customers.$inferInsert & { id: string; code: string; ownerId: string };
export type ConsentRow = typeof consentEvents.$inferInsert;
export type ProductRow = typeof products.$inferInsert & { id: string; code: string };
export type SegmentRow = typeof segments.$inferInsert;
export type CoverageRow = typeof coverage.$inferInsert;
export type ImportBatchRow = typeof importBatches.$inferInsert;
export type PurchaseRow = typeof purchases.$inferInsert;
export type VisitRow = typeof visits.$inferInsert & { id: string };
export type VisitProductRow = typeof visitProducts.$inferInsert;
export type VisitPlanRow = typeof visitPlans.$inferInsert;
export type BudgetRow = typeof budgets.$inferInsert;
export type HolidayRow = typeof holidays.$inferInsert;

/** What every generator gets: the world is a pure function of these. */
export interface SeedContext {
  seed: number;
  /** The "today" of the demo world (YYYY-MM-DD in the company zone). */
  refDate: string;
  timeZone: string;
  /** Timestamp for master data rows: about a year before refDate, before any purchase. */
  createdAt: string;
  /** Who entered admin data (flow imports): the existing admin, or the seeded one. */
  adminId: string;
}

/** A rep as the customer generators need it. */
export interface SeedRep {
  id: string;
  name: string;
  city: string;
  areas: string[];
  locale: "zh-CN" | "en";
}

export interface World {
  users: UserRow[];
  territories: TerritoryRow[];
  customers: CustomerRow[];
  consentEvents: ConsentRow[];
  products: ProductRow[];
  segments: SegmentRow[];
  coverage: CoverageRow[];
  importBatches: ImportBatchRow[];
  purchases: PurchaseRow[];
  visitPlans: VisitPlanRow[];
  visits: VisitRow[];
  visitProducts: VisitProductRow[];
  budgets: BudgetRow[];
  holidays: HolidayRow[];
}
