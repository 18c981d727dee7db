/** Files as spreadsheets save them, and the per-row answer of an import (edge tests). */

/** GBK bytes of BMP text, from the platform's own GB18030 decoder. */
export const gbk = (() => {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder("gb18030");
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const s = dec.decode(new Uint8Array([a, b]));
      if (s.length === 1 && s !== "\uFFFD" && !table.has(s)) table.set(s, [a, b]);
    }
  return (text: string) =>
    new Uint8Array(
      [...text].flatMap((ch) => {
        const cp = ch.codePointAt(0) as number;
        if (cp < 0x80) return [cp];
        const bytes = table.get(ch);
        if (!bytes) throw new Error(`no GBK code for ${ch}`);
        return bytes;
      }),
    );
})();

export const bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);

export type Row = { row: number; status: string; id?: string; error?: string };
export const rowOf = (body: { rows: Row[] }, n: number) => body.rows.find((r) => r.row === n) as Row;
