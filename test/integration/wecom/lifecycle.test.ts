import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../../src/db/schema";
import { sleep, type WecomWorld, wecomWorld } from "./world";

let w: WecomWorld;
beforeAll(async () => {
  w = await wecomWorld("2026-11-23T02:00:00Z");
});
afterAll(() => w.close());

const until = async (ok: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await sleep(5);
  return ok();
};

describe("WeCom bot lifecycle", () => {
  it("reports 'on' in /api/health once logged in", async () => {
    expect((await w.health()).platforms.wecom).toBe("on");
  });

  it("a puppet error is reported, the API stays up, a reply waits in the outbox, and the bot comes back", async () => {
    w.puppet.emit("error", { data: "grpc stream broke" });
    expect(w.wecom.status()).toBe("error");
    const health = await fetch(`${w.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { platforms: Record<string, string> }).platforms.wecom).toBe("error");

    await w.app.outbox.enqueue([
      {
        channel: "wecom",
        recipientType: "user",
        recipientId: w.ids.rep,
        template: "chat_reply",
        locale: "zh-CN",
        data: { text: "稍后送达" },
        dedupeKey: "while-down:1",
      },
    ]);
    await w.app.outbox.drain();
    const [row] = await w.database.db.select().from(outbox).where(eq(outbox.dedupeKey, "while-down:1"));
    expect(row.status).toBe("retrying");

    await sleep(100); // the backoff (20 ms in this world) has run: stop, start, waiting for login
    await w.login();
    expect((await w.health()).platforms.wecom).toBe("on");
    w.clock.t += 10 * 60_000;
    const before = w.inbox(w.contacts.rep).length;
    expect(await w.settle(w.contacts.rep, before)).toEqual(["稍后送达"]);
  });

  it("a logout is reported and followed by a restart; after the next login the bot answers again", async () => {
    await w.puppet.logout();
    expect(await until(() => w.wecom.status() === "error")).toBe(true);
    expect((await w.health()).platforms.wecom).toBe("error");
    await sleep(100);
    await w.login();
    expect(w.wecom.status()).toBe("on");
    expect(await w.talk(w.contacts.rep, "帮助")).toContain("拜访 协和 王主任");
  });

  it("restarts back off while the puppet keeps failing, and stop() turns it off", async () => {
    w.puppet.emit("error", { data: "again" });
    w.puppet.emit("error", { data: "and again" });
    expect(w.wecom.status()).toBe("error");
    expect((await fetch(`${w.url}/api/health`)).status).toBe(200);
    await sleep(100);
    await w.login();
    expect(w.wecom.status()).toBe("on");
    await w.wecom.stop();
    expect(w.wecom.status()).toBe("off");
    expect((await w.health()).platforms.wecom).toBe("off");
  });
});
