import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, nowIso } from "../../../src/db/ids";
import { budgets, expenses } from "../../../src/db/schema";
import { createUser } from "../../helpers/app";
import { type ChurnServer, startChurnServer } from "../../helpers/churn-app";

let server: ChurnServer;
let seq = 0;

const expense = (
  repId: string,
  category: "meals" | "travel",
  amountCny: number,
  status: string,
  date = "2026-03-05",
) => {
  seq += 1;
  const at = nowIso();
  return server.database.db.insert(expenses).values({
    id: newId(),
    seq,
    ref: `E${seq}`,
    repId,
    kind: "reimbursement",
    category,
    amountCny,
    date,
    status: status as "pending",
    createdAt: at,
    updatedAt: at,
  });
};

const budget = (repId: string, category: string, amountCny: number, month = "2026-03") => {
  const at = nowIso();
  return server.database.db
    .insert(budgets)
    .values({ id: newId(), repId, month, category, amountCny, createdAt: at, updatedAt: at });
};

beforeEach(async () => {
  server = await startChurnServer(() => new Date("2026-03-20T02:00:00Z"));
});
afterEach(() => server.close());

describe("GET /api/reports/expenses", () => {
  it("shows budget, approved, pending and remaining per rep, month and category", async () => {
    const manager = await createUser(server.database, { name: "经理", role: "manager" });
    const rep = await createUser(server.database, { name: "甲代表", role: "rep", managerId: manager.id });
    const other = await createUser(server.database, { name: "乙代表", role: "rep" });
    const finance = await createUser(server.database, { name: "财务", role: "finance" });
    await budget(rep.id, "meals", 1000);
    await expense(rep.id, "meals", 300.1, "approved");
    await expense(rep.id, "meals", 200.2, "pending");
    await expense(rep.id, "meals", 999, "rejected");
    await expense(rep.id, "meals", 50, "approved", "2026-04-01");
    await expense(rep.id, "travel", 80, "pending");
    await expense(other.id, "meals", 10, "approved");

    const res = await server.request("GET", "/api/reports/expenses?month=2026-03", manager.token);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      {
        repId: rep.id,
        name: "甲代表",
        month: "2026-03",
        category: "meals",
        budgetCny: 1000,
        approvedCny: 300.1,
        pendingCny: 200.2,
        remainingCny: 499.7,
      },
      {
        repId: rep.id,
        name: "甲代表",
        month: "2026-03",
        category: "travel",
        budgetCny: null,
        approvedCny: 0,
        pendingCny: 80,
        remainingCny: null,
      },
    ]);
    const all = await server.request("GET", "/api/reports/expenses", finance.token);
    expect(all.body.month).toBe("2026-03");
    expect(all.body.rows).toHaveLength(3);
    expect((await server.request("GET", `/api/reports/expenses?repId=${other.id}`, rep.token)).status).toBe(
      403,
    );

    const csv = await server.raw("/api/reports/expenses?month=2026-03&format=csv", manager.token);
    expect(csv.contentType).toContain("text/csv");
    const text = csv.bytes.toString("utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split("\r\n")).toEqual([
      "month,repId,name,category,budgetCny,approvedCny,pendingCny,remainingCny",
      `2026-03,${rep.id},甲代表,meals,1000,300.1,200.2,499.7`,
      `2026-03,${rep.id},甲代表,travel,,0,80,`,
      "",
    ]);
  });
});
