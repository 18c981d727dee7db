import { defineJob } from "../job";
import { activeUsers, chatMessage, userRecipient } from "../recipients";

/** 07:30 on working days: each rep's plan with one tap per visit; each manager a team line. */
export const dailyPlanJob = defineJob({
  name: "daily-plan",
  at: { "": "07:30" },
  workingDaysOnly: true,
  prepare: async ({ services }) => ({ proxiesEnded: await services.ownership.expireProxies() }),
  recipients: async ({ services }) => (await activeUsers(services, ["rep", "manager"])).map((u) => u.id),
  itemFor: async ({ services, date }, userId) => {
    const user = await userRecipient(services, userId);
    if (!user) return null;
    if (user.role === "rep") {
      const plan = await services.plans.daily(userId, date);
      const items = plan.items.map((i) => ({
        customerId: i.customerId,
        name: i.name,
        slot: i.slot,
        reasons: i.reasons,
        className: i.className,
      }));
      const planIds = Object.fromEntries(plan.planned.map((p) => [p.customerId, p.id]));
      return {
        recipientId: userId,
        messages: [
          chatMessage(
            user,
            "daily_plan",
            { date, items, planIds },
            { purpose: "daily-plan", subject: userId, date },
          ),
        ],
      };
    }
    const team = (await activeUsers(services, ["rep"])).filter((r) => r.managerId === userId);
    if (team.length === 0) return { recipientId: userId, messages: [] };
    let visits = 0;
    for (const rep of team) visits += (await services.plans.daily(rep.id, date)).items.length;
    return {
      recipientId: userId,
      messages: [
        chatMessage(
          user,
          "team_plan",
          { date, reps: team.length, visits },
          { purpose: "team-plan", subject: userId, date },
        ),
      ],
    };
  },
});
