import { join } from "node:path";
import { asc } from "drizzle-orm";
import { type Composition, compose } from "../../src/compose";
import { loadConfig } from "../../src/config";
import type { Database } from "../../src/db/client";
import {
  approvals,
  customers,
  expenses,
  jobRuns,
  outbox,
  products,
  purchases,
  segments,
  users,
  visits,
} from "../../src/db/schema";
import { createLogger } from "../../src/lib/log";
import { tempDatabase } from "../helpers/app";

/** The main date of the fixture: Tuesday 15 September 2026, an ordinary working day. */
export const D = "2026-09-15";
/** 10:00 in Shanghai on D. */
export const TEN_AM = "2026-09-15T02:00:00Z";
export const PRODUCT_NAMES = ["感冒灵颗粒", "维生素C片"];

const at = "2026-01-01T00:00:00.000Z";

/**
 * The scheduler's fixture, built straight in the database with fixed ids so dedupe keys
 * can be written literally in the tests:
 *
 * - 赵大区 (u-rm) manages 李经理 (u-mgr), who manages 王小明 (u-rep1), Tom Lee (u-rep2, en)
 *   and 离职 (u-gone, inactive); 管理员 (u-admin) and 钱财务 (u-fin) stand aside.
 * - 王小明 owns 协和 (A hospital), doctors 张伟 (A segment, birthday 09-15, SMS consent),
 *   李娜 (birthday 1980-09-15, email consent), 陈静 (birthday 09-15, no consent) and three
 *   pharmacies: 康美 (cycle 10, last bought 08-29: overdue ×1.5+ on D), 同仁堂 (cycle 10,
 *   last bought 08-20: overdue ×2.5+ on D) and 老百姓 (buys on time).
 * - Tom Lee owns Wang Wei (birthday 09-16, SMS consent, en).
 * - Follow-ups: 张伟 due D, 李娜 overdue since 09-10, 陈静 due 09-20 (not yet), 协和 done;
 *   Wang Wei due D.
 * - Expense E1 of 王小明: level 1 pending with 李经理, level 2 waiting with 赵大区.
 */
export const buildFixture = async (database: Database) => {
  const { db } = database;
  const user = (id: string, name: string, role: "admin" | "manager" | "finance" | "rep", extra = {}) =>
    db.insert(users).values({ id, name, role, createdAt: at, updatedAt: at, ...extra });
  await user("u-admin", "管理员", "admin");
  await user("u-rm", "赵大区", "manager");
  await user("u-mgr", "李经理", "manager", { managerId: "u-rm" });
  await user("u-rep1", "王小明", "rep", { managerId: "u-mgr" });
  await user("u-rep2", "Tom Lee", "rep", { managerId: "u-mgr", locale: "en" });
  await user("u-gone", "离职", "rep", { managerId: "u-mgr", active: false });
  await user("u-fin", "钱财务", "finance");

  await db.insert(products).values([
    { id: "p-gml", code: "GML", name: PRODUCT_NAMES[0], createdAt: at, updatedAt: at },
    { id: "p-vc", code: "VC", name: PRODUCT_NAMES[1], createdAt: at, updatedAt: at },
  ]);

  const customer = (fields: Partial<typeof customers.$inferInsert> & { id: string; name: string }) =>
    db.insert(customers).values({
      code: fields.id.toUpperCase(),
      kind: "doctor",
      ownerId: "u-rep1",
      createdAt: at,
      updatedAt: at,
      ...fields,
    });
  await customer({
    id: "c-h1",
    name: "北京协和医院",
    kind: "hospital",
    area: "东城",
    beds: 2000,
    dailyOutpatients: 10000,
  });
  await customer({
    id: "c-d1",
    name: "张伟",
    parentId: "c-h1",
    title: "主任",
    birthday: "09-15",
    phone: "13800000001",
    preferredChannel: "sms",
    smsConsent: "granted",
  });
  await customer({
    id: "c-d2",
    name: "李娜",
    parentId: "c-h1",
    title: "主治医师",
    birthday: "1980-09-15",
    email: "lina@example.com",
    preferredChannel: "email",
    emailConsent: "granted",
  });
  await customer({ id: "c-d3", name: "陈静", parentId: "c-h1", title: "医师", birthday: "09-15" });
  await customer({
    id: "c-d4",
    name: "Wang Wei",
    ownerId: "u-rep2",
    title: "Director",
    birthday: "09-16",
    phone: "13900000002",
    smsConsent: "granted",
    locale: "en",
  });
  const pharmacy = {
    kind: "pharmacy" as const,
    area: "西城",
    monthlySalesCny: 600_000,
    ourMonthlySalesCny: 20_000,
  };
  await customer({ id: "c-p1", name: "康美大药房", ...pharmacy });
  await customer({ id: "c-p2", name: "同仁堂药店", ...pharmacy });
  await customer({ id: "c-p3", name: "老百姓大药房", ...pharmacy });

  // 张伟 is A for 感冒灵 (usage 4 × potential 4).
  await db.insert(segments).values({
    customerId: "c-d1",
    productId: "p-gml",
    usage: 4,
    potential: 4,
    updatedAt: at,
    updatedBy: "u-rep1",
  });

  let n = 0;
  const buy = (buyerId: string, dates: string[]) =>
    db.insert(purchases).values(
      dates.map((date) => ({
        id: `pu-${++n}`,
        sellerId: null,
        buyerId,
        productId: "p-gml",
        date,
        quantity: 10,
        amountCny: 500,
        source: "erp" as const,
        naturalKey: `pu-${n}`,
        createdAt: at,
        updatedAt: at,
      })),
    );
  await buy("c-p1", ["2026-07-30", "2026-08-09", "2026-08-19", "2026-08-29"]);
  await buy("c-p2", ["2026-07-21", "2026-07-31", "2026-08-10", "2026-08-20"]);
  await buy("c-p3", ["2026-08-11", "2026-08-21", "2026-08-31", "2026-09-10"]);

  const visit = (
    id: string,
    repId: string,
    customerId: string,
    date: string,
    extra: Partial<typeof visits.$inferInsert> = {},
  ) =>
    db.insert(visits).values({
      id,
      repId,
      customerId,
      at: `${date}T04:00:00.000Z`,
      date,
      timeKnown: false,
      rating: 5,
      createdAt: at,
      updatedAt: at,
      ...extra,
    });
  await visit("v-1", "u-rep1", "c-d1", "2026-09-08", { followUpOn: D, nextStep: "送文献" });
  await visit("v-2", "u-rep1", "c-d2", "2026-09-01", { followUpOn: "2026-09-10", nextStep: "约科室会" });
  await visit("v-3", "u-rep1", "c-d3", "2026-09-10", { method: "phone", followUpOn: "2026-09-20" });
  await visit("v-4", "u-rep1", "c-h1", "2026-09-09", {
    followUpOn: "2026-09-12",
    followUpDoneAt: "2026-09-12T03:00:00.000Z",
  });
  await visit("v-5", "u-rep2", "c-d4", "2026-09-09", { followUpOn: D, nextStep: "Send the study" });
  await visit("v-6", "u-rep2", "c-d4", "2026-09-03", { status: "void" });

  await db.insert(expenses).values({
    id: "e-1",
    seq: 1,
    ref: "E1",
    repId: "u-rep1",
    kind: "reimbursement",
    category: "meals",
    amountCny: 320,
    date: "2026-09-10",
    createdAt: at,
    updatedAt: at,
  });
  await db.insert(approvals).values([
    {
      id: "a-1",
      subjectType: "expense",
      subjectId: "e-1",
      subjectRef: "E1",
      approverId: "u-mgr",
      level: 1,
      status: "pending",
      createdAt: at,
    },
    {
      id: "a-2",
      subjectType: "expense",
      subjectId: "e-1",
      subjectRef: "E1",
      approverId: "u-rm",
      level: 2,
      status: "waiting",
      createdAt: at,
    },
  ]);
};

/** The composition over a fresh fixture, with a clock the test moves. */
export const jobWorld = async (start = TEN_AM) => {
  const temp = await tempDatabase();
  const clock = { t: Date.parse(start) };
  const now = () => new Date(clock.t);
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }, join(temp.dir, "data"));
  const composition: Composition = compose(config, temp.database, createLogger("silent"), { now });
  await buildFixture(temp.database);
  return {
    ...temp,
    config,
    clock,
    now,
    composition,
    jobs: composition.jobs,
    services: composition.services,
    /** Outbox rows in insertion order (by dedupe key for a stable literal). */
    rows: () => temp.database.db.select().from(outbox).orderBy(asc(outbox.dedupeKey)),
    runs: () => temp.database.db.select().from(jobRuns).orderBy(asc(jobRuns.startedAt)),
    close: async () => {
      await composition.outbox.stop();
      composition.close();
      temp.cleanup();
    },
  };
};

export type JobWorld = Awaited<ReturnType<typeof jobWorld>>;

/** The parts of a row a test states literally. */
export const brief = (r: typeof outbox.$inferSelect) => ({
  key: r.dedupeKey,
  to: r.recipientId,
  channel: r.channel,
  template: r.template,
});
