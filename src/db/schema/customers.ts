import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { id, timestamps } from "./columns";
import { users } from "./users";

export const customerKinds = ["hospital", "department", "doctor", "pharmacy", "distributor"] as const;
export const customerStages = ["to_identify", "new", "intent", "purchasing", "complete"] as const;

export const customers = sqliteTable(
  "customers",
  {
    id: id(),
    code: text("code").notNull(),
    kind: text("kind", { enum: customerKinds }).notNull(),
    name: text("name").notNull(),
    parentId: text("parent_id").references((): AnySQLiteColumn => customers.id),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    city: text("city"),
    cityTier: integer("city_tier"),
    area: text("area"),
    address: text("address"),
    phone: text("phone"),
    email: text("email"),
    wecomExternalId: text("wecom_external_id"),
    birthday: text("birthday"),
    timezone: text("timezone"),
    preferences: text("preferences"),
    bestVisitSlot: text("best_visit_slot", { enum: ["am", "pm"] }),
    stage: text("stage", { enum: customerStages }).notNull().default("to_identify"),
    preferredChannel: text("preferred_channel", { enum: ["sms", "email"] }),
    locale: text("locale", { enum: ["zh-CN", "en"] })
      .notNull()
      .default("zh-CN"),
    // Current consent per channel, derived from consent_events (the ledger) on every write.
    smsConsent: text("sms_consent", { enum: ["granted", "withdrawn", "none"] })
      .notNull()
      .default("none"),
    emailConsent: text("email_consent", { enum: ["granted", "withdrawn", "none"] })
      .notNull()
      .default("none"),
    // hospital
    beds: integer("beds"),
    dailyOutpatients: integer("daily_outpatients"),
    monthlyPurchaseCny: real("monthly_purchase_cny"),
    // pharmacy
    monthlySalesCny: real("monthly_sales_cny"),
    ourMonthlySalesCny: real("our_monthly_sales_cny"),
    chain: text("chain"),
    // doctor
    department: text("department"),
    title: text("title"),
    kol: integer("kol", { mode: "boolean" }).notNull().default(false),
    tier: text("tier", { enum: ["first", "second"] }),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    erasedAt: text("erased_at"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("customers_code_uq").on(t.code),
    index("customers_owner_idx").on(t.ownerId, t.kind),
    // The admin list by owner in id order (its pages): read in order, no sort of the whole book.
    index("customers_owner_id_idx").on(t.ownerId, t.id),
    index("customers_parent_idx").on(t.parentId),
    index("customers_kind_name_idx").on(t.kind, t.name),
    index("customers_birthday_idx").on(t.birthday).where(sql`birthday is not null`),
  ],
);
