import { eq } from "drizzle-orm";
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
import { pageReader, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

type ProductRow = typeof products.$inferSelect;
/** Columns the product JSON does not show (the page does not read them). */
const NOT_SHOWN = ["createdAt", "updatedAt"] as const;
const readProductPage = pageReader(products, { omit: [...NOT_SHOWN] });
/** Built once: a zod schema built per request cost more than the page's query. */
const listQuery = pageQuery.extend({
  q: z.string().max(100).optional(),
  active: z.enum(["true", "false"]).optional(),
});
export const productJson = (p: Omit<ProductRow, (typeof NOT_SHOWN)[number]>) => ({
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
    const q = queryOf(c, listQuery);
    const text = q.q ? `%${q.q.replace(/[%_]/g, "")}%` : undefined;
    const rows = await readProductPage(
      database.client,
      [
        text ? ["t.name like ? or t.name_en like ? or t.aliases like ?", text, text, text] : undefined,
        q.active ? ["t.active = ?", q.active === "true" ? 1 : 0] : undefined,
      ],
      q.cursor,
      q.limit,
    );
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
