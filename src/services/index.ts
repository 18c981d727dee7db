import type { Config } from "../config";
import type { Database } from "../db/client";
import { createSettingsStore, type SettingsStore } from "../db/repos/settings";

/**
 * The use cases the surfaces (API, chat, scheduler) share, wired to the database.
 * Grows as each area lands; surfaces never reach around it to the tables for rules.
 */
export interface Services {
  settings: SettingsStore;
  timeZone: string;
  now: () => Date;
}

export const createServices = (
  database: Database,
  config: Config,
  now: () => Date = () => new Date(),
): Services => ({
  settings: createSettingsStore(database),
  timeZone: config.timeZone,
  now,
});
