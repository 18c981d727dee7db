import type { DailyPlanView } from "../../services/plans";
import { defineJob, type JobContext } from "../job";
import { activeUsers, chatMessage, type UserRecipient } from "../recipients";

interface RunState {
  users: Promise<{ reps: UserRecipient[]; managers: UserRecipient[]; byId: Map<string, UserRecipient> }>;
  /** The plans of the current page of reps, read together. */
  plans: Map<string, DailyPlanView>;
  /** Plan sizes computed for the reps this run, reused for their managers' team line. */
  sizes: Map<string, number>;
}
const runs = new WeakMap<JobContext, RunState>();
const stateOf = (ctx: JobContext) => {
  let s = runs.get(ctx);
  if (!s) {
    const users = Promise.all([
      activeUsers(ctx.services, ["rep"]),
      activeUsers(ctx.services, ["manager"]),
    ]).then(([reps, managers]) => ({
      reps,
      managers,
      byId: new Map([...reps, ...managers].map((u) => [u.id, u])),
    }));
    s = { users, plans: new Map(), sizes: new Map() };
    runs.set(ctx, s);
  }
  return s;
};

/** Plan sizes of reps not computed this run (a resumed run whose reps were done before). */
const planSizes = async (ctx: JobContext, repIds: string[]) => {
  const { sizes } = stateOf(ctx);
  const missing = repIds.filter((id) => !sizes.has(id));
  for (const [id, plan] of await ctx.services.plans.dailyMany(missing, ctx.date))
    sizes.set(id, plan.items.length);
  return repIds.reduce((n, id) => n + (sizes.get(id) ?? 0), 0);
};

/** 07:30 on working days: each rep's plan with one tap per visit; each manager a team line. */
export const dailyPlanJob = defineJob({
  name: "daily-plan",
  at: { "": "07:30" },
  workingDaysOnly: true,
  prepare: async ({ services }) => ({ proxiesEnded: await services.ownership.expireProxies() }),
  // Reps first, so their managers' team lines reuse the plans just computed.
  recipients: async (ctx) => {
    const { reps, managers } = await stateOf(ctx).users;
    return [...reps, ...managers].map((u) => u.id);
  },
  preparePage: async (ctx, ids) => {
    const state = stateOf(ctx);
    const { byId } = await state.users;
    state.plans = await ctx.services.plans.dailyMany(
      ids.filter((id) => byId.get(id)?.role === "rep"),
      ctx.date,
    );
  },
  itemFor: async (ctx, userId) => {
    const { date } = ctx;
    const state = stateOf(ctx);
    const { reps, byId } = await state.users;
    const user = byId.get(userId);
    if (!user) return null;
    if (user.role === "rep") {
      const plan = state.plans.get(userId) ?? (await ctx.services.plans.daily(userId, date));
      state.sizes.set(userId, plan.items.length);
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
    const team = reps.filter((r) => r.managerId === userId);
    if (team.length === 0) return { recipientId: userId, messages: [] };
    const visits = await planSizes(
      ctx,
      team.map((r) => r.id),
    );
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
