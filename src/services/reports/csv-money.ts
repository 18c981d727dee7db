/** CSV renderings of the churn and expenses reports, on the shared BOM'd RFC 4180 writer. */
import type { ChurnPicture } from "../churn";
import { toCsv } from "./csv";
import type { ExpenseReportView } from "./expenses";

const CHURN_HEADER = [
  "customerId",
  "name",
  "kind",
  "ownerId",
  "level",
  "decline",
  "lastPurchase",
  "cycleDays",
  "silenceDays",
  "asOf",
  "previous90Cny",
  "last90Cny",
  "alertIds",
];

export const churnCsv = (r: ChurnPicture): string =>
  toCsv(
    CHURN_HEADER,
    r.customers.map((c) => [
      c.customerId,
      c.name,
      c.kind,
      c.ownerId,
      c.level,
      c.decline,
      c.lastPurchase,
      c.cycleDays,
      c.silenceDays,
      c.asOf,
      c.previous90Cny,
      c.last90Cny,
      c.alertIds.join(" "),
    ]),
  );

const EXPENSE_HEADER = [
  "month",
  "repId",
  "name",
  "category",
  "budgetCny",
  "approvedCny",
  "pendingCny",
  "remainingCny",
];

export const expensesCsv = (r: ExpenseReportView): string =>
  toCsv(
    EXPENSE_HEADER,
    r.rows.map((x) => [
      x.month,
      x.repId,
      x.name,
      x.category,
      x.budgetCny,
      x.approvedCny,
      x.pendingCny,
      x.remainingCny,
    ]),
  );
