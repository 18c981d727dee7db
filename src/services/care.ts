/**
 * Customer care use cases (DOMAIN.md §7): who has an occasion on a date and whether and
 * how they may be greeted, and the rep's "不发 <name>". The jobs and channels that
 * send the greetings are built elsewhere; they call these.
 */
import { and, asc, eq, gt, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { lunarCalendar } from "../calendar/lunar";
import { auditInsert } from "../db/audit";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { inJson } from "../db/in-json";
import { type JsonRow, jsonRows, readJsonRows } from "../db/json-rows";
import { careSkips, customers, outbox } from "../db/schema";
import { careEligibility, type SuppressReason } from "../domain/care/eligibility";
import {
  type LunarCalendar,
  type Occasion,
  occasionsForCustomer,
  occasionsOn,
} from "../domain/care/occasions";
import { type IsoDate, isLeapYear } from "../domain/dates";
import { fail, ok, type Result } from "../domain/result";
import { yieldToEventLoop } from "../lib/yield";
import type { Actor, ServiceContext } from "./context";

export const CARE_TEMPLATE = "care_greeting";
/** Outbox states that count against the caps: on their way or delivered. */
const COUNTED: ("sent" | "pending" | "sending" | "retrying")[] = ["sent", "pending", "sending", "retrying"];
const PAGE = 1000;

/** The dedupe key of a customer's greeting on a date (one per customer and day, rule 5). */
export const careGreetingKey = (customerId: string, date: IsoDate, channel: "sms" | "email") =>
  `care:${customerId}:${date}:${channel}:${customerId}`;

/** A care row's date in SQL, from its dedupe key (`careGreetingKey`): every care row has one. */
const greetingDate = sql<string>`substr(${outbox.dedupeKey}, length(${outbox.recipientId}) + 7, 10)`;

export interface CareCustomerView {
  id: string;
  name: string;
  title: string | null;
  kind: string;
  ownerId: string;
  locale: "zh-CN" | "en";
}

export type DueGreeting =
  | { customer: CareCustomerView; occasions: Occasion[]; channel: "sms" | "email" }
  | { customer: CareCustomerView; occasions: Occasion[]; suppressed: SuppressReason };

/** The customer columns care reads: occasions, eligibility, and where a greeting goes. */
const careFields = {
  id: customers.id,
  name: customers.name,
  title: customers.title,
  kind: customers.kind,
  ownerId: customers.ownerId,
  locale: customers.locale,
  birthday: customers.birthday,
  smsConsent: customers.smsConsent,
  emailConsent: customers.emailConsent,
  preferredChannel: customers.preferredChannel,
  phone: customers.phone,
  email: customers.email,
  timezone: customers.timezone,
  erasedAt: customers.erasedAt,
};
type CustomerRow = JsonRow<typeof careFields>;

/** A greeting that will go out, with what sending it needs (kept out of the view on purpose). */
export type GreetingToSend = Extract<DueGreeting, { channel: "sms" | "email" }> & {
  address: string | null;
  timezone: string | null;
};

/** Birthdays stored as MM-DD or YYYY-MM-DD; 29 Feb is greeted on 28 Feb in common years. */
const birthdayWhere = (date: IsoDate): SQL => {
  const days = [date.slice(5)];
  if (date.slice(5) === "02-28" && !isLeapYear(Number(date.slice(0, 4)))) days.push("02-29");
  return or(
    ...days.flatMap((md) => [eq(customers.birthday, md), sql`${customers.birthday} like ${`____-${md}`}`]),
  )!;
};

/**
 * What every greeting that goes out has, whatever else `careEligibility` finds: the customer
 * is not erased and granted consent on some channel. The jobs read only these — on a festival
 * day the consented part of the book instead of every customer (1 in 9 in the bench's data
 * set) — and each is still judged by the domain rule; the care tests hold the two together.
 */
const mayBeGreeted: SQL = and(
  isNull(customers.erasedAt),
  or(eq(customers.smsConsent, "granted"), eq(customers.emailConsent, "granted")),
)!;

const view = (c: CustomerRow): CareCustomerView => ({
  id: c.id,
  name: c.name,
  title: c.title,
  kind: c.kind,
  ownerId: c.ownerId,
  locale: c.locale,
});

export const createCareService = (ctx: ServiceContext, lunar: LunarCalendar = lunarCalendar) => {
  const { db } = ctx.database;

  /**
   * Care rows queued or sent to these customers for the date and its month, by the greeting's
   * own date: the caps follow the customer's calendar (a Los Angeles greeting of 31 December
   * leaves on 1 January in Shanghai). The recipient index finds each customer's few rows.
   */
  const countsFor = async (ids: string[], date: IsoDate) => {
    const rows = await db
      .select({
        id: outbox.recipientId,
        month: sql<number>`count(*)`,
        day: sql<number>`sum(${greetingDate} = ${date})`,
      })
      .from(outbox)
      .where(
        and(
          eq(outbox.recipientType, "customer"),
          inJson(outbox.recipientId, ids),
          eq(outbox.template, CARE_TEMPLATE),
          inArray(outbox.status, COUNTED),
          sql`${greetingDate} like ${`${date.slice(0, 7)}-%`}`,
        ),
      )
      .groupBy(outbox.recipientId);
    return new Map(rows.map((r) => [r.id, { month: Number(r.month), day: Number(r.day) }]));
  };

  const skippedOn = async (ids: string[], date: IsoDate) => {
    const rows = await db
      .select({ id: careSkips.customerId })
      .from(careSkips)
      .where(and(inJson(careSkips.customerId, ids), eq(careSkips.date, date)));
    return new Set(rows.map((r) => r.id));
  };

  /**
   * Candidates: everyone on a festival day (festivals suit all), else birthdays only; with
   * `sendableOnly`, only those `mayBeGreeted`.
   */
  // A festival day pages through every customer: narrow columns, read as one JSON value.
  const candidatePage = async (date: IsoDate, festivalDay: boolean, sendableOnly: boolean, after: string) => {
    const ids = db
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          gt(customers.id, after),
          eq(customers.active, true),
          festivalDay ? undefined : birthdayWhere(date),
          sendableOnly ? mayBeGreeted : undefined,
        ),
      )
      .orderBy(asc(customers.id))
      .limit(PAGE);
    const rows = await readJsonRows(
      careFields,
      db
        .select({ rows: jsonRows(careFields) })
        .from(customers)
        .where(inArray(customers.id, ids)),
    );
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };

  const judgePage = async (
    rows: CustomerRow[],
    date: IsoDate,
  ): Promise<{ due: DueGreeting; row: CustomerRow }[]> => {
    const withOccasions = rows
      .map((c) => ({ c, occasions: occasionsForCustomer(c, date, lunar) }))
      .filter((x) => x.occasions.length > 0);
    if (withOccasions.length === 0) return [];
    const ids = withOccasions.map((x) => x.c.id);
    const counts = await countsFor(ids, date);
    const skipped = await skippedOn(ids, date);
    const caps = {
      perMonth: await ctx.settings.get("care.perMonthCap"),
      perDay: await ctx.settings.get("care.perDayCap"),
    };
    return withOccasions.map(({ c, occasions }) => {
      const e = careEligibility({
        customer: {
          consent: { sms: { state: c.smsConsent }, email: { state: c.emailConsent } },
          preferredChannel: c.preferredChannel,
          phone: c.phone,
          email: c.email,
          erased: c.erasedAt !== null,
        },
        sentThisMonth: counts.get(c.id)?.month ?? 0,
        sentToday: counts.get(c.id)?.day ?? 0,
        skipped: skipped.has(c.id),
        caps,
      });
      return { due: { customer: view(c), occasions, ...e }, row: c };
    });
  };

  /** The candidates of `date` judged a page at a time, each with the row it was judged on. */
  async function* judgedPages(date: IsoDate, sendableOnly: boolean) {
    const festivalDay = occasionsOn(date, { lunar }).length > 0;
    let after = "";
    for (;;) {
      await yieldToEventLoop();
      const rows = await candidatePage(date, festivalDay, sendableOnly, after);
      if (rows.length === 0) return;
      after = rows[rows.length - 1].id;
      yield await judgePage(rows, date);
    }
  }

  /**
   * Customers with an occasion on `date` and how each may be greeted, or why not. A
   * greeting already queued for the date counts against the caps: a second run of the
   * job finds `cap_reached` and queues nothing again.
   */
  const dueGreetings = async (date: IsoDate): Promise<DueGreeting[]> => {
    const out: DueGreeting[] = [];
    for await (const page of judgedPages(date, false)) out.push(...page.map((p) => p.due));
    return out;
  };

  /**
   * Only the greetings that will go out on `date`, with address and zone: on a festival day
   * most customers are suppressed (no consent), and the jobs neither read nor keep them.
   */
  const greetingsToSend = async (date: IsoDate): Promise<GreetingToSend[]> => {
    const out: GreetingToSend[] = [];
    for await (const page of judgedPages(date, true))
      for (const { due, row } of page)
        if ("channel" in due)
          out.push({
            ...due,
            address: due.channel === "sms" ? row.phone : row.email,
            timezone: row.timezone,
          });
    return out;
  };

  /** 不发 <name>: the rep stops one customer's greeting on `date`, queued or not (once). */
  const skip = async (
    customerId: string,
    date: IsoDate,
    repId: string,
    actor?: Actor,
  ): Promise<Result<{ skipped: true }>> => {
    const c = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).get();
    if (!c) return fail("not_found", "customer.not_found", undefined, "customerId");
    await ctx.database.write(async (w) => {
      // A greeting already queued for the date (waiting for 08:00 in the customer's zone, or
      // for a retry) stops too, in the same write as the skip: nothing can claim it between.
      const suppress = w
        .update(outbox)
        .set({ status: "suppressed", suppressedReason: "skipped_by_rep" satisfies SuppressReason })
        .where(
          and(
            eq(outbox.recipientType, "customer"),
            eq(outbox.recipientId, customerId),
            eq(outbox.template, CARE_TEMPLATE),
            inArray(outbox.status, ["pending", "retrying"]),
            sql`${greetingDate} = ${date}`,
          ),
        );
      if (await skipRow(w, customerId, date)) {
        await suppress;
        return;
      }
      const row = { id: newId(), customerId, date, by: repId, createdAt: ctx.now().toISOString() };
      await w.batch([
        w.insert(careSkips).values(row),
        suppress,
        auditInsert(w, {
          actorId: actor?.id ?? repId,
          via: actor?.via ?? "system",
          action: "create",
          entityType: "care_skip",
          entityId: row.id,
          after: row,
        }),
      ]);
    });
    return ok({ skipped: true });
  };

  return { dueGreetings, greetingsToSend, skip };
};

const skipRow = (db: Db, customerId: string, date: IsoDate) =>
  db
    .select({ id: careSkips.id })
    .from(careSkips)
    .where(and(eq(careSkips.customerId, customerId), eq(careSkips.date, date)))
    .get();

export type CareService = ReturnType<typeof createCareService>;
