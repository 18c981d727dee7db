import type { Logger } from "pino";
import type { Config } from "../config";
import type { Database } from "../db/client";
import type { Services } from "../services";

/** What every route module is built from (main.ts creates it). */
export interface ApiDeps {
  database: Database;
  config: Config;
  log: Logger;
  services: Services;
  platforms: () => Record<string, "on" | "off" | "error">;
}
