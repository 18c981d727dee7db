import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { users } from "./users";

/** An approver away names a delegate until a date (inclusive). */
export const delegations = sqliteTable(
  "delegations",
  {
    id: id(),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id),
    toUserId: text("to_user_id")
      .notNull()
      .references(() => users.id),
    until: text("until").notNull(),
    revokedAt: text("revoked_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("delegations_from_idx").on(t.fromUserId), index("delegations_to_idx").on(t.toUserId)],
);
