import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { Engine } from "../../conversations/engine";
import { chatEvents, users } from "../../db/schema";
import { takeConsoleMessages } from "../../notify/channels/console";
import { renderChat } from "../../notify/templates";
import type { AppEnv } from "../auth";
import type { ApiDeps } from "../deps";
import { forbidden, notFound } from "../errors";
import { jsonBody } from "../validate";

const chatBody = z
  .object({
    userId: z.string().min(1).max(64).optional(),
    eventId: z.string().trim().min(1, "is required: a unique id per message").max(200),
    text: z.string().max(20_000).optional(),
    action: z.object({ id: z.string().min(1).max(2000) }).optional(),
  })
  .refine((b) => b.text !== undefined || b.action !== undefined, {
    path: ["text"],
    message: "text or action is required",
  });

/**
 * `POST /api/chat`: the conversation engine as a chat platform sees it, plus the console
 * messages queued for this user since the last call (`pending`).
 */
export const chatRoutes = (deps: ApiDeps, engine: Engine) => {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    const actor = c.get("actor");
    const body = await jsonBody(c, chatBody);
    const userId = body.userId ?? actor.id;
    if (userId !== actor.id) {
      if (actor.role !== "admin") throw forbidden("userId: only an admin may try flows as another user");
      const target = await deps.database.db
        .select({ active: users.active })
        .from(users)
        .where(eq(users.id, userId))
        .get();
      if (!target?.active) throw notFound(`userId: active user ${userId}`);
    }
    // Event ids are the caller's own: one user's id must not answer with another user's turn.
    const eventId = `${userId}:${body.eventId}`;
    // The engine asks for statements to commit with an answer only when it stores a new one.
    let fresh = false;
    const result = await engine.handle(
      {
        platform: "api",
        eventId,
        userId,
        text: body.text,
        action: body.action,
        impersonatedBy: userId !== actor.id ? actor.id : undefined,
      },
      () => {
        fresh = true;
        return [];
      },
    );
    // A repeated event is the first answer, its pending messages included; nothing new is taken.
    // Byte for byte the first answer (same keys, same order): `pending` is stored with it when any.
    if (!fresh) return c.json({ ...result, pending: (result as { pending?: unknown[] }).pending ?? [] });
    // An admin trying flows as someone sees that user's messages but leaves them unread: theirs.
    const taken = await takeConsoleMessages(deps.database, userId, userId === actor.id);
    const pending = taken.map((row) => ({
      id: row.id,
      template: row.template,
      createdAt: row.createdAt,
      ...renderChat(row.template, row.locale, row.data),
    }));
    const answer = { ...result, pending };
    if (pending.length)
      await deps.database.write((db) =>
        db
          .update(chatEvents)
          .set({ response: answer })
          .where(and(eq(chatEvents.platform, "api"), eq(chatEvents.eventId, eventId))),
      );
    return c.json(answer);
  });
  return app;
};
