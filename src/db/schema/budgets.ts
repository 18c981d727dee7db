import { real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";
import { users } from "./users";

/** Budget per rep, month (YYYY-MM) and expense category. */
export const budgets = sqliteTable(
  "budgets",
  {
    id: id(),
    repId: text("rep_id")
      .notNull()
      .references(() => users.id),
    month: text("month").notNull(),
    category: text("category").notNull(),
    amountCny: real("amount_cny").notNull(),
    ...timestamps(),
  },
  (t) => [uniqueIndex("budgets_rep_month_cat_uq").on(t.repId, t.month, t.category)],
);
