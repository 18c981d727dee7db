import { type Context, Hono } from "hono";
import { localDate } from "../../domain/dates";
import { fieldReportQuery } from "../../schemas/field";
import { createChurnService } from "../../services/churn";
import { churnCsv, expensesCsv } from "../../services/reports/csv-money";
import { createExpenseReportService } from "../../services/reports/expenses";
import { reportUserIds } from "../../services/reports/scope";
import type { AppEnv } from "../auth";
import type { ApiDeps } from "../deps";
import { queryOf } from "../validate";
import { fieldApiError } from "./field-errors";
import { serviceActorOf } from "./segments";

const csvResponse = (c: Context<AppEnv>, body: string, filename: string) =>
  c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename}"`,
  });

/**
 * `GET /api/reports/churn` and `/expenses`, computed at request time for whom the actor
 * may see. The churn report lists every customer overdue or declining now, alert or not.
 */
export const moneyReportRoutes = (deps: ApiDeps) => {
  const ctx = deps.services;
  const churn = createChurnService(ctx);
  const expenses = createExpenseReportService(ctx);
  const app = new Hono<AppEnv>();

  const scopeOf = async (c: Context<AppEnv>) => {
    const q = queryOf(c, fieldReportQuery);
    const ids = await reportUserIds(ctx.database.db, serviceActorOf(c), q);
    if (!ids.ok) throw fieldApiError(ids.error);
    return { q, userIds: ids.value };
  };

  app.get("/churn", async (c) => {
    const { q, userIds } = await scopeOf(c);
    const report = await churn.currentPicture({ ownerIds: userIds });
    return q.format === "csv" ? csvResponse(c, churnCsv(report), `churn-${report.date}.csv`) : c.json(report);
  });

  app.get("/expenses", async (c) => {
    const { q, userIds } = await scopeOf(c);
    const month = q.month ?? localDate(ctx.now(), ctx.timeZone).slice(0, 7);
    const report = await expenses.run({ month, userIds });
    return q.format === "csv" ? csvResponse(c, expensesCsv(report), `expenses-${month}.csv`) : c.json(report);
  });

  return app;
};
