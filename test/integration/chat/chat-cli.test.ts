import { spawn } from "node:child_process";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client";
import { newId, nowIso } from "../../../src/db/ids";
import { apiTokens, approvals, expenses, visits } from "../../../src/db/schema";
import { localDate } from "../../../src/domain/dates";
import { generateToken, hashToken } from "../../../src/lib/secrets";
import { createUser, startTestServer, type TestServer } from "../../helpers/app";
import { seedChatWorld, tempDatabase, type WorldIds } from "../../helpers/chat";

const root = process.cwd();
const tsx = join(root, "node_modules/.bin/tsx");

/** Runs `npm run chat -- --as <who>` (tsx src/cli/chat.ts) in a temp directory, feeding lines one by one. */
const chatCli = (url: string, cwd: string, who: string, lines: string[]) =>
  new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(tsx, [join(root, "src/cli/chat.ts"), "--as", who], {
      cwd,
      env: { ...process.env, DATABASE_URL: url, NODE_ENV: "test", LOG_LEVEL: "silent" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = 0;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`chat CLI timed out; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
    }, 60_000);
    // Like a person at a terminal: type the next line once the prompt "> " is back.
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const prompts = stdout.split("> ").length - 1;
      while (sent < lines.length && prompts > sent) child.stdin.write(`${lines[sent++]}\n`);
      if (sent === lines.length && prompts > sent) child.stdin.end();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });

describe("npm run chat in a real terminal", () => {
  let temp: Awaited<ReturnType<typeof tempDatabase>>;
  let ids: WorldIds;
  beforeEach(async () => {
    temp = await tempDatabase();
    ids = await seedChatWorld(temp.database);
    temp.database.close();
  });
  afterEach(() => temp.cleanup());

  it("shows the plan, reads a one-line visit, confirms with 1 and stores the visit", async () => {
    const url = `file:${join(temp.dir, "app.db")}`;
    const out = await chatCli(url, temp.dir, "王小明", [
      "计划",
      "拜访 协和 王主任 今天 评级6 推广 感冒灵",
      "1",
    ]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("Chatting as 王小明 (rep)");
    // Today's plan, or the day off message on a weekend or holiday.
    expect(out.stdout).toMatch(/的拜访计划（\d+ 位）|是休息日/);
    expect(out.stdout).toContain("请确认拜访记录：");
    expect(out.stdout).toContain("  客户：王建国 · 主任 · 北京协和医院");
    expect(out.stdout).toContain("  评级：6 优先使用");
    expect(out.stdout).toMatch(/ {2}1\) 确认\n {2}2\) 修改\n {2}3\) 取消/);
    expect(out.stdout).toContain("✅ 已记录：王建国 · 主任 · 北京协和医院");
    const { openDatabase } = await import("../../../src/db/client");
    const db = await openDatabase(url);
    const rows = await db.db.select().from(visits);
    db.close();
    expect(rows).toMatchObject([
      {
        repId: ids.rep,
        customerId: ids.wang,
        rating: 6,
        purposes: ["promotion"],
        date: localDate(new Date(), "Asia/Shanghai"),
        via: "console",
      },
    ]);
  }, 90_000);

  it("refuses an unknown user with a hint and a non-zero exit", async () => {
    const url = `file:${join(temp.dir, "app.db")}`;
    const out = await chatCli(url, temp.dir, "nobody", []);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('no user "nobody"');
  }, 60_000);
});

const tokenFor = async (database: Database, userId: string) => {
  const token = generateToken();
  await database.db
    .insert(apiTokens)
    .values({ id: newId(), userId, tokenHash: hashToken(token), createdAt: nowIso() });
  return token;
};

describe("POST /api/chat over real HTTP", () => {
  let server: TestServer;
  let ids: WorldIds;
  let tokens: Record<"rep" | "manager" | "repEn", string>;
  let n = 0;
  beforeEach(async () => {
    server = await startTestServer({}, { now: () => new Date("2026-11-23T02:00:00Z") }); // Monday 10:00
    ids = await seedChatWorld(server.database);
    tokens = {
      rep: await tokenFor(server.database, ids.rep),
      manager: await tokenFor(server.database, ids.manager),
      repEn: await tokenFor(server.database, ids.repEn),
    };
  });
  afterEach(() => server.close());

  const chat = (token: string, body: Record<string, unknown>) =>
    server.request("POST", "/api/chat", token, { eventId: `http-${++n}`, ...body });
  const textOf = (body: any) => body.replies.map((r: any) => r.text).join("\n");

  it("answers a repeated eventId with the first answer and does the work once", async () => {
    const first = await chat(tokens.rep, { eventId: "wx-1", text: "拜访 协和 王主任 昨天 评级6" });
    expect(first.status).toBe(200);
    expect(first.body.session).toEqual({ flow: "visit", step: "confirm", status: "active" });
    const again = await chat(tokens.rep, { eventId: "wx-1", text: "拜访 协和 王主任 昨天 评级6" });
    expect(again.status).toBe(200);
    expect(again.body.replies).toEqual(first.body.replies);
    expect(again.body.session).toEqual(first.body.session);
    const done = await chat(tokens.rep, { eventId: "wx-2", text: "确认" });
    const redelivered = await chat(tokens.rep, { eventId: "wx-2", text: "确认" });
    expect(done.body.session.status).toBe("completed");
    expect(redelivered.body.replies).toEqual(done.body.replies);
    expect(await server.database.db.select().from(visits)).toHaveLength(1);
  });

  it("carries console messages in pending: the requester sees the manager's rejection on the next call", async () => {
    await chat(tokens.rep, { text: "报销 餐费 320元 昨天 发票12345678" });
    await chat(tokens.rep, { text: "跳过" });
    const submitted = await chat(tokens.rep, { text: "确认" });
    expect(textOf(submitted.body)).toContain("E1");
    await server.composition.outbox.drain();
    // The manager was told on the console channel, and decides by text.
    const list = await chat(tokens.manager, { text: "审批" });
    expect(list.body.pending.map((p: any) => p.template)).toContain("approval_request");
    expect(textOf(list.body)).toContain("E1");
    // A rejection is final at once (an approval at level 1 still waits for level 2).
    const decided = await chat(tokens.manager, { text: "驳回E1 发票抬头不对" });
    expect(textOf(decided.body)).toContain("已驳回 E1");
    await server.composition.outbox.drain();
    const next = await chat(tokens.rep, { text: "帮助" });
    expect(next.status).toBe(200);
    const result = next.body.pending.find((p: any) => p.template === "approval_result");
    expect(result).toBeDefined();
    expect(result.text).toContain("E1");
    expect(result.text).toContain("发票抬头不对");
    // Delivered once: the call after that has nothing pending.
    expect((await chat(tokens.rep, { text: "帮助" })).body.pending).toEqual([]);
  });

  it("answers an action id that was not offered with the current prompt again, never a 4xx", async () => {
    await chat(tokens.rep, { text: "拜访 王主任" });
    const rating = await chat(tokens.rep, { action: { id: "d:2026-11-22" } });
    expect(rating.body.session.step).toBe("rating");
    for (const id of [
      "d:2026-11-20",
      "c:someone-else",
      "r:99",
      "💥",
      "approval:approve:nope",
      "x".repeat(1500),
    ]) {
      const r = await chat(tokens.rep, { action: { id } });
      expect(r.status).toBe(200);
      expect(r.body.session).toEqual({ flow: "visit", step: "rating", status: "active" });
      expect(r.body.replies.length).toBeGreaterThan(0);
    }
    const stale = await chat(tokens.rep, { action: { id: "d:2026-11-20" } });
    expect(textOf(stale.body)).toContain("那个选项已过期");
    expect(stale.body.replies.at(-1).choices.map((c: any) => c.id)).toContain("r:6");
    expect(await server.database.db.select().from(visits)).toHaveLength(0);
  });

  it("lets an admin try flows as another user but never decide that user's approvals", async () => {
    const admin = await createUser(server.database, { name: "管理员", role: "admin" });
    await chat(tokens.rep, { text: "报销 餐费 320元 昨天 发票12345678" });
    await chat(tokens.rep, { text: "跳过" });
    await chat(tokens.rep, { text: "确认" });
    const tried = await chat(admin.token, { userId: ids.rep, text: "拜访 王主任 昨天" });
    expect(tried.status).toBe(200);
    expect(tried.body.session).toMatchObject({ flow: "visit", step: "rating" });
    const byText = await chat(admin.token, { userId: ids.manager, text: "同意 E1" });
    expect(byText.status).toBe(200);
    expect(textOf(byText.body)).toContain("审批只能由审批人本人操作");
    const [approval] = await server.database.db.select().from(approvals).where(eq(approvals.level, 1));
    const byButton = await chat(admin.token, {
      userId: ids.manager,
      action: { id: `approval:approve:${approval.id}` },
    });
    expect(byButton.status).toBe(200);
    expect(textOf(byButton.body)).toContain("审批只能由审批人本人操作");
    const [still] = await server.database.db.select().from(approvals).where(eq(approvals.id, approval.id));
    expect(still.status).toBe("pending");
    expect((await server.database.db.select().from(expenses))[0].status).toBe("pending");
    // A rep's token cannot speak for someone else at all.
    const other = await chat(tokens.repEn, { userId: ids.manager, text: "同意 E1" });
    expect(other.status).toBe(403);
  });
});
