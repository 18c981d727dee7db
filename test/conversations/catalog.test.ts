import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogParts, hasMessage, translate } from "../../src/conversations/messages";

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });

/** Keys written literally where the bot speaks: t("…"), ctx.t("…"), and message keys of failures. */
const keysUsedInCode = () => {
  const keys = new Set<string>();
  const patterns = [
    /\bt\(\s*"([a-z_]+(?:\.[a-z_0-9]+)+)"/g,
    /fail(?:<[^>]*>)?\(\s*"[a-z_]+",\s*"([a-z_]+(?:\.[a-z_0-9]+)+)"/g,
    /\bkey:\s*"([a-z_]+(?:\.[a-z_0-9]+)+)"/g,
  ];
  for (const file of sourceFiles("src")) {
    const text = readFileSync(file, "utf8");
    for (const re of patterns) for (const m of text.matchAll(re)) keys.add(m[1]);
  }
  return [...keys].sort();
};

describe("message catalog", () => {
  it("has every sentence in both zh-CN and en, non-empty", () => {
    for (const part of catalogParts)
      for (const [key, [zh, en]] of Object.entries(part)) {
        expect(zh.trim(), key).not.toBe("");
        expect(en.trim(), key).not.toBe("");
      }
  });

  it("defines no key twice across its files", () => {
    const seen = new Map<string, number>();
    for (const part of catalogParts)
      for (const key of Object.keys(part)) seen.set(key, (seen.get(key) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([k]) => k)).toEqual([]);
  });

  it("knows every key the code says", () => {
    const missing = keysUsedInCode().filter((k) => !hasMessage(k));
    expect(missing).toEqual([]);
  });

  it("uses the same placeholders in both languages", () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const part of catalogParts)
      for (const [key, [zh, en]] of Object.entries(part)) expect(names(en), key).toEqual(names(zh));
  });

  it("fills placeholders and picks the user's language", () => {
    expect(translate("zh-CN", "visit.saved_follow_up", { date: "2026-11-24" })).toBe(
      "📅 2026-11-24 会提醒你复访。",
    );
    expect(translate("en", "visit.saved_follow_up", { date: "2026-11-24" })).toBe(
      "📅 I'll remind you to follow up on 2026-11-24.",
    );
  });
});
