import { and, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { customers, visits } from "../../db/schema";
import { daysBetween } from "../../domain/dates";
import { defineJob } from "../job";
import { activeUsers, chatMessage, userRecipient } from "../recipients";

/**
 * A follow-up promised in a logged visit (not a voided one), due by `date`, not yet done —
 * the daily plan's rule too.
 */
const openFollowUpDue = (date: string) =>
  and(
    sql`${visits.status} = 'logged'`,
    isNotNull(visits.followUpOn),
    isNull(visits.followUpDoneAt),
    lte(visits.followUpOn, date),
  );
/** Customers erased or made inactive drop out of reminders, as out of the daily plan. */
const stillACustomer = [eq(customers.active, true), isNull(customers.erasedAt)];

/** 08:00 and 14:00: follow-ups promised for today or earlier and not yet visited. */
export const followUpRemindersJob = defineJob({
  name: "follow-up-reminders",
  at: { am: "08:00", pm: "14:00" },
  workingDaysOnly: false,
  recipients: async ({ services, date }) => {
    const reps = await activeUsers(services, ["rep", "manager"]);
    const due = await services.database.db
      .selectDistinct({ repId: customers.ownerId })
      .from(visits)
      .innerJoin(customers, eq(customers.id, visits.customerId))
      .where(and(openFollowUpDue(date), ...stillACustomer));
    const dueIds = new Set(due.map((d) => d.repId));
    return reps.filter((r) => dueIds.has(r.id)).map((r) => r.id);
  },
  itemFor: async ({ services, date, slot }, repId) => {
    const user = await userRecipient(services, repId);
    if (!user) return null;
    const { db } = services.database;
    const mine = db.select({ id: customers.id }).from(customers).where(eq(customers.ownerId, repId));
    const rows = await db
      .select({
        customerId: visits.customerId,
        name: customers.name,
        dueOn: visits.followUpOn,
        nextStep: visits.nextStep,
      })
      .from(visits)
      .innerJoin(customers, eq(customers.id, visits.customerId))
      .where(and(inArray(visits.customerId, mine), openFollowUpDue(date), ...stillACustomer))
      .orderBy(visits.followUpOn);
    if (rows.length === 0) return { recipientId: repId, messages: [] };
    const items = rows.map((r) => ({
      customerId: r.customerId,
      name: r.name,
      dueOn: r.dueOn,
      overdueDays: daysBetween(r.dueOn!, date),
      nextStep: r.nextStep,
    }));
    return {
      recipientId: repId,
      messages: [
        chatMessage(
          user,
          "follow_up_reminder",
          { date, items },
          { purpose: "follow-up", subject: repId, date, slot },
        ),
      ],
    };
  },
});
