import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";

export const products = sqliteTable(
  "products",
  {
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    nameEn: text("name_en"),
    unit: text("unit").notNull().default("盒"),
    rx: integer("rx", { mode: "boolean" }).notNull().default(false),
    aliases: text("aliases", { mode: "json" }).$type<string[]>().notNull().default([]),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps(),
  },
  (t) => [uniqueIndex("products_code_uq").on(t.code)],
);
