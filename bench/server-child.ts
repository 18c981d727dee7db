/**
 * A server under load in its own process (the load generator stays in the parent):
 * the real app over a data set file, or the floors — a bare Hono app answering a fixed
 * JSON (`GET /floor`) and echoing JSON (`POST /echo`). Tells its port over IPC.
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { compose } from "../src/compose";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { createLogger } from "../src/lib/log";
import { SCRATCH } from "./dataset";

export interface ServerInput {
  mode: "app" | "floor";
  file?: string;
  /** The app's clock (the data set's date), so "昨天" and job dates line up. */
  now?: string;
}

const FIXED = {
  items: Array.from({ length: 50 }, (_, i) => ({
    id: `c-${i}`,
    name: `客户${i}`,
    kind: "doctor",
    city: "北京",
  })),
  nextCursor: null,
};

const floorApp = () => {
  const app = new Hono();
  app.get("/floor", (c) => c.json(FIXED));
  app.post("/echo", async (c) => c.json({ replies: [{ text: "ok" }], echo: await c.req.json() }));
  return app;
};

const main = async () => {
  const input = JSON.parse(process.argv[2]) as ServerInput;
  let fetch: (req: Request) => Response | Promise<Response>;
  let close = () => {};
  if (input.mode === "app") {
    const file = input.file!;
    const database = await openDatabase(`file:${file}`);
    const config = loadConfig(
      {
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
        DATABASE_URL: `file:${file}`,
        SCHEDULER: "off",
        CHAT_API: "on",
      },
      join(SCRATCH, "data"),
    );
    const offset = input.now ? Date.parse(input.now) - Date.now() : 0;
    const app = compose(config, database, createLogger("silent"), {
      appSecret: "bench-app-secret-0123456789",
      now: () => new Date(Date.now() + offset),
      channels: [],
    });
    fetch = app.app.fetch;
    close = () => {
      app.close();
      database.close();
    };
  } else fetch = floorApp().fetch;
  const server = serve({ fetch, port: 0, hostname: "127.0.0.1" });
  server.once("listening", () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on("SIGTERM", () => {
    server.close();
    close();
    process.exit(0);
  });
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
