import type { Reply } from "../bot/platform";
import type { translator } from "../conversations/messages";

type T = ReturnType<typeof translator>;
type Data = Record<string, unknown>;
const list = (v: unknown) => (Array.isArray(v) ? (v as Data[]) : []);
const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

const dailyPlan = (d: Data, t: T): Reply => {
  const items = list(d.items);
  if (!items.length) return { text: t("job.daily_plan_empty", { date: str(d.date) }) };
  const planIds = (d.planIds ?? {}) as Record<string, string>;
  const lines = items.map((i, n) =>
    t("plan.item", {
      n: n + 1,
      slot: t(`plan.slot.${str(i.slot)}`),
      name: str(i.name),
      cls: str(i.className) || "-",
      reasons: list(i.reasons).length
        ? `，${(i.reasons as string[]).map((r) => t(`plan.reason.${r}`)).join("、")}`
        : "",
    }),
  );
  return {
    text: [
      t("job.daily_plan_title", { date: str(d.date), count: items.length }),
      ...lines,
      t("plan.log_hint"),
    ].join("\n"),
    choices: items.map((i) => {
      const plan = planIds[str(i.customerId)];
      return {
        id: `start:visit:${str(i.customerId)}${plan ? `:${plan}` : ""}`,
        label: t("plan.log", { name: str(i.name) }).slice(0, 75),
      };
    }),
  };
};

const followUps = (d: Data, t: T): Reply => {
  const items = list(d.items);
  return {
    text: [
      t("job.follow_up_title", { count: items.length }),
      ...items.map((i, n) =>
        t("job.follow_up_item", {
          n: n + 1,
          name: str(i.name),
          due: str(i.dueOn),
          overdue: Number(i.overdueDays) > 0 ? t("job.overdue_days", { days: Number(i.overdueDays) }) : "",
          next: str(i.nextStep),
        }).trim(),
      ),
    ].join("\n"),
    choices: items.slice(0, 25).map((i) => ({
      id: `start:visit:${str(i.customerId)}`,
      label: t("plan.log", { name: str(i.name) }).slice(0, 75),
    })),
  };
};

/** The scheduler's chat messages by template name. */
export const jobTemplates: Record<string, (d: Data, t: T) => Reply> = {
  daily_plan: dailyPlan,
  team_plan: (d, t) => ({
    text: t("job.team_plan", { date: str(d.date), reps: Number(d.reps), visits: Number(d.visits) }),
  }),
  follow_up_reminder: followUps,
};
