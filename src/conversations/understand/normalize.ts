/**
 * Text clean-up shared by every parser here: reps type on phone IMEs that freely mix
 * full-width (ＡＢＣ１２３，全角空格) and half-width characters, so every regex in this
 * folder is written against the half-width form only.
 */

/** Full-width ASCII (U+FF01–U+FF5E), the ideographic space and ￥ → their half-width forms. */
export const toHalfWidth = (text: string): string =>
  text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .replace(/\uFFE5/g, "¥");

/** Half-width, spaces collapsed per line, lines trimmed; newlines are kept (they separate stock lines). */
export const normalize = (text: string): string =>
  toHalfWidth(text)
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t\u00A0]+/g, " ").trim())
    .filter((line) => line.length > 0)
    .join("\n");

/** Cut `[start, end)` out of a text, leaving one space so neighbours do not fuse. */
export const cut = (text: string, start: number, end: number): string =>
  `${text.slice(0, start)} ${text.slice(end)}`.replace(/[ \t]+/g, " ").trim();

/** Escape a literal for use inside a RegExp. */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
