import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { FileBox } from "file-box";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { wecomPlatformWith } from "../../../src/bot/wecom";
import { compose } from "../../../src/compose";
import { loadConfig } from "../../../src/config";
import { newId, nowIso } from "../../../src/db/ids";
import { customers, products, users } from "../../../src/db/schema";
import { createLogger } from "../../../src/lib/log";
import { tempDatabase } from "../../helpers/app";

type Contact = ReturnType<mock.Mocker["createContact"]>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The real composition with the WeCom platform on a mock puppet, a fake clock, the HTTP app
 * on a random port, and a small team: a regional manager, a manager, reps in zh-CN and en,
 * each with a mock contact whose id is their wecomUserId.
 */
export const wecomWorld = async (start: string) => {
  const clock = { t: Date.parse(start) };
  const now = () => new Date(clock.t);
  const temp = await tempDatabase();
  const config = loadConfig(
    { NODE_ENV: "test", LOG_LEVEL: "silent", WECHATY_PUPPET: "wechaty-puppet-mock" },
    join(temp.dir, "data"),
  );
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const factory = wecomPlatformWith(puppet, { backoff: { initialMs: 20, maxMs: 200 }, timeoutMs: 5_000 });
  const app = compose(config, temp.database, createLogger("silent"), { now, platforms: [factory] });
  const server = serve({ fetch: app.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const wecom = app.modules[0];

  const me = mocker.createContact({ name: "RepMate" });
  const login = async () => {
    const done = new Promise<void>((r) => {
      const check = setInterval(() => {
        if (wecom.status() === "on") {
          clearInterval(check);
          r();
        }
      }, 5);
    });
    mocker.login(me);
    await done;
  };
  await wecom.start();
  await login();

  /** What the bot said to each contact, in order. */
  const inboxes = new Map<string, string[]>();
  const contact = (name: string) => {
    const c = mocker.createContact({ name });
    const box: string[] = [];
    inboxes.set(c.id, box);
    c.on("message", (m) => {
      if (m.payload.talkerId === me.id && !("roomId" in m.payload && m.payload.roomId))
        box.push(m.payload.text ?? "");
    });
    return c;
  };
  const inbox = (c: Contact) => inboxes.get(c.id) ?? [];

  const at = nowIso();
  const db = temp.database.db;
  const user = async (
    name: string,
    role: "manager" | "rep",
    managerId: string | null,
    locale: "zh-CN" | "en",
    wecomUserId: string | null,
  ) => {
    const id = newId();
    await db
      .insert(users)
      .values({ id, name, role, managerId, locale, wecomUserId, createdAt: at, updatedAt: at });
    return id;
  };
  const c = {
    regional: contact("赵大区"),
    manager: contact("李经理"),
    rep: contact("王小明"),
    repEn: contact("Tom Lee"),
    stranger: contact("陌生人"),
  };
  const regional = await user("赵大区", "manager", null, "zh-CN", c.regional.id);
  const manager = await user("李经理", "manager", regional, "zh-CN", c.manager.id);
  const rep = await user("王小明", "rep", manager, "zh-CN", c.rep.id);
  const repEn = await user("Tom Lee", "rep", manager, "en", c.repEn.id);
  const customer = async (
    fields: Partial<typeof customers.$inferInsert> & {
      name: string;
      kind: "hospital" | "doctor" | "pharmacy";
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
    beds: 2000,
    dailyOutpatients: 10000,
  });
  const wang = await customer({ name: "王建国", kind: "doctor", parentId: xiehe, title: "主任" });
  const store = await customer({ name: "康美大药房", kind: "pharmacy" });
  for (const [name, nameEn, alias] of [
    ["感冒灵颗粒", "Ganmaoling", "感冒灵"],
    ["维生素C片", "Vitamin C", "维C"],
  ]) {
    await db.insert(products).values({
      id: newId(),
      code: newId().slice(-6),
      name,
      nameEn,
      aliases: [alias],
      createdAt: at,
      updatedAt: at,
    });
  }

  /** Lets the bot handle what was said and the outbox deliver it; returns what arrived since. */
  const settle = async (from: Contact, before: number, quietMs = 60) => {
    let seen = -1;
    let quietSince = Date.now();
    for (let i = 0; i < 200; i++) {
      await sleep(10);
      await app.outbox.drain();
      const n = inbox(from).length;
      if (n !== seen) {
        seen = n;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs && n > before) break;
      else if (Date.now() - quietSince >= quietMs * 4) break;
    }
    return inbox(from).slice(before);
  };

  /** A contact writes to the bot; the bot's answer (possibly several messages) comes back. */
  const talk = async (from: Contact, something: string | FileBox) => {
    clock.t += 10_000;
    const before = inbox(from).length;
    from.say(something).to(me);
    return (await settle(from, before)).join("\n");
  };

  const image = (name = "receipt.jpg") =>
    FileBox.fromBase64(
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]).toString("base64"),
      name,
    );

  const health = async () =>
    (await (await fetch(`${url}/api/health`)).json()) as { platforms: Record<string, string> };

  return {
    ...temp,
    app,
    wecom,
    mocker,
    puppet,
    me,
    clock,
    contacts: c,
    ids: { regional, manager, rep, repEn, xiehe, wang, store },
    contact,
    inbox,
    talk,
    settle,
    login,
    image,
    health,
    url,
    close: async () => {
      await wecom.stop();
      await app.outbox.stop();
      await new Promise<void>((r) => server.close(() => r()));
      temp.cleanup();
    },
  };
};

export type WecomWorld = Awaited<ReturnType<typeof wecomWorld>>;
export { sleep };
