/**
 * ARCHITECTURE.md rule 1, the outer layers: `bot/` knows platforms but no database, and
 * `conversations/` knows the domain but no platform (it may use the platform-neutral
 * message types of `bot/platform.ts`, which every adapter translates to and from).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, isInside, ROOT, readSource, show, target, tsFilesUnder } from "./source-scan";

const SRC = join(ROOT, "src");
const DB = join(SRC, "db");
const BOT = join(SRC, "bot");
const PLATFORM_TYPES = join(BOT, "platform");

const DATABASE_PACKAGES = /^(?:drizzle-orm|drizzle-kit|@libsql\/|libsql|better-sqlite3)/;
const PLATFORM_PACKAGES = /^(?:@slack\/|wechaty)/;

type Rule = (file: string, specifier: string) => string | null;

const violations = (file: string, src: string, rule: Rule): string[] => {
  const { imports, unresolvable } = importsOf(src);
  return [
    ...unresolvable.map((f) => show(file, f)),
    ...imports.flatMap((imp) => {
      const why = rule(file, imp.specifier);
      return why ? [show(file, { line: imp.line, message: why })] : [];
    }),
  ];
};

/** bot/ may not reach the database: no src/db module, no database driver. */
const botRule: Rule = (file, specifier) => {
  const to = target(file, specifier);
  if ("pkg" in to) return DATABASE_PACKAGES.test(to.pkg) ? `imports the database package "${to.pkg}"` : null;
  return isInside(to.path, DB) ? `imports "${specifier}" from src/db` : null;
};

/** conversations/ may not know a platform: no platform SDK, no adapter folder under src/bot. */
const conversationsRule: Rule = (file, specifier) => {
  const to = target(file, specifier);
  if ("pkg" in to) return PLATFORM_PACKAGES.test(to.pkg) ? `imports the platform SDK "${to.pkg}"` : null;
  const path = to.path.replace(/\.(?:ts|js)$/, "");
  return isInside(path, BOT) && path !== PLATFORM_TYPES
    ? `imports the platform adapter "${specifier}"`
    : null;
};

describe("the layer checkers", () => {
  const botSample = join(BOT, "slack/sample.ts");
  const convSample = join(SRC, "conversations/flows/sample.ts");

  it.each([
    ['import { openDatabase } from "../../db/client";', 'imports "../../db/client" from src/db'],
    ['import type { Db } from "../../db/client";', 'imports "../../db/client" from src/db'],
    ['import { users } from "../../db/schema/users.ts";', "from src/db"],
    ['const s = await import("../../db/seed");', "from src/db"],
    ['import { eq } from "drizzle-orm";', 'the database package "drizzle-orm"'],
    ['import { createClient } from "@libsql/client";', 'the database package "@libsql/client"'],
  ])("reports a bot file with %s", (src, expected) => {
    const found = violations(botSample, src, botRule);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it.each([
    ['import { App } from "@slack/bolt";', 'the platform SDK "@slack/bolt"'],
    ['import type { WebClient } from "@slack/web-api";', 'the platform SDK "@slack/web-api"'],
    ['import { types } from "wechaty";', 'the platform SDK "wechaty"'],
    ['const p = require("wechaty-puppet-service");', 'the platform SDK "wechaty-puppet-service"'],
    ['import { render } from "../../bot/slack/render";', 'the platform adapter "../../bot/slack/render"'],
    ['import { parse } from "../../bot/wecom/parse";', 'the platform adapter "../../bot/wecom/parse"'],
  ])("reports a conversations file with %s", (src, expected) => {
    const found = violations(convSample, src, conversationsRule);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it("lets bot/ use services and platforms, and conversations/ the neutral message types", () => {
    const bot = 'import { App } from "@slack/bolt";\nimport type { Services } from "../../services";\n';
    const conv =
      'import type { Reply } from "../../bot/platform";\nimport { recordVisit } from "../../domain/visits/record-visit";\n// import { App } from "@slack/bolt";\n';
    expect(violations(botSample, bot, botRule)).toEqual([]);
    expect(violations(convSample, conv, conversationsRule)).toEqual([]);
  });
});

describe.each([
  ["src/bot", "imports nothing from src/db (bot knows platforms but no database)", botRule],
  [
    "src/conversations",
    "imports no platform SDK or adapter (conversations know no platform)",
    conversationsRule,
  ],
] as const)("%s", (dir, rule, check) => {
  const files = tsFilesUnder(join(ROOT, dir));

  it(rule, () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((file) => violations(file, readSource(file), check))).toEqual([]);
  });
});
