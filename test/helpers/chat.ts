import { join } from "node:path";
import type { InboundMessage, TurnResult } from "../../src/bot/platform";
import { loadConfig } from "../../src/config";
import { createConversations } from "../../src/conversations";
import { newId, nowIso } from "../../src/db/ids";
import { customers, products, users } from "../../src/db/schema";
import { createLogger } from "../../src/lib/log";
import { createServices } from "../../src/services";
import { tempDatabase } from "./app";

/** A small world: a manager, two reps, hospitals, doctors, a pharmacy and products. */
export const chatWorld = async (now: () => Date) => {
  const temp = await tempDatabase();
  const config = loadConfig({ NODE_ENV: "test" }, join(temp.dir, "data"));
  const services = createServices(temp.database, config, { now });
  const engine = createConversations(services, createLogger("silent"));
  const db = temp.database.db;
  const at = nowIso();
  const user = async (
    name: string,
    role: "manager" | "rep" | "finance" | "admin",
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
    fields: Partial<typeof customers.$inferInsert> & {
      name: string;
      kind: "hospital" | "department" | "doctor" | "pharmacy" | "distributor";
    },
  ) => {
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
  const product = async (name: string, nameEn: string, aliases: string[]) => {
    const id = newId();
    await db
      .insert(products)
      .values({ id, code: id.slice(-6), name, nameEn, aliases, createdAt: at, updatedAt: at });
    return id;
  };
  const ganmaoling = await product("感冒灵颗粒", "Ganmaoling", ["感冒灵"]);
  const vc = await product("维生素C片", "Vitamin C", ["维C"]);
  let n = 0;
  const say = (userId: string, text: string): Promise<TurnResult> =>
    engine.handle({ platform: "api", eventId: `e${++n}`, userId, text });
  const tap = (userId: string, id: string): Promise<TurnResult> =>
    engine.handle({ platform: "api", eventId: `e${++n}`, userId, action: { id } });
  const send = (m: Omit<InboundMessage, "eventId"> & { eventId?: string }) =>
    engine.handle({ eventId: `e${++n}`, ...m });
  return {
    ...temp,
    services,
    engine,
    ids: {
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
      ganmaoling,
      vc,
    },
    say,
    tap,
    send,
  };
};

export const texts = (r: TurnResult) => r.replies.map((x) => x.text).join("\n");
