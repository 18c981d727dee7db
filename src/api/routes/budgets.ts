import { eq, inArray, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { budgets } from "../../db/schema";
import { month, pageQuery } from "../../schemas/common";
import { budgetCreate, budgetPut, expenseCategory } from "../../schemas/expenses";
import type { BudgetService, BudgetView } from "../../services/budgets";
import {
  type Actor,
  type AppEnv,
  apiActor,
  canSee,
  requireRole,
  visibleUserIds,
  writableUserIds,
} from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, fromDomainError, notFound } from "../errors";
import { pageWhere, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

const listQuery = pageQuery.extend({
  repId: z.string().optional(),
  month: month.optional(),
  category: expenseCategory.optional(),
});

const json = (b: BudgetView) => ({
  id: b.id,
  repId: b.repId,
  month: b.month,
  category: b.category,
  amountCny: b.amountCny,
  committedCny: b.committedCny,
  remainingCny: b.remainingCny,
});

/** A manager sets the budgets of their team, never their own (that is for someone above). */
const assertMayBudget = (actor: Actor, repId: string, writable: string[] | null) => {
  if (!canSee(writable, repId)) throw forbidden("you may set budgets only for your team");
  if (actor.role !== "admin" && repId === actor.id) throw forbidden("you may not set your own budget");
};

/** `/api/budgets`: per rep, month and category with what is committed and what remains. */
export const budgetRoutes = ({ database }: ApiDeps, svc: { budgets: BudgetService }) => {
  const { db } = database;
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const filters: (SQL | undefined)[] = [
      scope ? inArray(budgets.repId, scope) : undefined,
      q.repId ? eq(budgets.repId, q.repId) : undefined,
      q.month ? eq(budgets.month, q.month) : undefined,
      q.category ? eq(budgets.category, q.category) : undefined,
    ];
    const { where, orderBy } = pageWhere(budgets.id, q.cursor, filters);
    const rows = await db
      .select()
      .from(budgets)
      .where(where)
      .orderBy(orderBy)
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => r);
    const items = await Promise.all(page.items.map((r) => svc.budgets.withUse(r)));
    return c.json({ items: items.map(json), nextCursor: page.nextCursor });
  });

  app.get("/:id", async (c) => {
    const row = await db
      .select()
      .from(budgets)
      .where(eq(budgets.id, c.req.param("id")))
      .get();
    if (!row) throw notFound("budget");
    if (!canSee(await visibleUserIds(db, c.get("actor")), row.repId))
      throw forbidden("this budget is outside your scope");
    return c.json(json(await svc.budgets.withUse(row)));
  });

  /** Sets the budget of (repId, month, category): created 201, replaced 200. */
  app.post("/", requireRole("admin", "manager"), async (c) => {
    const actor = c.get("actor");
    const input = await jsonBody(c, budgetCreate);
    assertMayBudget(actor, input.repId, await writableUserIds(db, actor));
    const result = await svc.budgets.upsert(input, apiActor(actor));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(json(result.value), result.value.created ? 201 : 200);
  });

  app.put("/:id", requireRole("admin", "manager"), async (c) => {
    const actor = c.get("actor");
    const input = await jsonBody(c, budgetPut);
    const row = await db
      .select()
      .from(budgets)
      .where(eq(budgets.id, c.req.param("id")))
      .get();
    if (!row) throw notFound("budget");
    assertMayBudget(actor, row.repId, await writableUserIds(db, actor));
    const category = expenseCategory.parse(row.category);
    const result = await svc.budgets.upsert({ ...row, category, ...input }, apiActor(actor));
    if (!result.ok) throw fromDomainError(result.error);
    return c.json(json(result.value));
  });

  return app;
};
