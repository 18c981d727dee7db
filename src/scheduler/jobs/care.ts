import { products, users } from "../../db/schema";
import { careWindow, productFreeCheck } from "../../domain/care/eligibility";
import { addDays } from "../../domain/dates";
import { yieldToEventLoop } from "../../lib/yield";
import { CARE_HELD, type CareGreetingData, careGreetingTexts } from "../../notify/customer-templates";
import { careGreetingKey, type GreetingToSend } from "../../services/care";
import { defineJob, type JobContext } from "../job";
import { chatMessage, userRecipient } from "../recipients";

interface RunGreetings {
  all: GreetingToSend[];
}
const greetingsByRun = new WeakMap<JobContext, Map<string, Promise<RunGreetings>>>();
const repNamesByRun = new WeakMap<JobContext, Promise<Map<string, string>>>();

/** The greetings that will go out on a date, computed once per run (only those: a few %). */
const greetingsOn = (ctx: JobContext, date: string) => {
  const byDate = greetingsByRun.get(ctx) ?? new Map<string, Promise<RunGreetings>>();
  greetingsByRun.set(ctx, byDate);
  let run = byDate.get(date);
  if (!run) {
    run = ctx.services.care.greetingsToSend(date).then((all) => ({ all }));
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

/** Every product's names, aliases and codes, read once per run into one compiled check. */
const productCheck = async (ctx: JobContext) => {
  const rows = await ctx.services.database.db
    .select({ name: products.name, nameEn: products.nameEn, aliases: products.aliases, code: products.code })
    .from(products);
  return productFreeCheck({
    names: rows.flatMap((p) => [p.name, p.nameEn ?? "", ...(p.aliases ?? [])]),
    codes: rows.map((p) => p.code),
  });
};

type GreetingData = CareGreetingData & { customerId: string; locale: string; date: string };

interface CheckedGreetings {
  /** The greetings that may be queued, each with the data its row carries. */
  ready: Map<string, { g: GreetingToSend; data: GreetingData }>;
  /** Per rep, the customers whose greeting was held back, for the rep's notice. */
  heldByRep: Map<string, { customerId: string; name: string }[]>;
  held: number;
}
const checkedByRun = new WeakMap<JobContext, Promise<CheckedGreetings>>();
/** The greetings job's recipients are customers, plus a rep to tell of held greetings. */
const HELD_NOTICE = "held-notice:";

/**
 * The day's greetings rendered as the channels will send them and checked for a product,
 * price or benefit (a rep's display name often carries a product line). A greeting that fails
 * is not queued: its rep is told, so a name can be fixed. Done for the whole day before the
 * first item, so a resumed run tells the rep about every held greeting, not only the rest.
 */
const checkedGreetings = (ctx: JobContext) => {
  let checked = checkedByRun.get(ctx);
  if (!checked) {
    checked = (async () => {
      const [{ all }, names, isFree] = await Promise.all([
        greetingsOn(ctx, ctx.date),
        repNames(ctx),
        productCheck(ctx),
      ]);
      const out: CheckedGreetings = { ready: new Map(), heldByRep: new Map(), held: 0 };
      for (const [n, g] of all.entries()) {
        if (n % 1000 === 999) await yieldToEventLoop();
        const c = g.customer;
        const data: GreetingData = {
          customerId: c.id,
          customerName: c.name,
          title: c.title,
          repName: names.get(c.ownerId) ?? "",
          occasions: g.occasions,
          locale: c.locale,
          date: ctx.date,
        };
        if (careGreetingTexts(data, c.locale, g.channel).every(isFree)) {
          out.ready.set(c.id, { g, data });
          continue;
        }
        out.held++;
        const held = out.heldByRep.get(c.ownerId) ?? [];
        held.push({ customerId: c.id, name: c.name });
        out.heldByRep.set(c.ownerId, held);
      }
      return out;
    })();
    checkedByRun.set(ctx, checked);
  }
  return checked;
};

/** One chat notice per rep listing the customers whose greeting was held back today. */
const heldNotice = async (ctx: JobContext, repId: string) => {
  const items = (await checkedGreetings(ctx)).heldByRep.get(repId);
  const user = items ? await userRecipient(ctx.services, repId) : null;
  if (!items || !user) return null;
  return {
    recipientId: `${HELD_NOTICE}${repId}`,
    messages: [
      chatMessage(
        user,
        CARE_HELD,
        { date: ctx.date, items },
        { purpose: "care-held", subject: repId, date: ctx.date },
      ),
    ],
  };
};

/**
 * 09:30: one greeting per eligible customer on their preferred consented channel, within
 * 08:00–21:00 of their day (expired after, never sent a day late). Consent and erasure are
 * checked again when it is sent.
 */
export const careGreetingsJob = defineJob({
  name: "care-greetings",
  at: { "": "09:30" },
  workingDaysOnly: false,
  // Held greetings are counted in the run (no personal data there); the reps see who.
  prepare: async (ctx) => ({ held: (await checkedGreetings(ctx)).held }),
  recipients: async (ctx) => {
    const { ready, heldByRep } = await checkedGreetings(ctx);
    return [...ready.keys(), ...[...heldByRep.keys()].sort().map((rep) => `${HELD_NOTICE}${rep}`)];
  },
  itemFor: async (ctx, recipientId) => {
    if (recipientId.startsWith(HELD_NOTICE)) return heldNotice(ctx, recipientId.slice(HELD_NOTICE.length));
    const checked = (await checkedGreetings(ctx)).ready.get(recipientId);
    if (!checked) return null;
    const { g, data } = checked;
    const window = await windowIn(ctx, g.timezone ?? ctx.services.timeZone);
    return {
      recipientId,
      messages: [
        {
          channel: g.channel,
          recipientType: "customer",
          recipientId,
          template: "care_greeting",
          locale: g.customer.locale,
          address: g.address,
          data,
          dedupeKey: careGreetingKey(recipientId, ctx.date, g.channel),
          notBefore: window.notBefore,
          expiresAt: window.expiresAt,
        },
      ],
    };
  },
});
