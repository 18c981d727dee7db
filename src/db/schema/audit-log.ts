import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns";

/** Who changed what, with before/after copies (erasure blanks personal fields here too). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    at: text("at").notNull(),
    actorId: text("actor_id"),
    via: text("via"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before", { mode: "json" }).$type<Record<string, unknown> | null>(),
    after: text("after", { mode: "json" }).$type<Record<string, unknown> | null>(),
  },
  (t) => [index("audit_entity_idx").on(t.entityType, t.entityId), index("audit_at_idx").on(t.at)],
);
