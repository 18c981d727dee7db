import { Hono } from "hono";
import { z } from "zod";
import { isSettingKey, settingDefaults, settingSchemas } from "../../schemas/settings";
import { type AppEnv, requireRole } from "../auth";
import type { ApiDeps } from "../deps";
import { notFound } from "../errors";
import { jsonBody } from "../validate";

/** Settings are a small fixed set of keys: the list is never paginated beyond one page. */
export const settingRoutes = ({ services }: ApiDeps) => {
  const app = new Hono<AppEnv>();
  const keyOf = (raw: string) => {
    if (!isSettingKey(raw)) throw notFound(`setting ${raw}`);
    return raw;
  };
  const json = (key: string, value: unknown) => ({
    id: key,
    key,
    value,
    default: settingDefaults[key as keyof typeof settingDefaults],
  });

  app.get("/", async (c) => {
    const all = await services.settings.all();
    return c.json({ items: Object.entries(all).map(([k, v]) => json(k, v)), nextCursor: null });
  });

  app.get("/:key", async (c) => {
    const key = keyOf(c.req.param("key"));
    return c.json(json(key, await services.settings.get(key)));
  });

  app.put("/:key", requireRole("admin"), async (c) => {
    const key = keyOf(c.req.param("key"));
    const { value } = await jsonBody(c, z.object({ value: settingSchemas[key] as z.ZodType }));
    await services.settings.set(key, value as never, c.get("actor").id);
    return c.json(json(key, await services.settings.get(key)));
  });

  return app;
};
