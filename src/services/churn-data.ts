/**
 * What the churn rules read from the database, in pages: buyers 1,000 at a time by id,
 * their last few purchase events and the two decline windows summed in SQL (a
 * buyer's history never reaches JS whole), and the as-of date their data covers
 * (DOMAIN.md §6).
 */
import { and, asc, eq, gt, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { inJson } from "../db/in-json";
import type { SettingsStore } from "../db/repos/settings";
import { alerts, customers, importBatches, purchases, users } from "../db/schema";
import {
  type ChurnCustomer,
  type ChurnSettings,
  type ChurnUser,
  type CustomerKind,
  EPSILON,
  EVENTS_READ,
  type OpenEpisode,
  type PurchaseLine,
} from "../domain/churn/churn";
import { addDays, type IsoDate } from "../domain/dates";

/** Kinds that buy (DOMAIN.md §4): departments and doctors prescribe, they do not purchase. */
export const BUYER_KINDS = ["hospital", "pharmacy", "distributor"] as const;
export const CHURN_TYPES = ["churn_overdue", "churn_decline"] as const;
const PAGE = 1000;

export interface BuyerRow {
  id: string;
  name: string;
  kind: CustomerKind;
  ownerId: string;
  ownerManagerId: string | null;
}

export const loadChurnSettings = async (settings: SettingsStore): Promise<ChurnSettings> => ({
  factors: {
    overdueFactor: await settings.get("churn.overdueFactor"),
    upgradeFactor: await settings.get("churn.upgradeFactor"),
  },
  cycleDefaults: await settings.get("churn.cycleDefaults"),
  decline: {
    windowDays: await settings.get("churn.declineWindowDays"),
    ratio: await settings.get("churn.declineRatio"),
  },
  notify: await settings.get("churn.notify"),
  commercialRoles: await settings.get("churn.commercialRoles"),
});

export const loadChurnUsers = async (db: Db): Promise<ChurnUser[]> =>
  db.select({ id: users.id, role: users.role, active: users.active }).from(users);

/**
 * Active, not erased buyers that have at least one purchase, one page after `afterId`;
 * `ownerIds` narrows to some owners (the report's scope), null = everyone. `next` is where
 * the following page starts (null at the end): the page is cut from the purchases' buyer
 * index, so a page can hold fewer rows than the page size and is still not the last.
 */
export const buyerPage = async (
  db: Db,
  afterId: string,
  ownerIds: string[] | null,
): Promise<{ rows: BuyerRow[]; next: string | null }> => {
  if (ownerIds !== null && ownerIds.length === 0) return { rows: [], next: null };
  const manager = sql<string | null>`(select manager_id from users u where u.id = ${customers.ownerId})`;
  const fields = {
    id: customers.id,
    name: customers.name,
    kind: customers.kind,
    ownerId: customers.ownerId,
    ownerManagerId: manager,
  };
  if (ownerIds !== null) {
    // A few owners' books: found through the owner index, then paged by id.
    const rows = await db
      .select(fields)
      .from(customers)
      .where(
        and(
          gt(customers.id, afterId),
          inArray(customers.ownerId, ownerIds),
          inArray(customers.kind, [...BUYER_KINDS]),
          eq(customers.active, true),
          isNull(customers.erasedAt),
          sql`exists (select 1 from ${purchases} p where p.buyer_id = ${customers.id})`,
        ),
      )
      .orderBy(asc(customers.id))
      .limit(PAGE);
    return { rows, next: rows.length === PAGE ? rows[rows.length - 1].id : null };
  }
  // Everyone: the next page of ids that bought, from the purchases' buyer index (walking
  // the customers by id would read every doctor and department too), then their rows.
  // Sorted here: a JSON aggregate promises no order.
  const ids = (
    await readValues<[string]>(
      db,
      sql`select json_group_array(json_array(id)) as rows from (
            select distinct ${purchases.buyerId} as id from ${purchases}
            where ${purchases.buyerId} > ${afterId} order by ${purchases.buyerId} limit ${PAGE})`,
    )
  )
    .map(([id]) => id)
    .sort();
  if (ids.length === 0) return { rows: [], next: null };
  // The kind is checked here, not in SQL: with it there, SQLite walks the kind index (most
  // rows) instead of looking the page's ids up by key. The ids go as one JSON value: a
  // thousand placeholders through drizzle's builder cost more than the lookups.
  const buyers = await readValues<[string, string, CustomerKind, string, string | null]>(
    db,
    sql`select json_group_array(json_array(c.id, c.name, c.kind, c.owner_id,
          (select manager_id from ${users} u where u.id = c.owner_id))) as rows
        from ${customers} c
        where c.id in (select value from json_each(${JSON.stringify(ids)}))
          and c.active = 1 and c.erased_at is null`,
  );
  const rows = buyers
    .filter(([, , kind]) => (BUYER_KINDS as readonly string[]).includes(kind))
    .map(
      ([id, name, kind, ownerId, ownerManagerId]): BuyerRow => ({ id, name, kind, ownerId, ownerManagerId }),
    )
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { rows, next: ids.length === PAGE ? ids[ids.length - 1] : null };
};

/**
 * Rows of many values read as one JSON value: the libSQL client makes every value of every
 * row an object property with Object.defineProperty, which at a thousand buyers a page cost
 * more than SQLite's work (see `jsonRows`). `valuesSql` is a `json_array(…)` per row, and a
 * JSON-valued subquery in it goes through `json(…)` to arrive as JSON, not as text.
 */
const readValues = async <T extends unknown[]>(db: Db, query: SQL): Promise<T[]> => {
  const [row] = await db.all<{ rows: string | null }>(query);
  return JSON.parse(row?.rows ?? "[]") as T[];
};

/** Per buyer of a page `[id, ...columns]`, from subqueries that each read one buyer's index range. */
const perBuyer = <T extends unknown[]>(db: Db, buyerIds: string[], columns: SQL) =>
  readValues<[string, ...T]>(
    db,
    sql`select json_group_array(json_array(b.value, ${columns})) as rows
        from json_each(${JSON.stringify(buyerIds)}) b`,
  );

/**
 * Per buyer: the most recent purchase events — days whose net quantity is positive (the rule
 * of `purchaseEvents`, applied in SQL), at most the `EVENTS_READ` the rules look at, read
 * from the end of the buyer's index range so a long history costs no more than a short one —
 * and whether the company sells to it directly (a line without a seller: ERP or manual entry),
 * which settles its as-of date without reading who else sells to it.
 */
const eventsAndDirect = async (db: Db, buyerIds: string[]) => {
  const rows = await perBuyer<[IsoDate[], number]>(
    db,
    buyerIds,
    sql`json((select json_group_array(day) from (
          select ${purchases.date} as day from ${purchases}
          where ${purchases.buyerId} = b.value
          group by ${purchases.date}
          having sum(${purchases.quantity}) > ${EPSILON}
          order by ${purchases.date} desc
          limit ${EVENTS_READ}))),
        exists (select 1 from ${purchases}
          where ${purchases.buyerId} = b.value and ${purchases.sellerId} is null)`,
  );
  return new Map(rows.map(([id, events, direct]) => [id, { events: events.sort(), direct: direct === 1 }]));
};

/** Per buyer: who sells to it (null = the company; else a distributor). */
const sellersOf = async (db: Db, buyerIds: string[]) => {
  if (buyerIds.length === 0) return new Map<string, (string | null)[]>();
  const rows = await perBuyer<[(string | null)[]]>(
    db,
    buyerIds,
    sql`json((select json_group_array(distinct ${purchases.sellerId}) from ${purchases}
          where ${purchases.buyerId} = b.value))`,
  );
  return new Map(rows.map(([id, sellers]) => [id, sellers]));
};

/** A buyer's decline windows, as `declineCheck` draws them back from the as-of date. */
interface DeclineWindows {
  id: string;
  /** Exclusive start of the previous window. */
  previousStart: IsoDate;
  /** Exclusive start of the last window (the previous window's last day). */
  lastStart: IsoDate;
  /** The as-of date, never after today: the last window's last day. */
  end: IsoDate;
}

/**
 * Per buyer: its two decline windows summed in SQL, as one line per window dated on the
 * window's last day — `declineCheck` reads only the windows' amounts, and returning every
 * day of them (about 30 lines a buyer) cost more to build, parse and sort than the sums.
 * Amounts are whole fen (CNY with at most 2 decimals), so the sum of a window is the sum
 * of its days to the fen; SQLite's total() adds them without drift.
 */
const windowLines = async (db: Db, windows: DeclineWindows[]) => {
  const rows = await readValues<[string, [number, number], [number, number]]>(
    db,
    // Materialized: as a plain subquery, SQLite re-extracted w's JSON fields for every purchase.
    sql`with w(id, ps, ls, e) as materialized (
          select x.value ->> 0, x.value ->> 1, x.value ->> 2, x.value ->> 3
          from json_each(${JSON.stringify(windows.map((w) => [w.id, w.previousStart, w.lastStart, w.end]))}) x)
        select json_group_array(json_array(w.id,
          json((select json_array(total(p.quantity), total(p.amount_cny)) from ${purchases} p
            where p.buyer_id = w.id and p.date > w.ls and p.date <= w.e)),
          json((select json_array(total(p.quantity), total(p.amount_cny)) from ${purchases} p
            where p.buyer_id = w.id and p.date > w.ps and p.date <= w.ls)))) as rows
        from w`,
  );
  const byId = new Map(windows.map((w) => [w.id, w]));
  return new Map(
    rows.map(([id, [lastQuantity, lastCny], [previousQuantity, previousCny]]) => {
      const w = byId.get(id)!;
      const lines: PurchaseLine[] = [
        { date: w.lastStart, quantity: previousQuantity, amountCny: previousCny },
        { date: w.end, quantity: lastQuantity, amountCny: lastCny },
      ];
      return [id, lines];
    }),
  );
};

/**
 * The last day each distributor's flow data covers: the latest flow import naming it as
 * seller, else the latest flow purchase it sold (an import without a recorded asOf).
 */
export const sellerAsOf = async (db: Db): Promise<Map<string, IsoDate>> => {
  const batches = await db
    .select({ sellerId: importBatches.sellerId, asOf: sql<string>`max(${importBatches.asOf})` })
    .from(importBatches)
    .where(
      and(eq(importBatches.source, "flow"), isNotNull(importBatches.sellerId), isNotNull(importBatches.asOf)),
    )
    .groupBy(importBatches.sellerId);
  // One indexed max() per distributor, all in one statement: a GROUP BY would walk every
  // purchase, and a statement per distributor cost 80 µs each (4,000 of them in the bench).
  // (Aliased by hand: drizzle renders a one-table select's columns unqualified, and a bare
  // "id" inside the subquery would be the purchase's.)
  const flows = await db.all<{ sellerId: string; asOf: string | null }>(
    sql`select c.id as sellerId, (select max(p.date) from ${purchases} p where p.seller_id = c.id) as asOf
        from ${customers} c where c.kind = 'distributor'`,
  );
  const out = new Map<string, IsoDate>();
  for (const f of flows) if (f.asOf) out.set(f.sellerId, f.asOf);
  for (const b of batches) if (b.sellerId) out.set(b.sellerId, b.asOf);
  return out;
};

/**
 * A buyer's as-of: today when the company sells to it directly (ERP data is current);
 * otherwise the latest day any of its distributors' flow data covers.
 */
const asOfFor = (sellers: (string | null)[], bySeller: Map<string, IsoDate>, today: IsoDate): IsoDate => {
  if (sellers.includes(null)) return today;
  const dates = sellers.flatMap((s) => (s && bySeller.has(s) ? [bySeller.get(s)!] : []));
  return dates.length ? dates.sort().at(-1)! : today;
};

export interface BuyerHistory extends ChurnCustomer {
  name: string;
  /** The decline windows' totals, one line per window dated on its last day. */
  lines: PurchaseLine[];
}

/** One page of buyers with their recent events, the decline windows' lines and as-of date. */
export const buyerHistories = async (
  db: Db,
  page: BuyerRow[],
  bySeller: Map<string, IsoDate>,
  today: IsoDate,
  declineWindowDays: number,
): Promise<BuyerHistory[]> => {
  if (page.length === 0) return [];
  const ids = page.map((b) => b.id);
  const facts = await eventsAndDirect(db, ids);
  // Only buyers the company never sold to need their sellers read (a distinct over their history).
  const sellers = await sellersOf(
    db,
    ids.filter((id) => !facts.get(id)?.direct),
  );
  const asOf = new Map(
    ids.map((id) => [id, facts.get(id)?.direct ? today : asOfFor(sellers.get(id) ?? [], bySeller, today)]),
  );
  // The decline windows end at the as-of date (never after today) and reach back two windows.
  const windows = ids.map((id): DeclineWindows => {
    const a = asOf.get(id)!;
    const end = a < today ? a : today;
    return {
      id,
      previousStart: addDays(end, -2 * declineWindowDays),
      lastStart: addDays(end, -declineWindowDays),
      end,
    };
  });
  const lines = await windowLines(db, windows);
  return page.map((b) => ({
    ...b,
    events: facts.get(b.id)?.events ?? [],
    asOf: asOf.get(b.id)!,
    lines: lines.get(b.id) ?? [],
  }));
};

export type AlertRow = typeof alerts.$inferSelect;

/** Open churn episodes of some customers, as the rules see them. */
export const openEpisodes = async (db: Db, customerIds: string[]) => {
  if (customerIds.length === 0) return { rows: [] as AlertRow[], episodes: [] as OpenEpisode[] };
  const rows = await db
    .select()
    .from(alerts)
    .where(
      and(
        inJson(alerts.customerId, customerIds),
        inArray(alerts.type, [...CHURN_TYPES]),
        isNull(alerts.closedAt),
      ),
    );
  const episodes: OpenEpisode[] = rows.map((r) => ({
    id: r.id,
    customerId: r.customerId,
    type: r.type as OpenEpisode["type"],
    openedAt: r.openedOn,
    lastPurchase: typeof r.data.lastPurchase === "string" ? r.data.lastPurchase : null,
    level: r.level === "overdue" || r.level === "upgraded" ? r.level : null,
  }));
  return { rows, episodes };
};
