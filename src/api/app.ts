import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createCustomerDecorator } from "../services/customer-computed";
import { type AppEnv, bearerAuth } from "./auth";
import type { ApiDeps } from "./deps";
import { errorBody, handleError } from "./errors";
import { alertRoutes } from "./routes/alerts";
import { approvalRoutes } from "./routes/approvals";
import { budgetRoutes } from "./routes/budgets";
import { type CustomerDecorator, customerRoutes } from "./routes/customers";
import { delegationRoutes } from "./routes/delegation";
import { expenseRoutes } from "./routes/expenses";
import { handoverRoutes, monthRoutes } from "./routes/handover";
import { holidayRoutes } from "./routes/holidays";
import { importRoutes } from "./routes/imports";
import { outboxRoutes } from "./routes/outbox";
import { privacyRoutes } from "./routes/privacy";
import { productRoutes } from "./routes/products";
import { purchaseRoutes } from "./routes/purchases";
import { receiptRoutes } from "./routes/receipts";
import { reportRoutes } from "./routes/reports";
import { segmentRoutes } from "./routes/segments";
import { settingRoutes } from "./routes/settings";
import { stockReportRoutes } from "./routes/stock-reports";
import { userRoutes } from "./routes/users";
import { visitPlanRoutes } from "./routes/visit-plans";
import { visitRoutes } from "./routes/visits";

export interface AppExtensions {
  /** Extra routers under /api (mounted after auth), added by each area as it lands. */
  apiRoutes?: { path: string; router: Hono<AppEnv> }[];
  /** Routers outside /api (Slack events, public pages, hooks): they bring their own auth. */
  publicRoutes?: { path: string; router: Hono }[];
  customerDecorator?: CustomerDecorator;
}

/** The one HTTP app: admin API under /api, Slack at /slack/events, public pages. */
export const createApp = (deps: ApiDeps, ext: AppExtensions = {}) => {
  const app = new Hono();
  app.onError((err, c) => handleError(err, c, deps.log));
  app.notFound((c) => c.json(errorBody("not_found", `no route ${c.req.method} ${c.req.path}`), 404));

  app.get("/api/health", async (c) => {
    const db = await deps.database.db
      .run(sql`select 1`)
      .then(() => "ok" as const)
      .catch(() => "error" as const);
    return c.json(
      { status: db === "ok" ? "ok" : "error", db, platforms: deps.platforms() },
      db === "ok" ? 200 : 503,
    );
  });

  for (const r of ext.publicRoutes ?? []) app.route(r.path, r.router);

  const api = new Hono<AppEnv>();
  api.use(
    "*",
    bodyLimit({
      maxSize: 20 * 1024 * 1024,
      onError: (c) => c.json(errorBody("too_large", "body: larger than 20 MB"), 413),
    }),
  );
  api.use("*", bearerAuth(deps.database.db));
  api.route("/users", userRoutes(deps));
  api.route(
    "/customers",
    customerRoutes(
      deps,
      ext.customerDecorator ?? createCustomerDecorator(deps.database, deps.services.settings),
    ),
  );
  api.route("/customers", segmentRoutes(deps));
  api.route("/products", productRoutes(deps));
  api.route("/purchases", purchaseRoutes(deps));
  api.route("/holidays", holidayRoutes(deps));
  api.route("/settings", settingRoutes(deps));
  api.route("/customers", handoverRoutes(deps));
  api.route("/visits", visitRoutes(deps));
  api.route("/visit-plans", visitPlanRoutes(deps));
  api.route("/stock-reports", stockReportRoutes(deps));
  api.route("/months", monthRoutes(deps));
  api.route("/outbox", outboxRoutes(deps));
  api.route("/imports", importRoutes(deps));
  api.route("/users", delegationRoutes(deps, deps.services));
  api.route("/expenses", expenseRoutes(deps, deps.services));
  api.route("/approvals", approvalRoutes(deps, deps.services));
  api.route("/receipts", receiptRoutes(deps, deps.services));
  api.route("/budgets", budgetRoutes(deps, deps.services));
  api.route("/alerts", alertRoutes(deps));
  api.route("/customers", privacyRoutes(deps));
  api.route("/reports", reportRoutes(deps));
  for (const r of ext.apiRoutes ?? []) api.route(r.path, r.router);
  app.route("/api", api);
  return app;
};
