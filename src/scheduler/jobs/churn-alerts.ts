import { and, eq, inArray, isNull } from "drizzle-orm";
import { jsonRows, readJsonRows } from "../../db/json-rows";
import { alerts, customers, users } from "../../db/schema";
import { churnRecipients } from "../../domain/churn/churn";
import type { OutboxMessage } from "../../notify/types";
import { loadChurnSettings, loadChurnUsers } from "../../services/churn-data";
import { defineJob, type JobContext } from "../job";
import { activeUsers, chatMessage, type UserRecipient } from "../recipients";

type Notice = {
  alertId: string;
  customerId: string;
  name: string;
  type: string;
  level: string;
  openedOn: string;
  data: Record<string, unknown>;
};

interface RunNotices {
  byUser: Map<string, Notice[]>;
  recipients: Map<string, UserRecipient>;
}

/** Per run: who hears about which open episode (computed once, read per recipient). */
const noticesByRun = new WeakMap<JobContext, Promise<RunNotices>>();

const notices = (ctx: JobContext) => {
  let run = noticesByRun.get(ctx);
  if (!run) {
    run = readNotices(ctx);
    noticesByRun.set(ctx, run);
  }
  return run;
};

/** What a notice reads of an open episode, its customer and the customer's owner. */
const noticeFields = {
  id: alerts.id,
  customerId: alerts.customerId,
  type: alerts.type,
  level: alerts.level,
  openedOn: alerts.openedOn,
  data: alerts.data,
  name: customers.name,
  ownerId: customers.ownerId,
  managerId: users.managerId,
};

const readNotices = async (ctx: JobContext): Promise<RunNotices> => {
  const { db } = ctx.services.database;
  // Thousands of rows on a first run: read as one JSON value (see jsonRows).
  const rows = await readJsonRows(
    noticeFields,
    db
      .select({ rows: jsonRows(noticeFields) })
      .from(alerts)
      .innerJoin(customers, eq(customers.id, alerts.customerId))
      .innerJoin(users, eq(users.id, customers.ownerId))
      .where(and(isNull(alerts.closedAt), inArray(alerts.type, ["churn_overdue", "churn_decline"]))),
  );
  const settings = await loadChurnSettings(ctx.services.settings);
  const people = await loadChurnUsers(db);
  const byUser = new Map<string, Notice[]>();
  for (const r of rows) {
    const level = r.level === "upgraded" ? "upgraded" : "overdue";
    for (const to of churnRecipients(
      { ownerId: r.ownerId, ownerManagerId: r.managerId },
      r.type === "churn_overdue" ? level : null,
      settings,
      people,
    )) {
      const list = byUser.get(to.userId) ?? [];
      list.push({
        alertId: r.id,
        customerId: r.customerId,
        name: r.name,
        type: r.type,
        level: r.level ?? "overdue",
        openedOn: r.openedOn,
        data: r.data,
      });
      byUser.set(to.userId, list);
    }
  }
  const recipients = new Map(
    (await activeUsers(ctx.services, ["rep", "manager", "finance", "admin"])).map((u) => [u.id, u]),
  );
  return { byUser, recipients };
};

/**
 * 09:00 on working days: opens, upgrades and closes episodes for the date, then tells each
 * recipient about every open episode once per level — the dedupe key carries the episode's
 * start and level, so an episode is not repeated daily and an upgrade is told once.
 */
export const churnAlertsJob = defineJob({
  name: "churn-alerts",
  at: { "": "09:00" },
  workingDaysOnly: true,
  prepare: async ({ services, date }) => {
    const run = await services.churn.evaluate(date);
    return { opened: run.opened.length, upgraded: run.upgraded.length, closed: run.closed };
  },
  recipients: async (ctx) => [...(await notices(ctx)).byUser.keys()].sort(),
  itemFor: async (ctx, userId) => {
    const { byUser, recipients } = await notices(ctx);
    const user = recipients.get(userId);
    if (!user) return null;
    const messages: OutboxMessage[] = (byUser.get(userId) ?? []).map((n) =>
      chatMessage(
        user,
        "churn_alert",
        { customerId: n.customerId, name: n.name, type: n.type, level: n.level, ...n.data },
        {
          purpose: `churn-${n.type === "churn_decline" ? "decline" : "overdue"}`,
          subject: n.customerId,
          date: n.openedOn,
          slot: n.level,
        },
      ),
    );
    return { recipientId: userId, messages };
  },
});
