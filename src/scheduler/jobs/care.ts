import { users } from "../../db/schema";
import { careWindow } from "../../domain/care/eligibility";
import { addDays } from "../../domain/dates";
import type { GreetingToSend } from "../../services/care";
import { defineJob, type JobContext } from "../job";
import { chatMessage, userRecipient } from "../recipients";

interface RunGreetings {
  all: GreetingToSend[];
  byId: Map<string, GreetingToSend>;
}
const greetingsByRun = new WeakMap<JobContext, Map<string, Promise<RunGreetings>>>();
const repNamesByRun = new WeakMap<JobContext, Promise<Map<string, string>>>();

/** The greetings that will go out on a date, computed once per run (only those: a few %). */
const greetingsOn = (ctx: JobContext, date: string) => {
  const byDate = greetingsByRun.get(ctx) ?? new Map<string, Promise<RunGreetings>>();
  greetingsByRun.set(ctx, byDate);
  let run = byDate.get(date);
  if (!run) {
    run = ctx.services.care
      .greetingsToSend(date)
      .then((all) => ({ all, byId: new Map(all.map((g) => [g.customer.id, g])) }));
    byDate.set(date, run);
  }
  return run;
};

const windowsByRun = new WeakMap<JobContext, Map<string, Promise<ReturnType<typeof careWindow>>>>();

/** The day's sending window in a zone: the same for every customer of that zone, so once per zone. */
const windowIn = (ctx: JobContext, timeZone: string) => {
  const byZone = windowsByRun.get(ctx) ?? new Map<string, Promise<ReturnType<typeof careWindow>>>();
  windowsByRun.set(ctx, byZone);
  let window = byZone.get(timeZone);
  if (!window) {
    window = ctx.services.settings.get("care.window").then((w) => careWindow(ctx.date, timeZone, w));
    byZone.set(timeZone, window);
  }
  return window;
};

/** The rep's name signs the greeting: every rep's name read once per run. */
const repNames = (ctx: JobContext) => {
  let names = repNamesByRun.get(ctx);
  if (!names) {
    names = ctx.services.database.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .then((rows) => new Map(rows.map((r) => [r.id, r.name])));
    repNamesByRun.set(ctx, names);
  }
  return names;
};

/** 16:00 the day before: each rep sees tomorrow's greetings and can stop one. */
export const carePreviewJob = defineJob({
  name: "care-preview",
  at: { "": "16:00" },
  workingDaysOnly: false,
  recipients: async (ctx) =>
    [...new Set((await greetingsOn(ctx, addDays(ctx.date, 1))).all.map((g) => g.customer.ownerId))].sort(),
  itemFor: async (ctx, repId) => {
    const user = await userRecipient(ctx.services, repId);
    if (!user) return null;
    const tomorrow = addDays(ctx.date, 1);
    const items = (await greetingsOn(ctx, tomorrow)).all
      .filter((g) => g.customer.ownerId === repId)
      .map((g) => ({
        customerId: g.customer.id,
        name: g.customer.name,
        occasions: g.occasions,
        channel: g.channel,
      }));
    return {
      recipientId: repId,
      messages: [
        chatMessage(
          user,
          "care_preview",
          { date: tomorrow, items },
          { purpose: "care-preview", subject: repId, date: tomorrow },
        ),
      ],
    };
  },
});

/**
 * 09:30: one greeting per eligible customer on their preferred consented channel, within
 * 08:00–21:00 of their day (expired after, never sent a day late). Consent and erasure are
 * checked again when it is sent.
 */
export const careGreetingsJob = defineJob({
  name: "care-greetings",
  at: { "": "09:30" },
  workingDaysOnly: false,
  recipients: async (ctx) => (await greetingsOn(ctx, ctx.date)).all.map((g) => g.customer.id),
  itemFor: async (ctx, customerId) => {
    const g = (await greetingsOn(ctx, ctx.date)).byId.get(customerId);
    if (!g) return null;
    const c = g.customer;
    const window = await windowIn(ctx, g.timezone ?? ctx.services.timeZone);
    return {
      recipientId: customerId,
      messages: [
        {
          channel: g.channel,
          recipientType: "customer",
          recipientId: customerId,
          template: "care_greeting",
          locale: c.locale,
          address: g.address,
          data: {
            customerId,
            customerName: c.name,
            title: c.title,
            repName: (await repNames(ctx)).get(c.ownerId) ?? "",
            occasions: g.occasions,
            locale: c.locale,
            date: ctx.date,
          },
          dedupeKey: `care:${customerId}:${ctx.date}:${g.channel}:${customerId}`,
          notBefore: window.notBefore,
          expiresAt: window.expiresAt,
        },
      ],
    };
  },
});
