import { defineJob, type JobContext } from "../job";
import { activeUsers, chatMessage, type UserRecipient, userRecipient } from "../recipients";

interface RunState {
  reps: Promise<UserRecipient[]>;
  /** Plan sizes computed for the reps this run, reused for their managers' team line. */
  sizes: Map<string, number>;
}
const runs = new WeakMap<JobContext, RunState>();
const stateOf = (ctx: JobContext) => {
  let s = runs.get(ctx);
  if (!s) {
    s = { reps: activeUsers(ctx.services, ["rep"]), sizes: new Map() };
    runs.set(ctx, s);
  }
  return s;
};

const planSize = async (ctx: JobContext, repId: string) => {
  const { sizes } = stateOf(ctx);
  const known = sizes.get(repId);
  if (known !== undefined) return known;
  const n = (await ctx.services.plans.daily(repId, ctx.date)).items.length;
  sizes.set(repId, n);
  return n;
};

/** 07:30 on working days: each rep's plan with one tap per visit; each manager a team line. */
export const dailyPlanJob = defineJob({
  name: "daily-plan",
  at: { "": "07:30" },
  workingDaysOnly: true,
  prepare: async ({ services }) => ({ proxiesEnded: await services.ownership.expireProxies() }),
  // Reps first, so their managers' team lines reuse the plans just computed.
  recipients: async (ctx) => [
    ...(await stateOf(ctx).reps).map((u) => u.id),
    ...(await activeUsers(ctx.services, ["manager"])).map((u) => u.id),
  ],
  itemFor: async (ctx, userId) => {
    const { services, date } = ctx;
    const user = await userRecipient(services, userId);
    if (!user) return null;
    if (user.role === "rep") {
      const plan = await services.plans.daily(userId, date);
      stateOf(ctx).sizes.set(userId, plan.items.length);
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
    const team = (await stateOf(ctx).reps).filter((r) => r.managerId === userId);
    if (team.length === 0) return { recipientId: userId, messages: [] };
    let visits = 0;
    for (const rep of team) visits += await planSize(ctx, rep.id);
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
