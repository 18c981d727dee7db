import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, nowIso } from "../../../src/db/ids";
import { generateBindCode } from "../../../src/db/repos/bind-codes";
import { outbox, users } from "../../../src/db/schema";
import { sleep, type WecomWorld, wecomWorld } from "./world";

let w: WecomWorld;
beforeAll(async () => {
  w = await wecomWorld("2026-11-23T02:00:00Z");
});
afterAll(() => w.close());

/** Waits long enough for an answer that must not come. */
const nothingFor = async (c: Parameters<WecomWorld["inbox"]>[0], before: number) => {
  await sleep(150);
  return w.settle(c, before, 30);
};

describe("WeCom identity, strangers and rooms", () => {
  it("a stranger gets one polite refusal and nothing else — no data, not even on a second try", async () => {
    const s = w.contacts.stranger;
    const first = await w.talk(s, "客户 王");
    expect(first).toContain("我还不认识你的账号");
    expect(first).not.toContain("王建国");
    const before = w.inbox(s).length;
    s.say("拜访 协和 王主任").to(w.me);
    s.say("审批").to(w.me);
    expect(await nothingFor(s, before)).toEqual([]);
    const rows = await w.database.db.select().from(outbox).where(eq(outbox.address, s.id));
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0].data)).toEqual(["text"]);
  });

  it("a wrong bind code is refused; a valid one links the contact, who is then answered", async () => {
    const at = nowIso();
    const id = newId();
    await w.database.db
      .insert(users)
      .values({ id, name: "钱新人", role: "rep", locale: "zh-CN", createdAt: at, updatedAt: at });
    const { code } = await generateBindCode(w.database, id, id);
    const newcomer = w.contact("钱新人");
    expect(await w.talk(newcomer, "绑定 ZZZZ9999")).toContain("绑定码无效");
    expect(await w.talk(newcomer, `绑定 ${code.toLowerCase()}`)).toContain("绑定成功，你好 钱新人");
    const [u] = await w.database.db.select().from(users).where(eq(users.id, id));
    expect(u.wecomUserId).toBe(newcomer.id);
    expect(await w.talk(newcomer, "帮助")).toContain("拜访 协和 王主任");
  });

  it("a room message without a mention is ignored; with one, the member is answered 1:1", async () => {
    const rep = w.contacts.rep;
    const room = w.mocker.createRoom({
      topic: "东城组",
      memberIdList: [w.me.id, rep.id, w.contacts.manager.id],
    });
    const roomSaw: string[] = [];
    room.on("message", (m) => {
      if (m.payload.talkerId === w.me.id) roomSaw.push(m.payload.text ?? "");
    });
    const before = w.inbox(rep).length;
    rep.say("客户").to(room);
    expect(await nothingFor(rep, before)).toEqual([]);
    rep.say("@RepMate 客户", [w.me]).to(room);
    const answer = (await w.settle(rep, before)).join("\n");
    expect(answer).toContain("你负责 3 位客户");
    expect(roomSaw).toEqual([]);
  });
});
