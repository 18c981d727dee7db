import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { Db } from "../../db/client";
import { approvals, expenses } from "../../db/schema";
import { pageQuery } from "../../schemas/common";
import { decisionInput } from "../../schemas/expenses";
import { delegatorsOf } from "../../services/approval-queries";
import type { ApprovalService } from "../../services/approvals";
import { today } from "../../services/context";
import { type Actor, type AppEnv, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, fromDomainError, notFound } from "../errors";
import { pageWhere, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";
import { approvalJson } from "./expense-json";

const listQuery = pageQuery.extend({
  status: z.enum(["waiting", "pending", "approved", "rejected", "superseded"]).optional(),
  recipientId: z.string().optional(),
  approverId: z.string().optional(),
  subjectRef: z.string().optional(),
  subjectId: z.string().optional(),
  repId: z.string().optional(),
});

/**
 * Which approvals an actor sees (null = all): finance and admins everything; others what
 * they (or whoever delegated to them) must decide, and the requests of their scope.
 */
const approvalScope = async (db: Db, actor: Actor, todayDate: string): Promise<SQL | null> => {
  const reps = await visibleUserIds(db, actor);
  if (reps === null) return null;
  const approverIds = [actor.id, ...(await delegatorsOf(db, actor.id, todayDate))];
  return (
    or(
      inArray(approvals.approverId, approverIds),
      inArray(
        approvals.subjectId,
        db.select({ id: expenses.id }).from(expenses).where(inArray(expenses.repId, reps)),
      ),
    ) ?? null
  );
};

/** `/api/approvals` (CONTRACT.md): list in scope, read one, decide one. */
export const approvalRoutes = (
  { database, services, config }: ApiDeps,
  svc: { approvals: ApprovalService },
) => {
  const { db } = database;
  const app = new Hono<AppEnv>();
  const tz = config.timeZone;

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await approvalScope(db, c.get("actor"), today(services));
    const approverId = q.recipientId ?? q.approverId;
    const filters: (SQL | undefined)[] = [
      scope ?? undefined,
      q.status ? eq(approvals.status, q.status) : undefined,
      approverId ? eq(approvals.approverId, approverId) : undefined,
      q.subjectRef ? eq(approvals.subjectRef, q.subjectRef.trim().toUpperCase()) : undefined,
      q.subjectId ? eq(approvals.subjectId, q.subjectId) : undefined,
      q.repId
        ? inArray(
            approvals.subjectId,
            db.select({ id: expenses.id }).from(expenses).where(eq(expenses.repId, q.repId)),
          )
        : undefined,
    ];
    const { where, orderBy } = pageWhere(approvals.id, q.cursor, filters);
    const rows = await db
      .select()
      .from(approvals)
      .where(where)
      .orderBy(orderBy)
      .limit(q.limit + 1);
    return c.json(toPage(rows, q.limit, (a) => approvalJson(a, tz)));
  });

  app.get("/:id", async (c) => {
    const id = c.req.param("id");
    const scope = await approvalScope(db, c.get("actor"), today(services));
    const row = await db.select().from(approvals).where(eq(approvals.id, id)).get();
    if (!row) throw notFound("approval");
    if (scope) {
      const visible = await db
        .select({ id: approvals.id })
        .from(approvals)
        .where(and(eq(approvals.id, id), scope))
        .get();
      if (!visible) throw forbidden("this approval is outside your scope");
    }
    return c.json(approvalJson(row, tz));
  });

  // The token's own user decides (an approver, or their active delegate): never on someone's behalf.
  app.post("/:id/decision", async (c) => {
    const input = await jsonBody(c, decisionInput);
    const result = await svc.approvals.decide(c.req.param("id"), input, {
      id: c.get("actor").id,
      via: "api",
    });
    if (!result.ok) throw fromDomainError(result.error, decisionMessage(result.error));
    return c.json(approvalJson(result.value.approval, tz));
  });

  return app;
};

/** A readable message for API callers; the chat renders the key from the catalog instead. */
const decisionMessage = (e: { messageKey: string; params?: Record<string, unknown> }) =>
  e.messageKey === "approval.already_decided"
    ? `already decided (${String(e.params?.status ?? "")}) by ${String(e.params?.by)} at ${String(e.params?.at)}`
    : undefined;
