import { addDays } from "../../domain/dates";
import { buildBudgets, buildHolidays } from "./calendar";
import { buildCoverage, buildProducts, buildSegments } from "./catalog";
import { buildHospitals } from "./hospitals";
import { buildTerritories, buildUsers, seedReps } from "./org";
import { buildPurchases } from "./purchases";
import { buildRetail } from "./retail";
import { localInstant } from "./time";
import type { SeedContext, World } from "./types";
import { buildVisits } from "./visits";

export interface WorldOptions {
  seed: number;
  refDate: string;
  timeZone: string;
  adminId: string;
  /** False when the database already has an admin: never create a second one. */
  withAdmin: boolean;
}

/** The whole demo world as rows: a pure function of its options (no clock, no I/O). */
export const buildWorld = (o: WorldOptions): World & { quietBuyerIds: string[] } => {
  const ctx: SeedContext = {
    seed: o.seed,
    refDate: o.refDate,
    timeZone: o.timeZone,
    adminId: o.adminId,
    createdAt: localInstant(addDays(o.refDate, -400), 9, 0, o.timeZone),
  };
  const users = buildUsers(ctx, o.withAdmin);
  const managerOf = (repId: string) => users.find((u) => u.id === repId)?.managerId ?? null;
  const hospitals = buildHospitals(ctx);
  const retail = buildRetail(ctx);
  const products = buildProducts(ctx);
  const segments = buildSegments(ctx, hospitals.doctors);
  const buyers = [...hospitals.hospitals, ...retail.pharmacies];
  const coverage = buildCoverage(ctx, buyers);
  const flow = buildPurchases(ctx, buyers, retail.distributors, coverage);
  const holidays = buildHolidays(ctx);
  const customers = [...hospitals.customers, ...retail.pharmacies, ...retail.distributors];
  const fieldwork = buildVisits(ctx, seedReps, managerOf, customers, segments, holidays);
  return {
    users,
    territories: buildTerritories(ctx),
    customers,
    consentEvents: [...hospitals.consent, ...retail.consent],
    products,
    segments,
    coverage,
    importBatches: flow.importBatches,
    purchases: flow.purchases,
    visitPlans: fieldwork.visitPlans,
    visits: fieldwork.visits,
    visitProducts: fieldwork.visitProducts,
    budgets: buildBudgets(ctx, seedReps),
    holidays,
    quietBuyerIds: flow.quietBuyerIds,
  };
};
