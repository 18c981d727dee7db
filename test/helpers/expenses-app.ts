import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { and, eq } from "drizzle-orm";
import { createApp } from "../../src/api/app";
import { approvalRoutes } from "../../src/api/routes/approvals";
import { budgetRoutes } from "../../src/api/routes/budgets";
import { delegationRoutes } from "../../src/api/routes/delegation";
import { expenseRoutes } from "../../src/api/routes/expenses";
import { receiptRoutes } from "../../src/api/routes/receipts";
import { loadConfig } from "../../src/config";
import { outbox } from "../../src/db/schema";
import { localDate } from "../../src/domain/dates";
import { createEventBus } from "../../src/lib/events";
import { createLogger } from "../../src/lib/log";
import { createServices } from "../../src/services";
import { createApprovalService } from "../../src/services/approvals";
import { createBudgetService } from "../../src/services/budgets";
import { createExpenseService } from "../../src/services/expenses";
import { createReceiptService } from "../../src/services/receipts";
import { createUser, type TestServer, tempDatabase } from "./app";

/**
 * The real app with the expense area mounted the way the lead mounts it, on a temp database,
 * with the event bus the services publish on (tests subscribe to it).
 */
export const startExpenseServer = async () => {
  const { dir, database, cleanup } = await tempDatabase();
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }, join(dir, "data"));
  const events = createEventBus();
  const services = createServices(database, config, { events });
  const money = {
    expenses: createExpenseService(services),
    approvals: createApprovalService(services),
    receipts: createReceiptService(services),
    budgets: createBudgetService(services),
  };
  const deps = {
    database,
    config,
    log: createLogger("silent"),
    services,
    platforms: () => ({ slack: "off" as const, wecom: "off" as const }),
  };
  const app = createApp(deps, {
    apiRoutes: [
      { path: "/expenses", router: expenseRoutes(deps, money) },
      { path: "/approvals", router: approvalRoutes(deps, money) },
      { path: "/receipts", router: receiptRoutes(deps, money) },
      { path: "/budgets", router: budgetRoutes(deps, money) },
      { path: "/users", router: delegationRoutes(deps, money) },
    ],
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const parse = async (res: Response) => {
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body };
  };
  const request: TestServer["request"] = async (method, path, token, body) =>
    parse(
      await fetch(url + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const upload = async (token: string, bytes: Uint8Array, filename: string, type: string) => {
    const form = new FormData();
    form.append("file", new Blob([bytes], { type }), filename);
    return parse(
      await fetch(`${url}/api/receipts`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: form,
      }),
    );
  };
  const outboxFor = (recipientId: string, template: string) =>
    database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.recipientId, recipientId), eq(outbox.template, template)));
  return {
    url,
    dir,
    config,
    database,
    events,
    services,
    money,
    request,
    upload,
    outboxFor,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      cleanup();
    },
  };
};
export type ExpenseServer = Awaited<ReturnType<typeof startExpenseServer>>;

/** Admin, finance, a regional head over two district managers, reps under them. */
export const buildTeam = async (s: ExpenseServer) => {
  const db = s.database;
  const admin = await createUser(db, { name: "管理员", role: "admin" });
  const finance = await createUser(db, { name: "财务", role: "finance" });
  const regional = await createUser(db, { name: "华东大区经理", role: "manager" });
  const districtA = await createUser(db, { name: "上海北区经理", role: "manager", managerId: regional.id });
  const districtB = await createUser(db, { name: "杭州地区经理", role: "manager", managerId: regional.id });
  const repA1 = await createUser(db, { name: "王小明", role: "rep", managerId: districtA.id });
  const repA2 = await createUser(db, { name: "李娜", role: "rep", managerId: districtA.id });
  const repB1 = await createUser(db, { name: "张伟", role: "rep", managerId: districtB.id });
  return { admin, finance, regional, districtA, districtB, repA1, repA2, repB1 };
};
export type Team = Awaited<ReturnType<typeof buildTeam>>;

/** Today in the company zone (the expense dates and budget months of the tests). */
export const todayLocal = (s: ExpenseServer) => localDate(new Date(), s.config.timeZone);

let invoiceCounter = 0;
/** A fresh invoice number per call. */
export const invoice = () => `INV-${Date.now()}-${++invoiceCounter}`;

/** A valid request body; override what the test is about. */
export const expenseBody = (s: ExpenseServer, over: Record<string, unknown> = {}) => ({
  kind: "pre_approval",
  category: "department_meeting",
  amountCny: 800,
  date: todayLocal(s),
  description: "心内科科室会",
  ...over,
});
