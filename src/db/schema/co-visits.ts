import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { users } from "./users";
import { visits } from "./visits";

/** A manager's co-visit report (随访) with the score given to the rep. */
export const coVisits = sqliteTable(
  "co_visits",
  {
    id: id(),
    visitId: text("visit_id")
      .notNull()
      .references(() => visits.id),
    managerId: text("manager_id")
      .notNull()
      .references(() => users.id),
    repId: text("rep_id")
      .notNull()
      .references(() => users.id),
    score: integer("score").notNull(),
    report: text("report"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("co_visits_visit_idx").on(t.visitId)],
);
