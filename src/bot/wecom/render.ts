import type { Choice, Reply } from "../platform";

type T = (key: string, params?: Record<string, string | number | null | undefined>) => string;

/** WeCom refuses text messages past about 2,000 characters; stay a little under. */
export const TEXT_LIMIT = 1900;
/** Numbered choices shown per message; the rest wait for "更多" / "more". */
export const PAGE_SIZE = 10;

const chars = (s: string) => Array.from(s);

/**
 * Long text as pieces of at most `max` characters, cut at line ends so a numbered line or a
 * "label：value" line is never torn; only a single line longer than `max` is cut inside.
 */
export const splitText = (text: string, max: number = TEXT_LIMIT): string[] => {
  const out: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    let rest = chars(line);
    while (rest.length > max) {
      if (current) out.push(current);
      current = "";
      out.push(rest.slice(0, max).join(""));
      rest = rest.slice(max);
    }
    const piece = rest.join("");
    const joined = current ? `${current}\n${piece}` : piece;
    if (chars(joined).length > max) {
      out.push(current);
      current = piece;
    } else current = joined;
  }
  if (current || out.length === 0) out.push(current);
  return out;
};

/**
 * Approval buttons become the exact text replies (`同意 E42` / `驳回 E42 理由`), which the
 * approval request already spells out; every other choice is a numbered line.
 */
export const numberedChoices = (choices: Choice[] | undefined): Choice[] =>
  (choices ?? []).filter((c) => !c.id.startsWith("approval:"));

/** Lines for choices [from, to), numbered globally so "12" on page two still means the 12th. */
export const choiceLines = (choices: Choice[], from: number, to: number): string[] =>
  choices.slice(from, to).map((c, i) => `${from + i + 1}. ${c.label}`);

/** The footer under a page of choices: the reply range, and how many are still hidden. */
export const choiceFooter = (total: number, shown: number, t: T): string[] => [
  t("common.reply_range", { n: total }),
  ...(shown < total ? [t("wecom.more_hint", { left: total - shown })] : []),
];

/** One reply as WeCom text: the text, the summary as "label：value" lines, the first page of choices. */
export const renderReply = (reply: Reply, t: T): { text: string; choices: Choice[]; shown: number } => {
  const choices = numberedChoices(reply.choices);
  const shown = Math.min(choices.length, PAGE_SIZE);
  const lines = [
    ...(reply.text ? [reply.text] : []),
    ...(reply.summary ?? []).map((f) => `${f.label}：${f.value || "—"}`),
    ...choiceLines(choices, 0, shown),
    ...(choices.length ? choiceFooter(choices.length, shown, t) : []),
  ];
  return { text: lines.join("\n"), choices, shown };
};

/** The next page of a list already on screen. */
export const renderPage = (choices: Choice[], from: number, t: T): { text: string; shown: number } => {
  const shown = Math.min(choices.length, from + PAGE_SIZE);
  return {
    text: [...choiceLines(choices, from, shown), ...choiceFooter(choices.length, shown, t)].join("\n"),
    shown,
  };
};
