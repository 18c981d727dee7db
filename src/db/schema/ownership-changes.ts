import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { customers } from "./customers";
import { users } from "./users";

/** Ownership history: a proxy (工作代理) ends on `until`; a transfer (工作转移) is permanent. */
export const ownershipChanges = sqliteTable(
  "ownership_changes",
  {
    id: id(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id),
    toUserId: text("to_user_id")
      .notNull()
      .references(() => users.id),
    mode: text("mode", { enum: ["proxy", "transfer"] }).notNull(),
    startOn: text("start_on").notNull(),
    until: text("until"),
    endedAt: text("ended_at"),
    by: text("by").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("ownership_customer_idx").on(t.customerId),
    index("ownership_active_proxy_idx").on(t.mode, t.endedAt),
  ],
);
