import { ImportFileError } from "./errors";

const utf8 = new TextDecoder("utf-8", { fatal: true });
// The 'gbk' label silently drops some characters (STACK.md); GB18030 is its superset.
const gb18030 = new TextDecoder("gb18030");

/** Signatures of files people upload by mistake instead of a CSV export. */
const BINARY_SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "an Excel .xlsx (zip) file" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "an Excel .xls file" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF file" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
];

const startsWith = (data: Uint8Array, sig: number[]) => sig.every((b, i) => data[i] === b);

/**
 * The text of an uploaded CSV: UTF-8 (BOM stripped) when it decodes strictly, else GB18030
 * (what Excel on a Chinese Windows writes). Refuses empty and binary uploads.
 */
export const decodeCsv = (data: Uint8Array): string => {
  if (data.length === 0)
    throw new ImportFileError("file", "empty; send the CSV file as the body or as field file");
  const binary = BINARY_SIGNATURES.find((s) => startsWith(data, s.bytes));
  if (binary) throw new ImportFileError("file", `looks like ${binary.what}, not a CSV; save it as CSV first`);
  if (data.includes(0)) throw new ImportFileError("file", "contains NUL bytes: not a CSV text file");
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    text = gb18030.decode(data);
  }
  text = text.replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new ImportFileError("file", "empty; the file has no header row");
  return text;
};
