import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id } from "./columns";
import { users } from "./users";

export const approvalStatuses = ["waiting", "pending", "approved", "rejected", "superseded"] as const;

/** One level of an approval chain; a decision is a conditional update of `status`. */
export const approvals = sqliteTable(
  "approvals",
  {
    id: id(),
    subjectType: text("subject_type", { enum: ["expense"] }).notNull(),
    subjectId: text("subject_id").notNull(),
    subjectRef: text("subject_ref").notNull(),
    approverId: text("approver_id")
      .notNull()
      .references(() => users.id),
    level: integer("level").notNull(),
    status: text("status", { enum: approvalStatuses }).notNull(),
    decidedAt: text("decided_at"),
    decidedBy: text("decided_by").references(() => users.id),
    decidedVia: text("decided_via", { enum: ["slack", "wecom", "api", "console"] }),
    reason: text("reason"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("approvals_subject_level_uq").on(t.subjectType, t.subjectId, t.level),
    index("approvals_approver_status_idx").on(t.approverId, t.status),
    index("approvals_ref_idx").on(t.subjectRef),
  ],
);
