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

const churnAlert = (d: Data, t: T): Reply => {
  const name = str(d.name);
  const key =
    d.type === "churn_decline"
      ? "job.churn_decline"
      : d.level === "upgraded"
        ? "job.churn_upgraded"
        : "job.churn_overdue";
  const previous = Number(d.previous90Cny ?? 0);
  const last = Number(d.last90Cny ?? 0);
  const text = t(key, {
    name,
    last: d.type === "churn_decline" ? last.toFixed(2) : str(d.lastPurchase),
    cycle: str(d.cycleDays),
    silence: str(d.silenceDays),
    previous: previous.toFixed(2),
    pct: previous > 0 ? Math.round((last / previous) * 100) : 0,
  });
  return {
    text: `${t("job.churn_title")}\n${text}`,
    choices: [{ id: `plan:visit:${str(d.customerId)}`, label: t("job.plan_visit", { name }).slice(0, 75) }],
  };
};

const carePreview = (d: Data, t: T): Reply => {
  const items = list(d.items);
  const date = str(d.date);
  return {
    text: [
      t("job.care_preview_title", { date }),
      ...items.map((i, n) =>
        t("job.care_preview_item", {
          n: n + 1,
          name: str(i.name),
          occasions: list(i.occasions)
            .map((o) => t(`occasion.${String(o)}`))
            .join("、"),
          channel: t(`channel.${str(i.channel)}`),
        }),
      ),
      t("job.care_preview_hint"),
    ].join("\n"),
    choices: items.slice(0, 25).map((i) => ({
      id: `care:skip:${str(i.customerId)}:${date}`,
      label: t("job.care_skip", { name: str(i.name) }).slice(0, 75),
    })),
  };
};

const managerDigest = (d: Data, t: T): Reply => ({
  text: [
    t("job.digest_title", { from: str(d.from), to: str(d.to) }),
    ...list(d.reps).map((r) =>
      t("job.digest_rep", { name: str(r.name), calls: Number(r.calls), days: Number(r.days) }),
    ),
    t("job.digest_approvals", { count: Number(d.approvalsWaiting) }),
    t("job.digest_churn", { count: Number(d.openChurn) }),
  ].join("\n"),
});

/** The scheduler's chat messages by template name. */
export const jobTemplates: Record<string, (d: Data, t: T) => Reply> = {
  daily_plan: dailyPlan,
  team_plan: (d, t) => ({
    text: t("job.team_plan", { date: str(d.date), reps: Number(d.reps), visits: Number(d.visits) }),
  }),
  follow_up_reminder: followUps,
  churn_alert: churnAlert,
  care_preview: carePreview,
  manager_digest: managerDigest,
};
