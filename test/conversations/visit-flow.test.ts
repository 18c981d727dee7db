import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { visits } from "../../src/db/schema";
import { chatWorld, texts } from "../helpers/chat";

const clock = { t: Date.parse("2026-11-22T02:00:00Z") }; // Sunday 10:00 Shanghai

describe("visit flow", () => {
  let w: Awaited<ReturnType<typeof chatWorld>>;
  beforeEach(async () => {
    clock.t = Date.parse("2026-11-22T02:00:00Z");
    w = await chatWorld(() => new Date(clock.t));
  });
  afterEach(() => w.cleanup());

  it("logs a visit from one complete line in two messages", async () => {
    const first = await w.say(w.ids.rep, "拜访 协和 王主任 昨天 评级6 下周二复访");
    expect(first.session).toMatchObject({ flow: "visit", step: "confirm", status: "active" });
    expect(first.replies[0].summary?.map((s) => s.value)).toContain("2026-11-21");
    const done = await w.say(w.ids.rep, "确认");
    expect(done.session.status).toBe("completed");
    expect(texts(done)).toContain("2026-11-24");
    const [v] = await w.database.db.select().from(visits);
    expect(v).toMatchObject({
      customerId: w.ids.wang,
      date: "2026-11-21",
      rating: 6,
      followUpOn: "2026-11-24",
      timeKnown: false,
      method: "in_person",
    });
  });
});

describe("the confirm step", () => {
  it("understands 确认 from a user who switched to English, and confirm from a Chinese user", async () => {
    const w = await chatWorld(() => new Date("2026-11-22T02:00:00Z"));
    await w.say(w.ids.rep, "English");
    await w.say(w.ids.rep, "拜访 协和 王主任 昨天 评级6");
    const done = await w.say(w.ids.rep, "确认");
    expect(done.session.status).toBe("completed");
    await w.say(w.ids.rep, "中文");
    await w.say(w.ids.rep, "拜访 协和 王主任 今天 评级5");
    const again = await w.say(w.ids.rep, "confirm");
    expect(again.session.status).toBe("completed");
    expect(await w.database.db.select().from(visits)).toHaveLength(2);
    w.cleanup();
  });
});
