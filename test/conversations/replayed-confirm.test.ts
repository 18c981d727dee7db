import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatSessions, expenses, visits } from "../../src/db/schema";
import { chatWorld, texts } from "../helpers/chat";

/**
 * A crash between storing the record and saving the session leaves the session at the
 * confirm step; the rep (or the platform) sends the confirmation again.
 */
describe("a confirmation replayed after a crash", () => {
  let w: Awaited<ReturnType<typeof chatWorld>>;
  beforeEach(async () => {
    w = await chatWorld(() => new Date("2026-11-22T02:00:00Z"));
  });
  afterEach(() => w.cleanup());

  const crashAfterComplete = async (userId: string, line: string, confirm: string) => {
    const atConfirm = await w.say(userId, line);
    expect(atConfirm.session.step).toBe("confirm");
    const saved = await w.database.db
      .select()
      .from(chatSessions)
      .where(eq(chatSessions.userId, userId))
      .get();
    const done = await w.say(userId, confirm);
    expect(done.session.status).toBe("completed");
    // The session write is lost: the row goes back to what it was before the confirmation.
    await w.database.db.update(chatSessions).set(saved!).where(eq(chatSessions.userId, userId));
    return w.say(userId, confirm);
  };

  it("stores the visit once and answers as if it had just been saved", async () => {
    const again = await crashAfterComplete(w.ids.rep, "拜访 协和 王主任 昨天 评级6", "确认");
    expect(again.session.status).toBe("completed");
    expect(texts(again)).toContain("已记录");
    expect(await w.database.db.select().from(visits)).toHaveLength(1);
  });

  it("submits the expense once, with one ref", async () => {
    const first = await w.say(w.ids.rep, "报销 餐费 320元 昨天 发票12345678");
    expect(first.session.step).toBe("receipt");
    const again = await crashAfterComplete(w.ids.rep, "跳过", "确认");
    expect(texts(again)).toContain("E1");
    expect((await w.database.db.select().from(expenses)).map((e) => e.ref)).toEqual(["E1"]);
  });
});
