import { and, count, countDistinct, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import { alerts, customers, visits } from "../../db/schema";
import { teamMemberIds } from "../../db/team";
import { addDays } from "../../domain/dates";
import { defineJob } from "../job";
import { activeUsers, chatMessage, userRecipient } from "../recipients";

/** Monday 08:30: last week's calls and field days per rep, approvals waiting, open churn alerts. */
export const managerDigestJob = defineJob({
  name: "manager-digest",
  at: { "": "08:30" },
  workingDaysOnly: false,
  weekday: 1,
  recipients: async ({ services }) => (await activeUsers(services, ["manager"])).map((u) => u.id),
  itemFor: async ({ services, date }, managerId) => {
    const user = await userRecipient(services, managerId);
    if (!user) return null;
    const { db } = services.database;
    const team = await teamMemberIds(db, managerId);
    const from = addDays(date, -7);
    const to = addDays(date, -1);
    const reps = team.length
      ? await db
          .select({
            repId: visits.repId,
            calls: count(),
            days: countDistinct(sql`case when ${visits.method} = 'in_person' then ${visits.date} end`),
          })
          .from(visits)
          .where(
            and(
              inArray(visits.repId, team),
              gte(visits.date, from),
              lte(visits.date, to),
              eq(visits.status, "logged"),
            ),
          )
          .groupBy(visits.repId)
      : [];
    const people = (await activeUsers(services, ["rep", "manager"])).filter(
      (u) => team.includes(u.id) && u.role === "rep",
    );
    const openChurn = team.length
      ? ((
          await db
            .select({ n: count() })
            .from(alerts)
            .innerJoin(customers, eq(customers.id, alerts.customerId))
            .where(
              and(
                isNull(alerts.closedAt),
                inArray(alerts.type, ["churn_overdue", "churn_decline"]),
                inArray(customers.ownerId, team),
              ),
            )
            .get()
        )?.n ?? 0)
      : 0;
    const approvalsWaiting = (await services.approvals.pendingFor(managerId)).length;
    const rows = people.map((p) => {
      const r = reps.find((x) => x.repId === p.id);
      return { name: p.name, calls: r?.calls ?? 0, days: r?.days ?? 0 };
    });
    return {
      recipientId: managerId,
      messages: [
        chatMessage(
          user,
          "manager_digest",
          { from, to, reps: rows, approvalsWaiting, openChurn },
          { purpose: "manager-digest", subject: managerId, date },
        ),
      ],
    };
  },
});
