import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id } from "./columns";

/** A receipt file stored under data/receipts by content hash. */
export const receipts = sqliteTable(
  "receipts",
  {
    id: id(),
    sha256: text("sha256").notNull(),
    mime: text("mime", { enum: ["image/jpeg", "image/png", "application/pdf"] }).notNull(),
    size: integer("size").notNull(),
    path: text("path").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("receipts_sha_uq").on(t.sha256)],
);
