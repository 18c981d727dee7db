/**
 * A small source scanner for the architecture tests: what a TypeScript file imports, and
 * which forbidden globals it touches, with comments and string contents out of the way so a
 * comment that mentions `Date.now()` or a message containing "process." does not count.
 * (TypeScript 7 ships no JS compiler API, hence a hand-written lexer; it understands
 * comments, quotes, template literals with `${}` nesting and regex literals.)
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

export interface Stripped {
  /** The source with comments blanked and every string/template text replaced by `"#<n>"`. */
  code: string;
  /** The string literals (and substitution-free templates), by the `n` above. */
  literals: string[];
}

// After these characters (or keywords) a `/` starts a regex, elsewhere it divides.
const REGEX_AFTER_CHAR = new Set([..."(,=:[!&|?{};+-*%<>~^"]);
const REGEX_AFTER_WORD =
  /(?:^|[^\w$])(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/;

/** Removes comments and string contents; keeps positions roughly (for line numbers). */
export const stripSource = (src: string): Stripped => {
  const literals: string[] = [];
  let out = "";
  let i = 0;
  // Each entry is the brace depth of an open `${` inside a template literal.
  const templateStack: number[] = [];
  let braceDepth = 0;

  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  const pushLiteral = (value: string, raw: string) => {
    literals.push(value);
    const marker = `"#${literals.length - 1}"`;
    // Keep the newlines of a multi-line literal so line numbers stay right.
    const newlines = raw.split("\n").length - 1;
    out += marker + "\n".repeat(newlines);
  };
  const lastSignificant = () => out.replace(/\s+$/, "");

  /** Reads template text from i (just after ` or }) to the closing ` or an opening ${. */
  const readTemplateText = (): { text: string; raw: string; opensExpr: boolean } => {
    let text = "";
    let raw = "";
    while (i < src.length) {
      const c = src[i];
      if (c === "\\") {
        text += src.slice(i, i + 2);
        raw += src.slice(i, i + 2);
        i += 2;
      } else if (c === "`") {
        i += 1;
        return { text, raw, opensExpr: false };
      } else if (c === "$" && src[i + 1] === "{") {
        i += 2;
        return { text, raw, opensExpr: true };
      } else {
        text += c;
        raw += c;
        i += 1;
      }
    }
    return { text, raw, opensExpr: false };
  };

  const template = (startedWithBacktick: boolean) => {
    const { text, raw, opensExpr } = readTemplateText();
    if (startedWithBacktick && !opensExpr) {
      pushLiteral(text, raw);
      return;
    }
    out += `\`${blank(raw)}${opensExpr ? "${" : "`"}`;
    if (opensExpr) templateStack.push(braceDepth);
  };

  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      const end = src.indexOf("\n", i);
      const stop = end === -1 ? src.length : end;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < src.length && src[j] !== c && src[j] !== "\n") {
        if (src[j] === "\\") {
          value += src[j + 1] ?? "";
          j += 2;
        } else {
          value += src[j];
          j += 1;
        }
      }
      pushLiteral(value, src.slice(i, j + 1));
      i = j + 1;
    } else if (c === "`") {
      i += 1;
      template(true);
    } else if (c === "{") {
      braceDepth += 1;
      out += c;
      i += 1;
    } else if (c === "}") {
      if (templateStack.length && templateStack[templateStack.length - 1] === braceDepth) {
        templateStack.pop();
        i += 1;
        out += "}";
        template(false);
      } else {
        braceDepth -= 1;
        out += c;
        i += 1;
      }
    } else if (c === "/") {
      const before = lastSignificant();
      const prev = before[before.length - 1];
      if (prev === undefined || REGEX_AFTER_CHAR.has(prev) || REGEX_AFTER_WORD.test(before)) {
        // A regex literal: skip to its closing slash (not inside a [class]), then its flags.
        let j = i + 1;
        let inClass = false;
        while (j < src.length && src[j] !== "\n") {
          if (src[j] === "\\") j += 1;
          else if (src[j] === "[") inClass = true;
          else if (src[j] === "]") inClass = false;
          else if (src[j] === "/" && !inClass) break;
          j += 1;
        }
        j += 1;
        while (j < src.length && /[a-z]/i.test(src[j])) j += 1;
        out += `/${blank(src.slice(i + 1, j - 1))}/`;
        i = j;
      } else {
        out += c;
        i += 1;
      }
    } else {
      out += c;
      i += 1;
    }
  }
  return { code: out, literals };
};

export interface ImportRef {
  specifier: string;
  line: number;
  kind: "import" | "export-from" | "side-effect" | "dynamic" | "require";
}

export interface Finding {
  line: number;
  message: string;
}

const lineAt = (code: string, index: number) => code.slice(0, index).split("\n").length;

/** Every module a source pulls in; a dynamic import or require of a non-literal is a finding. */
export const importsOf = (src: string): { imports: ImportRef[]; unresolvable: Finding[] } => {
  const { code, literals } = stripSource(src);
  const imports: ImportRef[] = [];
  const unresolvable: Finding[] = [];
  const patterns: [RegExp, ImportRef["kind"]][] = [
    [/(?<![\w$.])import\b(?!\s*[(.])[^;]*?\bfrom\s*"#(\d+)"/g, "import"],
    [/(?<![\w$.])export\b[^;]*?\bfrom\s*"#(\d+)"/g, "export-from"],
    [/(?<![\w$.])import\s*"#(\d+)"/g, "side-effect"],
  ];
  for (const [re, kind] of patterns)
    for (const m of code.matchAll(re))
      imports.push({ specifier: literals[Number(m[1])], line: lineAt(code, m.index), kind });
  for (const [re, kind] of [
    [/(?<![\w$.])import\s*\(\s*(?:"#(\d+)"\s*[,)])?/g, "dynamic"],
    [/(?<![\w$.])require\s*\(\s*(?:"#(\d+)"\s*[,)])?/g, "require"],
  ] as const)
    for (const m of code.matchAll(re)) {
      const line = lineAt(code, m.index);
      if (m[1] === undefined) unresolvable.push({ line, message: `${kind} of a computed specifier` });
      else imports.push({ specifier: literals[Number(m[1])], line, kind });
    }
  imports.sort((a, b) => a.line - b.line);
  return { imports, unresolvable };
};

/** Reading the clock, the environment, randomness or timers: none belongs in pure domain code. */
const IMPURE: readonly [RegExp, string][] = [
  [/(?<![\w$.])process\s*(?:\.|\?\.|\[)/g, "process"],
  [/(?<![\w$.])Date\s*\.\s*now\s*\(/g, "Date.now()"],
  [/(?<![\w$.])new\s+Date\s*\(\s*\)/g, "new Date() without an argument"],
  [/(?<![\w$.])new\s+Date\b(?!\s*\()/g, "new Date without an argument"],
  [/(?<![\w$.])Math\s*\.\s*random\s*\(/g, "Math.random()"],
  [/(?<![\w$.])setTimeout\s*\(/g, "setTimeout()"],
  [/(?<![\w$.])setInterval\s*\(/g, "setInterval()"],
];

export const impureUses = (src: string): Finding[] => {
  const { code } = stripSource(src);
  return IMPURE.flatMap(([re, what]) =>
    [...code.matchAll(re)].map((m) => ({ line: lineAt(code, m.index), message: `uses ${what}` })),
  );
};

const isRelative = (s: string) => s.startsWith("./") || s.startsWith("../") || s === "." || s === "..";

/** Where a specifier points: a file path for relative ones, else the bare package name. */
export const target = (file: string, specifier: string): { path: string } | { pkg: string } =>
  isRelative(specifier) || specifier.startsWith("/")
    ? { path: resolve(dirname(file), specifier) }
    : { pkg: specifier };

export const isInside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

/** Every `.ts` file under a directory, sorted. */
export const tsFilesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f))
    .sort();

export const readSource = (file: string) => readFileSync(file, "utf8");

export const show = (file: string, f: Finding) => `${relative(ROOT, file)}:${f.line} ${f.message}`;
