import { type Context, Hono } from "hono";
import { localDate } from "../../domain/dates";
import { fieldReportQuery } from "../../schemas/field";
import { createCoverageReportService } from "../../services/reports/coverage";
import { coverageCsv, sfeCsv } from "../../services/reports/csv";
import { churnCsv, expensesCsv } from "../../services/reports/csv-money";
import { createExpenseReportService } from "../../services/reports/expenses";
import { reportUserIds } from "../../services/reports/scope";
import { createSfeReportService } from "../../services/reports/sfe";
import { type AppEnv, apiActor } from "../auth";
import type { ApiDeps } from "../deps";
import { fromDomainError } from "../errors";
import { queryOf } from "../validate";

const csvResponse = (c: Context<AppEnv>, body: string, filename: string) =>
  c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename}"`,
  });

/**
 * `GET /api/reports/{sfe|coverage|churn|expenses}`, computed at request time, JSON or
 * `?format=csv`. Every role may ask; the answer covers only whom the actor may see.
 */
export const reportRoutes = (deps: ApiDeps) => {
  const ctx = deps.services;
  const sfe = createSfeReportService(ctx);
  const coverage = createCoverageReportService(ctx);
  const expenses = createExpenseReportService(ctx);
  const app = new Hono<AppEnv>();

  const scopeOf = async (c: Context<AppEnv>) => {
    const q = queryOf(c, fieldReportQuery);
    const ids = await reportUserIds(ctx.database.db, apiActor(c.get("actor")), q);
    if (!ids.ok) throw fromDomainError(ids.error);
    return { q, userIds: ids.value, month: q.month ?? localDate(ctx.now(), ctx.timeZone).slice(0, 7) };
  };

  app.get("/sfe", async (c) => {
    const { q, userIds, month } = await scopeOf(c);
    const report = await sfe.run({ month, userIds, productId: q.productId });
    return q.format === "csv" ? csvResponse(c, sfeCsv(report), `sfe-${month}.csv`) : c.json(report);
  });

  app.get("/coverage", async (c) => {
    const { q, userIds } = await scopeOf(c);
    const report = await coverage.run({ userIds, productId: q.productId });
    return q.format === "csv"
      ? csvResponse(c, coverageCsv(report), `coverage-${report.asOf}.csv`)
      : c.json(report);
  });

  app.get("/churn", async (c) => {
    const { q, userIds } = await scopeOf(c);
    const report = await ctx.churn.currentPicture({ ownerIds: userIds });
    return q.format === "csv" ? csvResponse(c, churnCsv(report), `churn-${report.date}.csv`) : c.json(report);
  });

  app.get("/expenses", async (c) => {
    const { q, userIds, month } = await scopeOf(c);
    const report = await expenses.run({ month, userIds });
    return q.format === "csv" ? csvResponse(c, expensesCsv(report), `expenses-${month}.csv`) : c.json(report);
  });

  return app;
};
