import { eq, getTableColumns, inArray, like, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { runBatch } from "../../db/client";
import { readJsonSelect } from "../../db/json-rows";
import type { ConsentRow, CustomerRow } from "../../db/repos/customers";
import {
  CustomerInputError,
  insertCustomer,
  latestConsent,
  updateCustomerStatements,
} from "../../db/repos/customers";
import { customers } from "../../db/schema";
import { formatInstant } from "../../domain/dates";
import { pageQuery } from "../../schemas/common";
import { customerCreate, customerKind, customerPatch, customerStage } from "../../schemas/customers";
import { type AppEnv, canSee, visibleUserIds, writableUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { ApiError, forbidden, notFound } from "../errors";
import { byId, pageWhere, toPage } from "../pagination";
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
    const filters: (SQL | undefined)[] = [
      scope ? inArray(customers.ownerId, scope) : undefined,
      q.repId ? eq(customers.ownerId, q.repId) : undefined,
      q.kind ? eq(customers.kind, q.kind) : undefined,
      q.parentId ? eq(customers.parentId, q.parentId) : undefined,
      q.city ? eq(customers.city, q.city) : undefined,
      q.area ? eq(customers.area, q.area) : undefined,
      q.stage ? eq(customers.stage, q.stage) : undefined,
      q.q ? like(customers.name, `%${q.q.replace(/[%_]/g, "")}%`) : undefined,
    ];
    const { where, orderBy } = pageWhere(customers.id, q.cursor, filters);
    const columns = getTableColumns(customers);
    const rows = await readJsonSelect(
      db,
      columns,
      db
        .select(columns)
        .from(customers)
        .where(where)
        .orderBy(orderBy)
        .limit(q.limit + 1),
    );
    const page = toPage(byId(rows), q.limit, (r) => r);
    return c.json({ items: await toJson(page.items), nextCursor: page.nextCursor });
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

/** Computed fields (grades, segments) added by the field-work rules. */
export type CustomerDecorator = (rows: CustomerRow[]) => Promise<Map<string, Record<string, unknown>>>;
const noDecoration: CustomerDecorator = async () => new Map();

const PERSONAL_BY_KIND: Record<string, string[]> = {
  hospital: ["beds", "dailyOutpatients", "monthlyPurchaseCny"],
  pharmacy: ["monthlySalesCny", "ourMonthlySalesCny", "chain"],
  doctor: ["department", "title", "kol"],
  distributor: ["tier"],
  department: [],
};

export const customerJson = (
  r: CustomerRow,
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
  for (const k of PERSONAL_BY_KIND[r.kind] ?? []) base[k] = r[k as keyof CustomerRow];
  return { ...base, ...extra };
};
