import { eq, inArray } from "drizzle-orm";
import { customers, users } from "../../db/schema";
import { careWindow } from "../../domain/care/eligibility";
import { addDays } from "../../domain/dates";
import type { DueGreeting } from "../../services/care";
import { defineJob, type JobContext } from "../job";
import { chatMessage, userRecipient } from "../recipients";

type Eligible = Extract<DueGreeting, { channel: "sms" | "email" }>;
const dueByRun = new WeakMap<JobContext, Promise<Eligible[]>>();
const byIdByRun = new WeakMap<JobContext, Promise<Map<string, Eligible>>>();
const repNamesByRun = new WeakMap<JobContext, Map<string, string>>();

/** Today's greetings by customer, for one lookup per recipient instead of a scan. */
const eligibleById = (ctx: JobContext) => {
  let map = byIdByRun.get(ctx);
  if (!map) {
    map = eligibleOn(ctx, ctx.date).then((all) => new Map(all.map((g) => [g.customer.id, g])));
    byIdByRun.set(ctx, map);
  }
  return map;
};

/** The rep's name signs the greeting; a rep greets many customers, so names are kept per run. */
const repName = async (ctx: JobContext, repId: string) => {
  const names = repNamesByRun.get(ctx) ?? new Map<string, string>();
  repNamesByRun.set(ctx, names);
  let name = names.get(repId);
  if (name === undefined) {
    const rep = await ctx.services.database.db
      .select({ name: users.name })
      .from(users)
      .where(inArray(users.id, [repId]))
      .get();
    name = rep?.name ?? "";
    names.set(repId, name);
  }
  return name;
};

/** The greetings that will go out on a date (computed once per run). */
const eligibleOn = (ctx: JobContext, date: string) => {
  let due = dueByRun.get(ctx);
  if (!due) {
    due = ctx.services.care
      .dueGreetings(date)
      .then((all) => all.filter((g): g is Eligible => "channel" in g));
    dueByRun.set(ctx, due);
  }
  return due;
};

/** 16:00 the day before: each rep sees tomorrow's greetings and can stop one. */
export const carePreviewJob = defineJob({
  name: "care-preview",
  at: { "": "16:00" },
  workingDaysOnly: false,
  recipients: async (ctx) =>
    [...new Set((await eligibleOn(ctx, addDays(ctx.date, 1))).map((g) => g.customer.ownerId))].sort(),
  itemFor: async (ctx, repId) => {
    const user = await userRecipient(ctx.services, repId);
    if (!user) return null;
    const tomorrow = addDays(ctx.date, 1);
    const items = (await eligibleOn(ctx, tomorrow))
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
  recipients: async (ctx) => (await eligibleOn(ctx, ctx.date)).map((g) => g.customer.id),
  itemFor: async (ctx, customerId) => {
    const g = (await eligibleById(ctx)).get(customerId);
    if (!g) return null;
    const { db } = ctx.services.database;
    const c = await db.select().from(customers).where(eq(customers.id, customerId)).get();
    if (!c) return null;
    const window = careWindow(
      ctx.date,
      c.timezone ?? ctx.services.timeZone,
      await ctx.services.settings.get("care.window"),
    );
    return {
      recipientId: customerId,
      messages: [
        {
          channel: g.channel,
          recipientType: "customer",
          recipientId: customerId,
          template: "care_greeting",
          locale: c.locale,
          address: g.channel === "sms" ? c.phone : c.email,
          data: {
            customerId,
            customerName: c.name,
            title: c.title,
            repName: await repName(ctx, c.ownerId),
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
