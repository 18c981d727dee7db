/**
 * Withdrawing consent (DOMAIN.md §7, §9): the unsubscribe link and the SMS opt-out reply.
 * Each withdrawal is a ledger row plus the cached state on the customer, in one batch with
 * its audit row; the outbox reads the cached state at send time, so no later message
 * reaches that channel.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { type Db, runBatch } from "../db/client";
import { newId } from "../db/ids";
import { consentEvents, customers } from "../db/schema";
import type { ConsentChannel } from "../domain/care/consent";
import type { ServiceContext } from "./context";

export interface Withdrawal {
  /** A user id, or "customer" when the customer acted (link, reply). */
  by: string;
  /** "unsubscribe_link", "sms_reply", … */
  method: string;
  evidence?: string | null;
}

const stateColumn = (channel: ConsentChannel) => (channel === "sms" ? "smsConsent" : "emailConsent");

/** Digits only, without the +86 prefix: how numbers are compared. */
const phoneDigits = (phone: string) => {
  const d = phone.replace(/\D/g, "");
  return d.length === 13 && d.startsWith("86") ? d.slice(2) : d;
};

/** The stored phone as digits, in SQL (stored numbers may carry spaces, dashes, +86). */
const storedDigits = sql`replace(replace(replace(replace(replace(${customers.phone}, ' ', ''), '-', ''), '+', ''), '(', ''), ')', '')`;

const withdrawalStatements = (db: Db, ids: string[], channel: ConsentChannel, w: Withdrawal, at: string) => {
  const column = stateColumn(channel);
  return ids.flatMap((id) => [
    db.insert(consentEvents).values({
      id: newId(),
      customerId: id,
      channel,
      state: "withdrawn",
      at,
      by: w.by,
      method: w.method,
      evidence: w.evidence ?? null,
    }),
    db
      .update(customers)
      .set({ [column]: "withdrawn", updatedAt: at })
      .where(eq(customers.id, id)),
    auditInsert(db, {
      actorId: w.by === "customer" ? null : w.by,
      via: w.method,
      action: "consent_withdrawn",
      entityType: "customer",
      entityId: id,
      after: { channel, method: w.method },
    }),
  ]);
};

export const createConsentService = (ctx: Pick<ServiceContext, "database" | "now">) => {
  const { database } = ctx;

  /**
   * Withdraws the channel for these customers where it is not withdrawn already (a second
   * click adds nothing). Decided and written under the write lock: two clicks, one row.
   */
  const withdrawIds = (ids: string[], channel: ConsentChannel, w: Withdrawal) =>
    database.write(async (db) => {
      if (ids.length === 0) return [];
      const column = customers[stateColumn(channel)];
      const open = await db
        .select({ id: customers.id })
        .from(customers)
        .where(and(inArray(customers.id, ids), isNull(customers.erasedAt), sql`${column} <> 'withdrawn'`));
      const todo = open.map((r) => r.id);
      await runBatch(db, withdrawalStatements(db, todo, channel, w, ctx.now().toISOString()));
      return todo;
    });

  /** True when this call withdrew it; false when already withdrawn, erased or unknown. */
  const withdraw = async (customerId: string, channel: ConsentChannel, w: Withdrawal) =>
    (await withdrawIds([customerId], channel, w)).length > 0;

  /** Every customer with this number (a doctor's phone may be on several records). */
  const withdrawByPhone = async (phone: string, w: Withdrawal, channel: ConsentChannel = "sms") => {
    const digits = phoneDigits(phone);
    if (digits.length < 5) return 0;
    const rows = await database.db
      .select({ id: customers.id })
      .from(customers)
      .where(inArray(storedDigits, [digits, `86${digits}`]));
    return (
      await withdrawIds(
        rows.map((r) => r.id),
        channel,
        w,
      )
    ).length;
  };

  return { withdraw, withdrawByPhone };
};

export type ConsentService = ReturnType<typeof createConsentService>;
