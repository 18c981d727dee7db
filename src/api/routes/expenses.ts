import { and, eq, gte, inArray, lte, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { expenses } from "../../db/schema";
import { lastDayOfMonth } from "../../domain/dates";
import { dateRangeQuery, pageQuery } from "../../schemas/common";
import { expenseCategory, expenseCreate, expenseKind } from "../../schemas/expenses";
import { delegatorsOf } from "../../services/approval-queries";
import { today } from "../../services/context";
import type { ExpenseService } from "../../services/expenses";
import { type AppEnv, apiActor, canSee, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, fromDomainError, notFound } from "../errors";
import { pageWhere, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";
import { expenseJson } from "./expense-json";

const listQuery = pageQuery.merge(dateRangeQuery).extend({
  repId: z.string().optional(),
  status: z.enum(["pending", "approved", "rejected", "cancelled"]).optional(),
  type: expenseKind.optional(),
  kind: expenseKind.optional(),
  category: expenseCategory.optional(),
});

/** `/api/expenses` (CONTRACT.md): create, list, read with its approvals, cancel. */
export const expenseRoutes = ({ database, config, services }: ApiDeps, svc: { expenses: ExpenseService }) => {
  const { db } = database;
  const app = new Hono<AppEnv>();
  const tz = config.timeZone;

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const kind = q.type ?? q.kind;
    const filters: (SQL | undefined)[] = [
      scope ? inArray(expenses.repId, scope) : undefined,
      q.repId ? eq(expenses.repId, q.repId) : undefined,
      q.status ? eq(expenses.status, q.status) : undefined,
      kind ? eq(expenses.kind, kind) : undefined,
      q.category ? eq(expenses.category, q.category) : undefined,
      q.from ? gte(expenses.date, q.from) : undefined,
      q.to ? lte(expenses.date, q.to) : undefined,
      q.month
        ? and(gte(expenses.date, `${q.month}-01`), lte(expenses.date, lastDayOfMonth(q.month)))
        : undefined,
    ];
    const { where, orderBy } = pageWhere(expenses.id, q.cursor, filters);
    const rows = await db
      .select()
      .from(expenses)
      .where(where)
      .orderBy(orderBy)
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => r);
    const items = await svc.expenses.withApprovals(page.items);
    return c.json({ items: items.map((e) => expenseJson(e, tz)), nextCursor: page.nextCursor });
  });

  app.get("/:id", async (c) => {
    const actor = c.get("actor");
    const view = await svc.expenses.get(c.req.param("id"));
    if (!view) throw notFound("expense");
    // An approver sees what they are asked to decide, even outside their team; so does the
    // approver's delegate while the delegation runs, who decides it in their own name.
    const decides = async () => {
      const approvers = new Set(view.approvals.map((a) => a.approverId));
      if (approvers.has(actor.id)) return true;
      return (await delegatorsOf(db, actor.id, today(services))).some((id) => approvers.has(id));
    };
    if (!canSee(await visibleUserIds(db, actor), view.repId) && !(await decides()))
      throw forbidden("this expense is outside your scope");
    return c.json(expenseJson(view, tz));
  });

  app.post("/", async (c) => {
    const actor = c.get("actor");
    const input = await jsonBody(c, expenseCreate);
    const repId = input.repId ?? actor.id;
    if (repId !== actor.id && actor.role !== "admin")
      throw forbidden("an expense is requested with the rep's own token (an admin may name repId)");
    const result = await svc.expenses.create({ ...input, repId }, apiActor(actor));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(expenseJson(result.value, tz), 201);
  });

  app.post("/:id/cancel", async (c) => {
    const result = await svc.expenses.cancel(c.req.param("id"), apiActor(c.get("actor")));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(expenseJson(result.value, tz));
  });

  return app;
};
