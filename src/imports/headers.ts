import { parse } from "csv-parse/sync";
import { ImportFileError } from "./errors";

/** For each field an importer knows, the header spellings accepted (English and Chinese). */
export type AliasTable<F extends string> = Record<F, readonly string[]>;

/** One data row: its row number in the file (header = row 1) and its non-empty cells by field. */
export interface SheetRow<F extends string> {
  row: number;
  values: Partial<Record<F, string>>;
}

export interface Sheet<F extends string> {
  rows: SheetRow<F>[];
  /** The header as written in the file, per field, so errors name the column the user sees. */
  columnOf: Partial<Record<F, string>>;
  /** Headers no field answers to: their cells are not read, and the answer says so. */
  ignored: string[];
}

/**
 * Case, surrounding blanks, inner spaces/underscores and a required-marker `*` do not matter,
 * nor full-width forms (金额（元）, ＱＴＹ): NFKC folds them to the ASCII the aliases use.
 */
export const normalizeHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, "")
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s_*\u3000]/g, "");

const parseRecords = (text: string): string[][] => {
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: false, relax_quotes: true });
  } catch (e) {
    throw new ImportFileError("file", `not a readable CSV: ${(e as Error).message}`);
  }
};

const indexHeaders = <F extends string>(header: string[], table: AliasTable<F>) => {
  const lookup = new Map<string, F>();
  for (const [field, aliases] of Object.entries(table) as [F, readonly string[]][])
    for (const a of [field, ...aliases]) lookup.set(normalizeHeader(a), field);
  const fieldAt = new Map<number, F>();
  const columnOf: Partial<Record<F, string>> = {};
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const field = lookup.get(normalizeHeader(h));
    // Named back in the answer, cut short: a header is the user's own word, but may be anything.
    if (!field && h.trim() !== "")
      ignored.push(h.trim().length > 60 ? `${h.trim().slice(0, 60)}…` : h.trim());
    // The first column of a field wins; a repeated column is ignored rather than merged.
    if (field && columnOf[field] === undefined) {
      fieldAt.set(i, field);
      columnOf[field] = h.trim();
    }
  });
  return { fieldAt, columnOf, ignored };
};

/**
 * Parses a CSV and maps its header through the alias table. Rows keep their number in the
 * file (blank lines are skipped but still counted, as a spreadsheet shows them).
 */
export const readSheet = <F extends string>(
  text: string,
  table: AliasTable<F>,
  required: readonly (readonly F[])[],
): Sheet<F> => {
  const records = parseRecords(text);
  const header = records[0] ?? [];
  const { fieldAt, columnOf, ignored } = indexHeaders(header, table);
  if (fieldAt.size === 0)
    throw new ImportFileError(
      "file",
      `no recognised column in the header row (${header.slice(0, 5).join(", ")})`,
    );
  const missing = required.filter((anyOf) => !anyOf.some((f) => columnOf[f] !== undefined));
  if (missing.length > 0)
    throw new ImportFileError(
      missing[0][0],
      `missing column ${missing.map((m) => m.map((f) => `${f} (${table[f][0] ?? f})`).join(" or ")).join(", ")}`,
    );
  const rows: SheetRow<F>[] = [];
  records.slice(1).forEach((cells, i) => {
    const values: Partial<Record<F, string>> = {};
    for (const [idx, field] of fieldAt) {
      const v = cells[idx]?.trim();
      if (v) values[field] = v;
    }
    if (Object.keys(values).length > 0) rows.push({ row: i + 2, values });
  });
  return { rows, columnOf, ignored };
};

/** `column (field): why` — the column as the file names it, so the user can find it. */
export const columnError = <F extends string>(
  columnOf: Partial<Record<F, string>>,
  field: F,
  why: string,
) => {
  const column = columnOf[field];
  return column && normalizeHeader(column) !== normalizeHeader(field)
    ? `${column} (${field}): ${why}`
    : `${field}: ${why}`;
};
