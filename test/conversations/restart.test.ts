import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TurnResult } from "../../src/bot/platform";
import { loadConfig } from "../../src/config";
import { createConversations } from "../../src/conversations";
import { openDatabase } from "../../src/db/client";
import { chatSessions, visits } from "../../src/db/schema";
import { createLogger } from "../../src/lib/log";
import { createServices } from "../../src/services";
import { seedChatWorld, tempDatabase, type WorldIds } from "../helpers/chat";

const run = promisify(execFile);
const NOW = "2026-11-23T02:00:00.000Z"; // Monday 10:00 Shanghai
const tsx = join(process.cwd(), "node_modules/.bin/tsx");
const script = join(process.cwd(), "test/conversations/fixtures/next-answer.ts");

describe("a restart in the middle of a flow", () => {
  let dir: string;
  let url: string;
  let ids: WorldIds;
  let cleanup: () => void;

  beforeEach(async () => {
    const temp = await tempDatabase();
    dir = temp.dir;
    url = `file:${join(dir, "app.db")}`;
    ids = await seedChatWorld(temp.database);
    // The first process: starts a visit and stops at the rating question.
    const services = createServices(temp.database, loadConfig({ NODE_ENV: "test" }, join(dir, "data")), {
      now: () => new Date(NOW),
    });
    const engine = createConversations(services, createLogger("silent"));
    const first = await engine.handle({
      platform: "api",
      eventId: "before-restart",
      userId: ids.rep,
      text: "拜访 协和 王主任 昨天 下周二复访 推广 感冒灵",
    });
    expect(first.session).toMatchObject({ flow: "visit", step: "rating" });
    temp.database.close();
    cleanup = () => temp.cleanup();
  });
  afterEach(() => cleanup());

  /** A new node process over the same database file, sending one message. */
  const nextProcess = async (text: string) => {
    const { stdout } = await run(tsx, [script, ids.rep, text, NOW], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "silent", NODE_ENV: "test" },
      timeout: 60_000,
    });
    return JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      result: TurnResult;
      session: { step: string; flowId: string; state: { data: Record<string, unknown> } };
    };
  };

  it("resumes the same step with the same collected data in a new process", async () => {
    const database = await openDatabase(url);
    const stored = await database.db
      .select()
      .from(chatSessions)
      .where(eq(chatSessions.userId, ids.rep))
      .get();
    database.close();
    const before = (stored!.state as { data: Record<string, unknown> }).data;
    expect(before).toMatchObject({
      customerId: ids.wang,
      date: "2026-11-22",
      followUpOn: "2026-12-01",
      purposes: ["promotion"],
      productIds: [ids.ganmaoling],
    });

    const second = await nextProcess("6");
    expect(second.result.session).toMatchObject({ flow: "visit", step: "confirm", status: "active" });
    // Everything collected before the restart is still there, plus the answer.
    expect(second.session.state.data).toEqual({ ...before, rating: 6 });
    const summary = Object.fromEntries(second.result.replies.at(-1)!.summary!.map((s) => [s.label, s.value]));
    expect(summary).toMatchObject({
      客户: "王建国 · 主任 · 北京协和医院",
      时间: "2026-11-22",
      评级: "6 优先使用",
      产品: "感冒灵颗粒",
      复访日期: "2026-12-01",
    });

    const third = await nextProcess("确认");
    expect(third.result.session.status).toBe("completed");
    const db = await openDatabase(url);
    const rows = await db.db.select().from(visits);
    db.close();
    expect(rows).toMatchObject([
      {
        customerId: ids.wang,
        date: "2026-11-22",
        rating: 6,
        followUpOn: "2026-12-01",
        purposes: ["promotion"],
      },
    ]);
  }, 90_000);
});
