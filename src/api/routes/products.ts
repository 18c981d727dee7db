import { eq, like, or, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { auditInsert } from "../../db/audit";
import { newId, nowIso } from "../../db/ids";
import { products } from "../../db/schema";
import { productCreate, productPatch } from "../../schemas/catalog";
import { pageQuery } from "../../schemas/common";
import { type AppEnv, requireRole } from "../auth";
import type { ApiDeps } from "../deps";
import { ApiError, notFound } from "../errors";
import { pageWhere, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

type ProductRow = typeof products.$inferSelect;
export const productJson = (p: ProductRow) => ({
  id: p.id,
  code: p.code,
  name: p.name,
  nameEn: p.nameEn,
  unit: p.unit,
  rx: p.rx,
  aliases: p.aliases,
  active: p.active,
});

export const productRoutes = ({ database }: ApiDeps) => {
  const { db, write } = database;
  const app = new Hono<AppEnv>();
  const load = async (id: string) => {
    const p = await db.select().from(products).where(eq(products.id, id)).get();
    if (!p) throw notFound("product");
    return p;
  };
  const assertCodeFree = async (code: string | undefined, selfId?: string) => {
    if (!code) return;
    const other = await db.select({ id: products.id }).from(products).where(eq(products.code, code)).get();
    if (other && other.id !== selfId)
      throw new ApiError(409, "conflict", "code: already used by another product", [
        { field: "code", message: "already used" },
      ]);
  };

  app.get("/", async (c) => {
    const q = queryOf(
      c,
      pageQuery.extend({ q: z.string().max(100).optional(), active: z.enum(["true", "false"]).optional() }),
    );
    const text = q.q?.replace(/[%_]/g, "");
    const filters: (SQL | undefined)[] = [
      text
        ? or(
            like(products.name, `%${text}%`),
            like(products.nameEn, `%${text}%`),
            like(products.aliases, `%${text}%`),
          )
        : undefined,
      q.active ? eq(products.active, q.active === "true") : undefined,
    ];
    const { where, orderBy } = pageWhere(products.id, q.cursor, filters);
    const rows = await db
      .select()
      .from(products)
      .where(where)
      .orderBy(orderBy)
      .limit(q.limit + 1);
    return c.json(toPage(rows, q.limit, productJson));
  });

  app.get("/:id", async (c) => c.json(productJson(await load(c.req.param("id")))));

  app.post("/", requireRole("admin"), async (c) => {
    const input = await jsonBody(c, productCreate);
    await assertCodeFree(input.code);
    const at = nowIso();
    const id = newId();
    const row = {
      ...input,
      id,
      code: input.code ?? `PRD${id.slice(-6).toUpperCase()}`,
      createdAt: at,
      updatedAt: at,
    };
    await write((db) =>
      db.batch([
        db.insert(products).values(row),
        auditInsert(db, {
          actorId: c.get("actor").id,
          action: "create",
          entityType: "product",
          entityId: id,
          after: row,
        }),
      ]),
    );
    return c.json(productJson(await load(id)), 201);
  });

  app.patch("/:id", requireRole("admin"), async (c) => {
    const before = await load(c.req.param("id"));
    const patch = await jsonBody(c, productPatch);
    await assertCodeFree(patch.code, before.id);
    const set = { ...patch, updatedAt: nowIso() };
    await write((db) =>
      db.batch([
        db.update(products).set(set).where(eq(products.id, before.id)),
        auditInsert(db, {
          actorId: c.get("actor").id,
          action: "update",
          entityType: "product",
          entityId: before.id,
          before,
          after: { ...before, ...set },
        }),
      ]),
    );
    return c.json(productJson(await load(before.id)));
  });

  return app;
};
