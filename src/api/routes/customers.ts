import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { runBatch } from "../../db/client";
import type { ConsentRow, CustomerRow } from "../../db/repos/customers";
import {
  CustomerInputError,
  insertCustomer,
  latestConsent,
  updateCustomerStatements,
} from "../../db/repos/customers";
import { coverage, customers } from "../../db/schema";
import { formatInstant } from "../../domain/dates";
import { pageQuery } from "../../schemas/common";
import { customerCreate, customerKind, customerPatch, customerStage } from "../../schemas/customers";
import { type AppEnv, canSee, visibleUserIds, writableUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { ApiError, forbidden, notFound } from "../errors";
import { inIds, pageReader, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

const listQuery = pageQuery.extend({
  repId: z.string().optional(),
  kind: customerKind.optional(),
  parentId: z.string().optional(),
  city: z.string().optional(),
  area: z.string().optional(),
  stage: customerStage.optional(),
  q: z.string().max(100).optional(),
});

/** Columns no customer JSON shows (the page does not read them). */
const NOT_SHOWN = ["wecomExternalId", "createdAt", "updatedAt"] as const;
/** What `customerJson` and the computed fields read of a customer. */
export type ShownCustomer = Omit<CustomerRow, (typeof NOT_SHOWN)[number] | "smsConsent" | "emailConsent">;

/**
 * Latest consent event of one channel, as `latestConsent` picks it (newest `at`, then id).
 * Only looked up when the customer's state column (kept from the ledger on every write, and
 * what sending trusts) says there is one: most customers have none.
 */
const latestConsentSql = (channel: "sms" | "email") =>
  `case when page.${channel}_consent <> 'none' then json((select json_array(e.id, e.state, e.at, e.by, e.method, e.evidence)
    from consent_events e where e.customer_id = page.id and e.channel = '${channel}' order by e.at desc, e.id desc limit 1)) end`;

/**
 * A page of customers with, per row, its current consent per channel and what the computed
 * fields need (a doctor's segments, a hospital's or pharmacy's coverage; the decorator puts
 * them in product order): one statement.
 */
const readCustomerPage = pageReader(customers, {
  omit: [...NOT_SHOWN],
  extras: {
    smsLatest: latestConsentSql("sms"),
    emailLatest: latestConsentSql("email"),
    segments: `case when page.kind = 'doctor' then json((select json_group_array(json_array(s.product_id, s.usage, s.potential))
      from segments s where s.customer_id = page.id)) end`,
    coverage: `case when page.kind in ('hospital', 'pharmacy') then json((select json_group_array(json_array(v.product_id, v.listed, v.reason))
      from coverage v where v.customer_id = page.id)) end`,
  },
});
const segmentLink = ([productId, usage, potential]: unknown[]) => ({
  productId: productId as string,
  usage: usage as number,
  potential: potential as number,
});
const coverageLink = ([productId, listed, reason]: unknown[]) => ({
  productId: productId as string,
  listed: coverage.listed.mapFromDriverValue(listed as number) as boolean,
  reason: reason as string | null,
});
const consentOf = (
  customerId: string,
  channel: ConsentRow["channel"],
  v: unknown,
): ConsentRow | undefined => {
  if (!Array.isArray(v)) return undefined;
  const [id, state, at, by, method, evidence] = v as string[];
  return { id, customerId, channel, state, at, by, method, evidence } as ConsentRow;
};

const asInputError = (e: unknown) =>
  e instanceof CustomerInputError
    ? new ApiError(400, "validation", `${e.field}: ${e.message}`, [{ field: e.field, message: e.message }])
    : e;

export const customerRoutes = (deps: ApiDeps, decorate: CustomerDecorator = noDecoration) => {
  const { database, config } = deps;
  const { db, write } = database;
  const app = new Hono<AppEnv>();

  const consentJson = (r: ConsentRow | undefined) =>
    r
      ? {
          state: r.state,
          at: formatInstant(new Date(r.at), config.timeZone),
          by: r.by,
          method: r.method,
          evidence: r.evidence,
        }
      : { state: "none" as const, at: null, by: null, method: null, evidence: null };

  const toJson = async (rows: CustomerRow[]) => {
    const consent = await latestConsent(
      db,
      rows.map((r) => r.id),
    );
    const extra = await decorate(rows);
    return rows.map((r) => customerJson(r, consentJson, consent.get(r.id), extra.get(r.id)));
  };

  const loadVisible = async (c: { get(k: "actor"): AppEnv["Variables"]["actor"] }, id: string) => {
    const row = await db.select().from(customers).where(eq(customers.id, id)).get();
    if (!row) throw notFound("customer");
    if (!canSee(await visibleUserIds(db, c.get("actor")), row.ownerId))
      throw forbidden("this customer belongs to someone outside your scope");
    return row;
  };

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const rows = await readCustomerPage(
      database.client,
      [
        scope ? inIds("t.owner_id", scope) : undefined,
        q.repId ? ["t.owner_id = ?", q.repId] : undefined,
        q.kind ? ["t.kind = ?", q.kind] : undefined,
        q.parentId ? ["t.parent_id = ?", q.parentId] : undefined,
        q.city ? ["t.city = ?", q.city] : undefined,
        q.area ? ["t.area = ?", q.area] : undefined,
        q.stage ? ["t.stage = ?", q.stage] : undefined,
        q.q ? ["t.name like ?", `%${q.q.replace(/[%_]/g, "")}%`] : undefined,
      ],
      q.cursor,
      q.limit,
    );
    const page = toPage(rows, q.limit, (r) => r);
    const loaded: LoadedLinks = { segments: new Map(), coverage: new Map() };
    for (const r of page.items) {
      if (r.segments) loaded.segments.set(r.id, (r.segments as unknown[][]).map(segmentLink));
      if (r.coverage) loaded.coverage.set(r.id, (r.coverage as unknown[][]).map(coverageLink));
    }
    const extra = await decorate(page.items, loaded);
    return c.json({
      items: page.items.map((r) =>
        customerJson(
          r,
          consentJson,
          { sms: consentOf(r.id, "sms", r.smsLatest), email: consentOf(r.id, "email", r.emailLatest) },
          extra.get(r.id),
        ),
      ),
      nextCursor: page.nextCursor,
    });
  });

  app.get("/:id", async (c) => {
    const row = await loadVisible(c, c.req.param("id"));
    return c.json((await toJson([row]))[0]);
  });

  app.post("/", async (c) => {
    const actor = c.get("actor");
    const input = await jsonBody(c, customerCreate);
    const ownerId = input.ownerId ?? actor.id;
    const scope = await writableUserIds(db, actor);
    if (!canSee(scope, ownerId)) throw forbidden("you may only create customers for yourself or your team");
    const id = await write(async (db) => {
      const { id, statements } = await insertCustomer(db, { ...input, ownerId }, actor.id).catch((e) => {
        throw asInputError(e);
      });
      await runBatch(db, [...statements]);
      return id;
    });
    const row = await db.select().from(customers).where(eq(customers.id, id)).get();
    return c.json((await toJson([row!]))[0], 201);
  });

  app.patch("/:id", async (c) => {
    const actor = c.get("actor");
    const before = await loadVisible(c, c.req.param("id"));
    const scope = await writableUserIds(db, actor);
    if (!canSee(scope, before.ownerId)) throw forbidden("read-only for your role");
    const patch = await jsonBody(c, customerPatch);
    if (patch.ownerId && patch.ownerId !== before.ownerId)
      throw new ApiError(400, "validation", "ownerId: change owners with POST /api/customers/{id}/handover", [
        { field: "ownerId", message: "use the handover action" },
      ]);
    await write(async (db) => {
      const statements = await updateCustomerStatements(db, before, patch, actor.id).catch((e) => {
        throw asInputError(e);
      });
      await runBatch(db, statements);
    });
    return c.json((await toJson([await loadVisible(c, before.id)]))[0]);
  });

  return app;
};

/** A page's segments and coverage, read with it (customer id → rows; the decorator orders them). */
export interface LoadedLinks {
  segments: Map<string, { productId: string; usage: number; potential: number }[]>;
  coverage: Map<string, { productId: string; listed: boolean; reason: string | null }[]>;
}

/**
 * Computed fields (grades, segments) added by the field-work rules; given `loaded`, it uses
 * those rows for the customers in it instead of reading them.
 */
export type CustomerDecorator = (
  rows: ShownCustomer[],
  loaded?: LoadedLinks,
) => Promise<Map<string, Record<string, unknown>>>;
const noDecoration: CustomerDecorator = async () => new Map();

const PERSONAL_BY_KIND: Record<string, string[]> = {
  hospital: ["beds", "dailyOutpatients", "monthlyPurchaseCny"],
  pharmacy: ["monthlySalesCny", "ourMonthlySalesCny", "chain"],
  doctor: ["department", "title", "kol"],
  distributor: ["tier"],
  department: [],
};

export const customerJson = (
  r: ShownCustomer,
  consentJson: (r: ConsentRow | undefined) => unknown,
  consent: { sms?: ConsentRow; email?: ConsentRow } | undefined,
  extra: Record<string, unknown> = {},
) => {
  const base: Record<string, unknown> = {
    id: r.id,
    code: r.code,
    kind: r.kind,
    name: r.name,
    parentId: r.parentId,
    ownerId: r.ownerId,
    city: r.city,
    cityTier: r.cityTier,
    area: r.area,
    address: r.address,
    phone: r.phone,
    email: r.email,
    birthday: r.birthday,
    timezone: r.timezone,
    locale: r.locale,
    preferences: r.preferences,
    bestVisitSlot: r.bestVisitSlot,
    stage: r.stage,
    consent: { sms: consentJson(consent?.sms), email: consentJson(consent?.email) },
    preferredChannel: r.preferredChannel,
    active: r.active,
    erased: r.erasedAt !== null,
  };
  for (const k of PERSONAL_BY_KIND[r.kind] ?? []) base[k] = r[k as keyof ShownCustomer];
  // Not `{ ...base, ...extra }`: copying an object grown key by key cost ~4 µs a customer.
  return Object.assign(base, extra);
};
