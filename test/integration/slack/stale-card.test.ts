import type { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSlackChannel } from "../../../src/bot/slack/channel";
import { newId, nowIso } from "../../../src/db/ids";
import { approvals, users } from "../../../src/db/schema";
import { createLogger } from "../../../src/lib/log";
import type { OutboxRow } from "../../../src/notify/types";
import { createChatCardService } from "../../../src/services/chat-cards";
import { tempDatabase } from "../../helpers/app";

/** Records what would reach Slack; answers like chat.postMessage does. */
const recordingWeb = () => {
  const posted: unknown[] = [];
  const web = {
    chat: {
      postMessage: async (args: unknown) => {
        posted.push(args);
        return { ok: true, ts: "1.1", channel: "DMGR" };
      },
    },
  };
  return { web: web as unknown as WebClient, posted };
};

describe("Slack approval cards queued before a decision", () => {
  let t: Awaited<ReturnType<typeof tempDatabase>>;
  beforeEach(async () => {
    t = await tempDatabase();
  });
  afterEach(() => t.cleanup());

  const card = (approvalId: string): OutboxRow =>
    ({
      id: newId(),
      channel: "slack",
      recipientType: "user",
      recipientId: "mgr",
      address: "DMGR",
      template: "approval_request",
      locale: "zh-CN",
      data: {
        approvalId,
        expenseId: "exp",
        ref: "E1",
        amountCny: 10,
        kind: "reimbursement",
        category: "meals",
      },
      status: "sending",
    }) as unknown as OutboxRow;

  it("posts the card while the approval is pending and skips it once decided elsewhere", async () => {
    const at = nowIso();
    await t.database.db
      .insert(users)
      .values({ id: "mgr", name: "李经理", role: "manager", createdAt: at, updatedAt: at });
    const base = {
      subjectType: "expense" as const,
      subjectId: "exp",
      subjectRef: "E1",
      approverId: "mgr",
      createdAt: at,
    };
    await t.database.db.insert(approvals).values([
      { ...base, id: "a-open", level: 1, status: "pending" },
      {
        ...base,
        id: "a-done",
        level: 2,
        status: "approved",
        decidedAt: at,
        decidedBy: "mgr",
        decidedVia: "wecom",
      },
    ]);
    const { web, posted } = recordingWeb();
    const channel = createSlackChannel({
      web,
      cards: createChatCardService({ database: t.database, now: () => new Date() }),
      log: createLogger("silent"),
      minGapMs: 0,
    });
    expect(await channel.send(card("a-open"))).toMatchObject({ ok: true, providerRef: { ts: "1.1" } });
    expect(posted).toHaveLength(1);
    expect(await channel.send(card("a-done"))).toMatchObject({
      ok: true,
      providerRef: { skipped: expect.any(String) },
    });
    expect(posted).toHaveLength(1);
  });
});
