/**
 * ARCHITECTURE.md rule 1: `src/domain` imports nothing outside itself — no SDK, no drizzle,
 * no `process`, no `Date.now()` (a clock is passed in). The checker runs on every domain
 * file, and on small samples first so we know it can fail.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, impureUses, isInside, ROOT, readSource, show, target, tsFilesUnder } from "./source-scan";

const DOMAIN = join(ROOT, "src/domain");

/** Everything in one domain source that breaks the rule, as "file:line what". */
const domainViolations = (file: string, src: string): string[] => {
  const { imports, unresolvable } = importsOf(src);
  const out = unresolvable.map((f) => show(file, f));
  for (const imp of imports) {
    const to = target(file, imp.specifier);
    if ("pkg" in to)
      out.push(show(file, { line: imp.line, message: `imports the package "${imp.specifier}"` }));
    else if (!isInside(to.path, DOMAIN))
      out.push(show(file, { line: imp.line, message: `imports "${imp.specifier}", outside src/domain` }));
  }
  for (const f of impureUses(src)) out.push(show(file, f));
  return out;
};

/** A sample is checked as if it were a file in src/domain/plans. */
const SAMPLE = join(DOMAIN, "plans/sample.ts");
const check = (src: string) => domainViolations(SAMPLE, src);

describe("the domain purity checker", () => {
  it.each([
    ['import { eq } from "drizzle-orm";', 'the package "drizzle-orm"'],
    ["import { and } from 'drizzle-orm/sqlite-core';", 'the package "drizzle-orm/sqlite-core"'],
    ['import type { App } from "@slack/bolt";', 'the package "@slack/bolt"'],
    ['export { WebClient } from "@slack/web-api";', 'the package "@slack/web-api"'],
    ['import "wechaty";', 'the package "wechaty"'],
    ['import {\n  Hono,\n} from "hono";', 'the package "hono"'],
    ['import { z } from "zod";', 'the package "zod"'],
    ['import { readFileSync } from "node:fs";', 'the package "node:fs"'],
    ['const m = await import("wechaty-puppet-service");', 'the package "wechaty-puppet-service"'],
    ['const h = require("hono");', 'the package "hono"'],
    ["const m = await import(`pino`);", 'the package "pino"'],
    ['import x from "../../db/client";', '"../../db/client", outside src/domain'],
    ['import type { Db } from "../../db/client";', '"../../db/client", outside src/domain'],
    ['export * from "../../services/plans";', '"../../services/plans", outside src/domain'],
    ['import { x } from "../../domain-extra/x";', '"../../domain-extra/x", outside src/domain'],
    ["const m = await import(name);", "dynamic of a computed specifier"],
    ["const t = Date.now();", "Date.now()"],
    ["const t = Date . now ();", "Date.now()"],
    ["const u = process.env.X;", "process"],
    ['const u = process["env"];', "process"],
    ["const d = new Date();", "new Date() without an argument"],
    ["const d = new Date;", "new Date without an argument"],
    ["const r = Math.random();", "Math.random()"],
    ["setTimeout(() => done(), 10);", "setTimeout()"],
  ])("reports %s", (src, expected) => {
    const found = check(src);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it("names the file and line of each violation", () => {
    const src =
      'import { addDays } from "../dates";\n\nconst t = Date.now();\nimport { eq } from "drizzle-orm";\n';
    expect(check(src)).toEqual([
      'src/domain/plans/sample.ts:4 imports the package "drizzle-orm"',
      "src/domain/plans/sample.ts:3 uses Date.now()",
    ]);
  });

  it.each([
    ["a comment", "// Date.now() and process.env are never read here\nconst a = 1;"],
    ["a block comment", '/* import { eq } from "drizzle-orm"; Math.random() */\nconst a = 1;'],
    [
      "a doc comment",
      "/**\n * Uses `new Date()` nowhere; setTimeout( is the caller's.\n */\nexport const a = 1;",
    ],
    ["a string", 'const m = "process.env.X, Date.now() and Math.random()";'],
    ["a single-quoted string", "const m = 'new Date() // setTimeout(';"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a source sample for the scanner, not a template
    ["a template", "const m = `process.${key} at Date.now()`;"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a source sample for the scanner, not a template
    ["a string inside a template substitution", 'const m = `${"Date.now()"} and ${a ? "process." : "x"}`;'],
    ["a regex with quotes", "const re = /[\"'](process\\.)/g;\nconst t = d;"],
    [
      "a relative import inside the domain",
      'import { addDays } from "../dates";\nimport { ok } from "./result";',
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a source sample for the scanner, not a template
    ["a Date built from a value", "const d = new Date(iso);\nconst e = new Date(`${day}T00:00:00Z`);"],
    ["a property that shares a name", "const a = options.process.id + clock.setTimeout;\nx.Date.now;"],
    ["an object key named from", 'const range = { from: "2026-01-01", to: "2026-01-31" };'],
  ])("does not report %s", (_what, src) => {
    expect(check(src)).toEqual([]);
  });
});

describe("src/domain", () => {
  const files = tsFilesUnder(DOMAIN);

  it("has its sources where the checker looks", () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files).toContain(join(DOMAIN, "plans/daily-plan.ts"));
  });

  it("imports nothing outside itself and reads no clock, environment, randomness or timer", () => {
    const violations = files.flatMap((file) => domainViolations(file, readSource(file)));
    expect(violations).toEqual([]);
  });

  it("does import within itself, so the import scan sees its files", () => {
    const relativeImports = files.flatMap((file) => importsOf(readSource(file)).imports);
    expect(relativeImports.length).toBeGreaterThan(files.length / 2);
  });
});
