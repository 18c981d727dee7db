import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { InboundMessage, TurnResult } from "../../src/bot/platform";
import { loadConfig } from "../../src/config";
import { createConversations } from "../../src/conversations";
import { createEngine } from "../../src/conversations/engine";
import type { Flow } from "../../src/conversations/flow";
import type { Database } from "../../src/db/client";
import { openDatabase } from "../../src/db/client";
import { newId, nowIso } from "../../src/db/ids";
import {
  budgets,
  chatSessions,
  customers,
  products,
  purchases,
  users,
  visitPlans,
} from "../../src/db/schema";
import { createLogger } from "../../src/lib/log";
import { createServices } from "../../src/services";

/**
 * A fresh database file, in RAM when the machine has /dev/shm (the same libSQL file engine;
 * the fuzz test's 10,000 turns are I/O-bound on a busy disk).
 */
export const tempDatabase = async () => {
  const dir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "repmate-chat-"));
  const database = await openDatabase(`file:${join(dir, "app.db")}`);
  return {
    dir,
    database,
    cleanup: () => {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

type Kind = "hospital" | "department" | "doctor" | "pharmacy" | "distributor";
type Role = "manager" | "rep" | "finance" | "admin";

/**
 * The people, customers and products a conversation test needs, written straight into a
 * database (used by the in-process world below and by the restart/CLI tests on a file).
 * A copy of test/helpers/chat.ts's world plus more customers and products, a distributor
 * with purchases in and out, and budgets.
 */
export const seedChatWorld = async (database: Database) => {
  const db = database.db;
  const at = nowIso();
  const user = async (
    name: string,
    role: Role,
    managerId: string | null = null,
    locale: "zh-CN" | "en" = "zh-CN",
  ) => {
    const id = newId();
    await db.insert(users).values({ id, name, role, managerId, locale, createdAt: at, updatedAt: at });
    return id;
  };
  const regional = await user("赵大区", "manager");
  const manager = await user("李经理", "manager", regional);
  const finance = await user("钱财务", "finance");
  const rep = await user("王小明", "rep", manager);
  const repEn = await user("Tom Lee", "rep", manager, "en");
  const customer = async (
    fields: Partial<typeof customers.$inferInsert> & { name: string; kind: Kind },
  ): Promise<string> => {
    const id = newId();
    await db
      .insert(customers)
      .values({ id, code: id.slice(-8), ownerId: rep, createdAt: at, updatedAt: at, ...fields });
    return id;
  };
  const xiehe = await customer({
    name: "北京协和医院",
    kind: "hospital",
    area: "东城",
    beds: 2000,
    dailyOutpatients: 10000,
  });
  const union = await customer({
    name: "Union Hospital",
    kind: "hospital",
    ownerId: repEn,
    area: "Dongcheng",
  });
  const wang = await customer({ name: "王建国", kind: "doctor", parentId: xiehe, title: "主任" });
  const wang2 = await customer({ name: "王芳", kind: "doctor", parentId: xiehe, title: "主治医师" });
  const li = await customer({ name: "李明", kind: "doctor", parentId: xiehe, title: "主任" });
  const drWang = await customer({
    name: "Wang Wei",
    kind: "doctor",
    parentId: union,
    ownerId: repEn,
    title: "Director",
  });
  const store = await customer({ name: "康美大药房", kind: "pharmacy", area: "东城" });
  // Added for the one-line and flow tests.
  const renmin = await customer({ name: "北京人民医院", kind: "hospital", area: "西城" });
  const zhao = await customer({ name: "赵丽", kind: "doctor", parentId: renmin, title: "副主任医师" });
  const chen = await customer({ name: "陈静", kind: "doctor", parentId: renmin, title: "主任" });
  const drChen = await customer({
    name: "Chen Jie",
    kind: "doctor",
    parentId: union,
    ownerId: repEn,
    title: "Attending",
  });
  const guardian = await customer({ name: "Guardian Pharmacy", kind: "pharmacy", ownerId: repEn });
  const distributor = await customer({ name: "九州通医药", kind: "distributor", area: "大兴" });
  const laobaixing = await customer({ name: "老百姓大药房", kind: "pharmacy", area: "朝阳" });
  const product = async (name: string, nameEn: string, aliases: string[]) => {
    const id = newId();
    await db
      .insert(products)
      .values({ id, code: id.slice(-6), name, nameEn, aliases, createdAt: at, updatedAt: at });
    return id;
  };
  const ganmaoling = await product("感冒灵颗粒", "Ganmaoling", ["感冒灵"]);
  const vc = await product("维生素C片", "Vitamin C", ["维C"]);
  const amoxi = await product("阿莫西林胶囊", "Amoxicillin", ["阿莫西林"]);
  return {
    regional,
    manager,
    finance,
    rep,
    repEn,
    xiehe,
    union,
    wang,
    wang2,
    li,
    drWang,
    store,
    renmin,
    zhao,
    chen,
    drChen,
    guardian,
    distributor,
    laobaixing,
    ganmaoling,
    vc,
    amoxi,
  };
};

export type WorldIds = Awaited<ReturnType<typeof seedChatWorld>>;

/** A chat world on a temp-file database with the real services and the real conversations. */
export const chatWorld = async (now: () => Date, opts: { log?: Logger } = {}) => {
  const temp = await tempDatabase();
  const config = loadConfig({ NODE_ENV: "test" }, join(temp.dir, "data"));
  const services = createServices(temp.database, config, { now });
  const log = opts.log ?? createLogger("silent");
  const engine = createConversations(services, log);
  const ids = await seedChatWorld(temp.database);
  const db = temp.database.db;
  let n = 0;
  const eventId = () => `e${++n}`;
  const on = (e: { handle: (m: InboundMessage) => Promise<TurnResult> }) => ({
    say: (userId: string, text: string) => e.handle({ platform: "api", eventId: eventId(), userId, text }),
    tap: (userId: string, id: string) =>
      e.handle({ platform: "api", eventId: eventId(), userId, action: { id } }),
  });
  const { say, tap } = on(engine);
  const send = (m: Omit<InboundMessage, "eventId"> & { eventId?: string }) =>
    engine.handle({ eventId: eventId(), ...m });

  /** The session row as stored: flow, step and the collected data. */
  const session = async (userId: string) => {
    const row = await db.select().from(chatSessions).where(eq(chatSessions.userId, userId)).get();
    const state = (row?.state ?? {}) as { data?: Record<string, unknown> };
    return { ...row, data: state.data ?? {} };
  };

  /**
   * Another engine over the same database with the given flows (a flow whose definition
   * version changed, say); no commands or global actions.
   */
  const otherEngine = (flows: Flow<Record<string, unknown>>[]) => {
    const e = createEngine({ services, log, flows, commands: {}, actions: async () => null });
    return { engine: e, ...on(e) };
  };

  const budget = async (userId: string, month: string, category: string, amountCny: number) => {
    const t = nowIso();
    await db.insert(budgets).values({
      id: newId(),
      repId: userId,
      month,
      category: category as "meals",
      amountCny,
      createdAt: t,
      updatedAt: t,
    });
  };

  const purchase = async (p: {
    sellerId: string | null;
    buyerId: string;
    productId: string;
    date: string;
    quantity: number;
  }) => {
    const t = nowIso();
    const id = newId();
    await db.insert(purchases).values({
      id,
      ...p,
      amountCny: 0,
      source: "manual",
      naturalKey: id,
      createdAt: t,
      updatedAt: t,
    });
  };

  const plan = async (repId: string, customerId: string, date: string) => {
    const t = nowIso();
    const id = newId();
    await db
      .insert(visitPlans)
      .values({ id, repId, customerId, date, slot: "am", status: "normal", createdAt: t, updatedAt: t });
    return id;
  };

  return { ...temp, services, engine, ids, say, tap, send, session, otherEngine, budget, purchase, plan };
};

export type ChatWorld = Awaited<ReturnType<typeof chatWorld>>;

export const texts = (r: TurnResult) => r.replies.map((x) => x.text).join("\n");
export const summaryOf = (r: TurnResult) =>
  Object.fromEntries((r.replies.at(-1)?.summary ?? []).map((s) => [s.label, s.value]));
export const choicesOf = (r: TurnResult) => r.replies.at(-1)?.choices ?? [];
