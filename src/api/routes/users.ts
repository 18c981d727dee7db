import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { auditInsert } from "../../db/audit";
import { newId, nowIso } from "../../db/ids";
import { generateBindCode } from "../../db/repos/bind-codes";
import { apiTokens, users } from "../../db/schema";
import { managerChain } from "../../db/team";
import { formatInstant } from "../../domain/dates";
import { generateToken, hashToken } from "../../lib/secrets";
import { pageQuery } from "../../schemas/common";
import { role, userCreate, userPatch } from "../../schemas/users";
import { type AppEnv, canSee, requireRole, visibleUserIds } from "../auth";
import type { ApiDeps } from "../deps";
import { ApiError, badRequest, forbidden, notFound } from "../errors";
import { inIds, pageReader, toPage } from "../pagination";
import { jsonBody, queryOf } from "../validate";

type UserRow = typeof users.$inferSelect;
/** Columns the user JSON does not show (the page does not read them). */
const NOT_SHOWN = ["createdAt", "updatedAt"] as const;
const readUserPage = pageReader(users, { omit: [...NOT_SHOWN] });

export const userJson = (u: Omit<UserRow, (typeof NOT_SHOWN)[number]>) => ({
  id: u.id,
  name: u.name,
  role: u.role,
  managerId: u.managerId,
  email: u.email,
  phone: u.phone,
  locale: u.locale,
  timezone: u.timezone,
  territory: u.territory,
  slackUserId: u.slackUserId,
  wecomUserId: u.wecomUserId,
  active: u.active,
});

const listQuery = pageQuery.extend({
  role: role.optional(),
  managerId: z.string().optional(),
  active: z.enum(["true", "false"]).optional(),
});

export const userRoutes = ({ database, config, services }: ApiDeps) => {
  const { db, write } = database;
  const app = new Hono<AppEnv>();

  const load = async (id: string) => {
    const u = await db.select().from(users).where(eq(users.id, id)).get();
    if (!u) throw notFound("user");
    return u;
  };

  const assertManagerExists = async (managerId: string | null | undefined, selfId?: string) => {
    if (!managerId) return;
    if (managerId === selfId)
      throw badRequest("managerId: a user cannot manage themself", [
        { field: "managerId", message: "a user cannot manage themself" },
      ]);
    const m = await db.select({ id: users.id }).from(users).where(eq(users.id, managerId)).get();
    if (!m) throw badRequest("managerId: no such user", [{ field: "managerId", message: "no such user" }]);
    if (selfId && (await managerChain(db, managerId)).includes(selfId))
      throw badRequest("managerId: this user is above the new manager; the hierarchy would loop", [
        { field: "managerId", message: "would make the hierarchy a loop" },
      ]);
  };

  app.get("/", async (c) => {
    const q = queryOf(c, listQuery);
    const scope = await visibleUserIds(db, c.get("actor"));
    const rows = await readUserPage(
      database.client,
      [
        scope ? inIds("t.id", scope) : undefined,
        q.role ? ["t.role = ?", q.role] : undefined,
        q.managerId ? ["t.manager_id = ?", q.managerId] : undefined,
        q.active ? ["t.active = ?", q.active === "true" ? 1 : 0] : undefined,
      ],
      q.cursor,
      q.limit,
    );
    return c.json(toPage(rows, q.limit, userJson));
  });

  app.get("/:id", async (c) => {
    const scope = await visibleUserIds(db, c.get("actor"));
    if (!canSee(scope, c.req.param("id"))) throw forbidden("this user is outside your team");
    return c.json(userJson(await load(c.req.param("id"))));
  });

  app.post("/", requireRole("admin"), async (c) => {
    const input = await jsonBody(c, userCreate);
    await assertManagerExists(input.managerId);
    const at = nowIso();
    const row = { id: newId(), ...input, createdAt: at, updatedAt: at };
    await write(async (db) => {
      await db.batch([
        db.insert(users).values(row),
        auditInsert(db, {
          actorId: c.get("actor").id,
          action: "create",
          entityType: "user",
          entityId: row.id,
          after: row,
        }),
      ]);
    });
    return c.json(userJson(await load(row.id)), 201);
  });

  app.patch("/:id", async (c) => {
    const actor = c.get("actor");
    const id = c.req.param("id");
    const input = await jsonBody(c, userPatch);
    const selfService =
      actor.id === id && Object.keys(input).every((k) => k === "locale" || k === "timezone");
    if (actor.role !== "admin" && !selfService) throw forbidden("only an admin may change users");
    await assertManagerExists(input.managerId, id);
    await write(async (db) => {
      const before = await db.select().from(users).where(eq(users.id, id)).get();
      if (!before) throw notFound("user");
      if (input.active === false && before.active) {
        const owned = await services.ownership.ownedCount(id);
        if (owned > 0)
          throw new ApiError(
            409,
            "conflict",
            `active: this user still owns ${owned} customers; hand them over first (POST /api/customers/{id}/handover)`,
            { field: "active", owned },
          );
      }
      const after = { ...before, ...input, updatedAt: nowIso() };
      await db.batch([
        db
          .update(users)
          .set({ ...input, updatedAt: after.updatedAt })
          .where(eq(users.id, id)),
        auditInsert(db, {
          actorId: actor.id,
          action: "update",
          entityType: "user",
          entityId: id,
          before,
          after,
        }),
      ]);
    });
    return c.json(userJson(await load(id)));
  });

  app.post("/:id/tokens", requireRole("admin"), async (c) => {
    const user = await load(c.req.param("id"));
    const body = await jsonBody(c, z.object({ name: z.string().max(100).optional() }));
    const token = generateToken();
    const row = {
      id: newId(),
      userId: user.id,
      tokenHash: hashToken(token),
      name: body.name ?? null,
      createdAt: nowIso(),
    };
    await write(async (db) => {
      await db.batch([
        db.insert(apiTokens).values(row),
        auditInsert(db, {
          actorId: c.get("actor").id,
          action: "create",
          entityType: "api_token",
          entityId: row.id,
          after: { userId: user.id, name: row.name },
        }),
      ]);
    });
    return c.json({ id: row.id, token }, 201);
  });

  app.post("/:id/bind-codes", requireRole("admin", "manager"), async (c) => {
    const actor = c.get("actor");
    const user = await load(c.req.param("id"));
    if (!canSee(await visibleUserIds(db, actor), user.id)) throw forbidden("this user is outside your team");
    const { code, expiresAt } = await generateBindCode(database, user.id, actor.id);
    return c.json({ code, expiresAt: formatInstant(new Date(expiresAt), config.timeZone) }, 201);
  });

  return app;
};
