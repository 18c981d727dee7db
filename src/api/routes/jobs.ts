import { Hono } from "hono";
import { z } from "zod";
import { localDate } from "../../domain/dates";
import { jobNames } from "../../scheduler/job";
import type { JobRunner } from "../../scheduler/runner";
import { isoDate } from "../../schemas/common";
import { type AppEnv, requireRole } from "../auth";
import type { ApiDeps } from "../deps";
import { badRequest, notFound } from "../errors";
import { jsonBody } from "../validate";

const runBody = z.object({ date: isoDate.optional(), slot: z.enum(["am", "pm"]).optional() });

/** `POST /api/jobs/{job}/run`: run one job now for a date (admin); answers what it queued. */
export const jobRoutes = ({ services }: ApiDeps, runner: JobRunner) => {
  const app = new Hono<AppEnv>();
  app.post("/:job/run", requireRole("admin"), async (c) => {
    const name = c.req.param("job");
    if (!(jobNames as readonly string[]).includes(name))
      throw notFound(`job ${name} (jobs: ${jobNames.join(", ")})`);
    const body = await jsonBody(c, runBody);
    const job = runner.jobs.get(name as (typeof jobNames)[number]);
    if (!job) throw notFound(`job ${name}`);
    const slots = Object.keys(job.at);
    const slot = body.slot ?? (slots.includes("") ? "" : undefined);
    if (slot === undefined || !slots.includes(slot))
      throw badRequest(`slot: ${name} runs in slots ${slots.join(", ")}`, [
        { field: "slot", message: `one of ${slots.join(", ")}` },
      ]);
    const date = body.date ?? localDate(services.now(), services.timeZone);
    const result = await runner.run(job.name, date, slot as "" | "am" | "pm", "manual");
    return c.json(result, result.error ? 500 : 200);
  });
  return app;
};
