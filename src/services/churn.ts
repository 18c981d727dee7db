/**
 * Churn and decline episodes (DOMAIN.md §6) over the stored purchases: `evaluate` keeps
 * the open `alerts` in step with the rules and says what changed, so the `churn-alerts`
 * job tells people once per opening and once per upgrade; `currentPicture` is the report.
 */

import type { InStatement } from "@libsql/client";
import { and, eq, isNull, sql } from "drizzle-orm";
import { auditStatements } from "../db/audit";
import { bulkInsert } from "../db/bulk-insert";
import { type Db, statementOf } from "../db/client";
import { newId } from "../db/ids";
import { alerts } from "../db/schema";
import {
  type ChurnLevel,
  type ChurnSettings,
  churnLevel,
  declineCheck,
  type EvaluateOutput,
  evaluateEpisodes,
  purchaseCycle,
  type Recipient,
  silenceDays,
} from "../domain/churn/churn";
import type { IsoDate } from "../domain/dates";
import { yieldToEventLoop } from "../lib/yield";
import {
  type AlertRow,
  type BuyerHistory,
  buyerHistories,
  buyerPage,
  loadChurnSettings,
  loadChurnUsers,
  openEpisodes,
  sellerAsOf,
} from "./churn-data";
import { type ServiceContext, today } from "./context";

export type Alert = AlertRow;

export interface ChurnRun {
  opened: Alert[];
  upgraded: Alert[];
  closed: number;
  /** Who to tell about each opened or upgraded alert. */
  recipients: Map<string, Recipient[]>;
}

/** The figures an alert and the report show for one customer on one date. */
export interface ChurnNumbers {
  lastPurchase: IsoDate | null;
  cycleDays: number | null;
  silenceDays: number | null;
  asOf: IsoDate;
  level: ChurnLevel | null;
  previous90Cny: number;
  last90Cny: number;
  decline: boolean;
}

export const churnNumbers = (c: BuyerHistory, date: IsoDate, s: ChurnSettings): ChurnNumbers => {
  const last = c.events.at(-1) ?? null;
  const asOf = c.asOf < date ? c.asOf : date;
  const d = declineCheck(c.lines, asOf, s.decline);
  const cycle = last === null ? null : purchaseCycle(c.events, c.kind, s.cycleDefaults);
  const silence = last === null ? null : silenceDays(last, c.asOf, date);
  return {
    lastPurchase: last,
    cycleDays: cycle,
    silenceDays: silence,
    asOf,
    level: cycle === null || silence === null ? null : churnLevel(silence, cycle, s.factors),
    previous90Cny: d.previousCny,
    last90Cny: d.lastCny,
    decline: d.decline,
  };
};

const alertData = (n: ChurnNumbers): Record<string, unknown> => {
  const { decline: _omit, ...data } = n;
  return data;
};

interface PageContext {
  db: Db;
  date: IsoDate;
  at: string;
  numbers: Map<string, ChurnNumbers>;
  owners: Map<string, string>;
  rows: AlertRow[];
}

/**
 * New episodes in a few multi-row inserts of plain SQL: a first run over a big book opens
 * thousands, and drizzle's builder cost more per row than the write.
 */
const openStatements = (p: PageContext, out: EvaluateOutput, run: ChurnRun): InStatement[] => {
  const rows = out.open.map((o): AlertRow => {
    const n = p.numbers.get(o.customerId)!;
    const level = o.type === "churn_overdue" ? o.level : null;
    const row: AlertRow = {
      id: newId(),
      type: o.type,
      customerId: o.customerId,
      repId: p.owners.get(o.customerId) ?? null,
      severity: level === "upgraded" ? "critical" : "warn",
      level,
      openedAt: p.at,
      openedOn: p.date,
      closedAt: null,
      data: { ...alertData(n), level },
      updatedAt: p.at,
    };
    run.opened.push(row);
    run.recipients.set(row.id, o.notify);
    return row;
  });
  return [
    // Any conflict is the open episode (the only other unique key is the fresh id): skipped.
    ...bulkInsert(alerts, rows, { ignoreConflicts: true }),
    ...auditStatements(
      rows.map((row) => ({
        actorId: null,
        via: "system",
        action: "open",
        entityType: "alert",
        entityId: row.id,
        after: row,
      })),
    ),
  ];
};

const upgradeStatements = (p: PageContext, out: EvaluateOutput, run: ChurnRun): InStatement[] =>
  out.upgrade.flatMap((u) => {
    const before = p.rows.find((r) => r.id === u.episodeId)!;
    const n = p.numbers.get(u.customerId)!;
    const set = {
      level: "upgraded",
      severity: "critical" as const,
      data: { ...before.data, ...alertData(n), level: "upgraded" },
      updatedAt: p.at,
    };
    run.upgraded.push({ ...before, ...set });
    run.recipients.set(before.id, u.notify);
    return [
      statementOf(
        p.db
          .update(alerts)
          .set(set)
          .where(and(eq(alerts.id, before.id), isNull(alerts.closedAt))),
      ),
      ...auditStatements([
        {
          actorId: null,
          via: "system",
          action: "upgrade",
          entityType: "alert",
          entityId: before.id,
          before: { level: before.level, severity: before.severity },
          after: { level: set.level, severity: set.severity },
        },
      ]),
    ];
  });

const closeStatements = (p: PageContext, out: EvaluateOutput, run: ChurnRun): InStatement[] =>
  out.close.flatMap((c) => {
    run.closed += 1;
    const reason = c.type === "churn_overdue" ? "purchase" : "recovered";
    return [
      statementOf(
        p.db
          .update(alerts)
          .set({ closedAt: p.at, updatedAt: p.at, data: sql`json_set(data, '$.closedBy', ${reason})` })
          .where(and(eq(alerts.id, c.episodeId), isNull(alerts.closedAt))),
      ),
      ...auditStatements([
        {
          actorId: null,
          via: "system",
          action: "close",
          entityType: "alert",
          entityId: c.episodeId,
          after: { closedAt: p.at, closedBy: reason },
        },
      ]),
    ];
  });

export const createChurnService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  /** Pages of buyers (optionally some owners' only) with their histories. */
  async function* histories(date: IsoDate, ownerIds: string[] | null, declineWindowDays: number) {
    const bySeller = await sellerAsOf(db);
    let after: string | null = "";
    while (after !== null) {
      await yieldToEventLoop();
      const page = await buyerPage(db, after, ownerIds);
      after = page.next;
      if (page.rows.length) yield await buyerHistories(db, page.rows, bySeller, date, declineWindowDays);
    }
  }

  /**
   * Opens, upgrades and closes episodes for `date`. Each page is compared with the open
   * episodes read inside the write mutex, so two runs never open the same episode twice.
   */
  const evaluate = async (date: IsoDate): Promise<ChurnRun> => {
    const settings = await loadChurnSettings(ctx.settings);
    const users = await loadChurnUsers(db);
    const run: ChurnRun = { opened: [], upgraded: [], closed: 0, recipients: new Map() };
    const at = ctx.now().toISOString();
    for await (const page of histories(date, null, settings.decline.windowDays)) {
      const numbers = new Map(page.map((c) => [c.id, churnNumbers(c, date, settings)]));
      const owners = new Map(page.map((c) => [c.id, c.ownerId]));
      await ctx.database.write(async (w) => {
        const { rows, episodes } = await openEpisodes(w, [...owners.keys()]);
        const out = evaluateEpisodes({ customers: page, openEpisodes: episodes, date, settings, users });
        const p: PageContext = { db: w, date, at, numbers, owners, rows };
        const statements = [
          ...closeStatements(p, out, run),
          ...openStatements(p, out, run),
          ...upgradeStatements(p, out, run),
        ];
        if (statements.length) await ctx.database.client.batch(statements, "write");
      });
    }
    return run;
  };

  /** Every customer overdue or declining on `date` (today by default), alert or not. */
  const currentPicture = async (filters: { ownerIds: string[] | null; date?: IsoDate }) => {
    const date = filters.date ?? today(ctx);
    const settings = await loadChurnSettings(ctx.settings);
    const out: ChurnPictureRow[] = [];
    for await (const page of histories(date, filters.ownerIds, settings.decline.windowDays)) {
      const { rows } = await openEpisodes(
        db,
        page.map((c) => c.id),
      );
      for (const c of page) {
        const n = churnNumbers(c, date, settings);
        if (n.level === null && !n.decline) continue;
        const mine = rows.filter((r) => r.customerId === c.id);
        out.push({
          customerId: c.id,
          name: c.name,
          kind: c.kind,
          ownerId: c.ownerId,
          ...n,
          alertIds: mine.map((r) => r.id),
        });
      }
    }
    return { date, customers: out };
  };

  return { evaluate, currentPicture };
};

export interface ChurnPictureRow extends ChurnNumbers {
  customerId: string;
  name: string;
  kind: string;
  ownerId: string;
  /** Open churn alerts of this customer (empty when none was opened yet). */
  alertIds: string[];
}

export type ChurnService = ReturnType<typeof createChurnService>;
export type ChurnPicture = Awaited<ReturnType<ChurnService["currentPicture"]>>;
