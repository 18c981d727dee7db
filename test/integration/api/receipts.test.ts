import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, expenses, receipts } from "../../../src/db/schema";
import { startTestServer, type TestServer } from "../../helpers/app";
import { auditRowsOf, buildHierarchy, expectError, expectValidation, type Hierarchy } from "./fixtures";

let server: TestServer;
let h: Hierarchy;

beforeAll(async () => {
  server = await startTestServer({}, { now: () => new Date("2026-05-20T02:00:00Z") });
  h = await buildHierarchy(server);
});
afterAll(() => server.close());

const MB = 1024 * 1024;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
let seq = 0;
/** A distinct PNG each call (receipts are stored by content hash). */
const png = (size = 32) => {
  const bytes = new Uint8Array(size);
  bytes.set(PNG_MAGIC);
  new DataView(bytes.buffer).setUint32(8, ++seq);
  return bytes;
};
const jpeg = () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ++seq % 256, 7]);
const pdf = () => new TextEncoder().encode(`%PDF-1.7\n% receipt ${++seq}\n`);

const parse = async (res: Response) => {
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, body };
};

/** `POST /api/receipts` as multipart; `field` names the form field the bytes go in. */
const upload = async (
  token: string | undefined,
  bytes: Uint8Array,
  opts: { filename?: string; type?: string; field?: string } = {},
) => {
  const form = new FormData();
  form.append(
    opts.field ?? "file",
    new Blob([bytes], { type: opts.type ?? "image/png" }),
    opts.filename ?? "发票.png",
  );
  return parse(
    await fetch(`${server.url}/api/receipts`, {
      method: "POST",
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: form,
    }),
  );
};

const receiptRows = () => server.database.db.select().from(receipts);
const receiptAudit = () =>
  server.database.db.select().from(auditLog).where(eq(auditLog.entityType, "receipt"));
/** Every file under data/receipts (temp files included). */
const storedFiles = () => {
  const root = join(server.composition.deps.config.dataDir, "receipts");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
};
/** The receipts table, its audit rows and the files on disk, to compare before and after. */
const snapshot = async () => ({
  rows: (await receiptRows()).length,
  audit: (await receiptAudit()).length,
  files: storedFiles(),
});

/** A refused upload: 400 validation naming `file` in the message and in details, nothing stored. */
const expectFileRefused = async (
  res: { status: number; body: any },
  before: Awaited<ReturnType<typeof snapshot>>,
) => {
  expectValidation(res, "file");
  for (const d of res.body.error.details) expect(typeof d.message).toBe("string");
  expect(await snapshot()).toEqual(before);
};

describe("POST /api/receipts: who may upload", () => {
  it.each([
    ["rep", () => h.repA1],
    ["manager", () => h.districtA],
    ["finance", () => h.finance],
    ["admin", () => h.admin],
  ] as const)(
    "a %s uploads a receipt: 201 with only the id, the row, the file and an audit row",
    async (_, who) => {
      const user = who();
      const bytes = png(64);
      const res = await upload(user.token, bytes);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(Object.keys(res.body)).toEqual(["id"]);
      expect(typeof res.body.id).toBe("string");
      const row = await server.database.db.select().from(receipts).where(eq(receipts.id, res.body.id)).get();
      expect(row).toMatchObject({ mime: "image/png", size: 64, uploadedBy: user.id });
      const onDisk = join(server.composition.deps.config.dataDir, row!.path);
      expect(Buffer.compare(readFileSync(onDisk), Buffer.from(bytes))).toBe(0);
      const audit = await auditRowsOf(server, "receipt", res.body.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: "create", actorId: user.id, via: "api", before: null });
    },
  );

  it("answers 401 without a token or with a bad one, and stores nothing", async () => {
    const before = await snapshot();
    expectError(await upload(undefined, png()), 401, "unauthorized");
    expectError(await upload("not-a-token", png()), 401, "unauthorized");
    expect(await snapshot()).toEqual(before);
  });
});

describe("POST /api/receipts: what is stored", () => {
  it("knows JPEG, PNG and PDF by their first bytes, whatever the name or declared type says", async () => {
    const cases = [
      { bytes: jpeg(), filename: "scan.pdf", type: "application/pdf", mime: "image/jpeg", ext: "jpg" },
      { bytes: png(), filename: "photo.jpg", type: "image/jpeg", mime: "image/png", ext: "png" },
      { bytes: pdf(), filename: "invoice.png", type: "image/png", mime: "application/pdf", ext: "pdf" },
    ];
    for (const c of cases) {
      const res = await upload(h.repA1.token, c.bytes, { filename: c.filename, type: c.type });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const row = await server.database.db.select().from(receipts).where(eq(receipts.id, res.body.id)).get();
      expect(row?.mime).toBe(c.mime);
      expect(row?.path.endsWith(`.${c.ext}`)).toBe(true);
    }
  });

  it("is one receipt for the same bytes sent twice, by the same rep or another", async () => {
    const bytes = png(100);
    const first = await upload(h.repA1.token, bytes, { filename: "a.png" });
    expect(first.status).toBe(201);
    const before = await snapshot();
    const again = await upload(h.repA1.token, bytes, { filename: "b.png" });
    const other = await upload(h.repB1.token, bytes, { filename: "c.png" });
    expect(again.status).toBe(201);
    expect(other.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(other.body.id).toBe(first.body.id);
    expect(await snapshot()).toEqual(before);
    expect(await auditRowsOf(server, "receipt", first.body.id)).toHaveLength(1);
  });

  it("accepts exactly 10 MB", async () => {
    const res = await upload(h.repA1.token, png(10 * MB));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const row = await server.database.db.select().from(receipts).where(eq(receipts.id, res.body.id)).get();
    expect(row?.size).toBe(10 * MB);
  });
});

describe("POST /api/receipts: refused, naming the field, nothing stored", () => {
  it("refuses a text file whatever its name and type say", async () => {
    const before = await snapshot();
    const res = await upload(h.repA1.token, new TextEncoder().encode("hello, not an invoice"), {
      filename: "invoice.png",
      type: "image/png",
    });
    await expectFileRefused(res, before);
    expect(res.body.error.message).toMatch(/JPEG, PNG or PDF/);
  });

  it("refuses a GIF and a PNG signature cut short", async () => {
    const before = await snapshot();
    await expectFileRefused(
      await upload(h.repA1.token, new TextEncoder().encode("GIF89a\x01\x00"), {
        filename: "a.gif",
        type: "image/gif",
      }),
      before,
    );
    await expectFileRefused(await upload(h.repA1.token, new Uint8Array([0x89, 0x50, 0x4e])), before);
  });

  it("refuses an empty file", async () => {
    const before = await snapshot();
    const res = await upload(h.repA1.token, new Uint8Array(0));
    await expectFileRefused(res, before);
    expect(res.body.error.message).toContain("empty");
  });

  it("refuses a form without the field file, and file sent as plain text", async () => {
    const before = await snapshot();
    await expectFileRefused(await upload(h.repA1.token, png(), { field: "photo" }), before);
    const form = new FormData();
    form.append("file", "iVBORw0KGgo=");
    await expectFileRefused(
      await parse(
        await fetch(`${server.url}/api/receipts`, {
          method: "POST",
          headers: { authorization: `Bearer ${h.repA1.token}` },
          body: form,
        }),
      ),
      before,
    );
  });

  it("refuses JSON and a raw image body (multipart only)", async () => {
    const before = await snapshot();
    await expectFileRefused(
      await server.request("POST", "/api/receipts", h.repA1.token, { file: "x" }),
      before,
    );
    const raw = await parse(
      await fetch(`${server.url}/api/receipts`, {
        method: "POST",
        headers: { authorization: `Bearer ${h.repA1.token}`, "content-type": "image/png" },
        body: png(),
      }),
    );
    await expectFileRefused(raw, before);
  });

  it("refuses a multipart body that is not well formed", async () => {
    const before = await snapshot();
    const res = await parse(
      await fetch(`${server.url}/api/receipts`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${h.repA1.token}`,
          "content-type": "multipart/form-data; boundary=xyz",
        },
        body: '--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\nno closing boundary',
      }),
    );
    expectValidation(res, "file");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses one byte over 10 MB with 413, naming the file and the limit", async () => {
    const before = await snapshot();
    const res = await upload(h.repA1.token, png(10 * MB + 1));
    expectError(res, 413, "too_large");
    expect(res.body.error.message).toContain("file");
    expect(res.body.error.message).toContain("10 MB");
    expect(res.body.error.details).toEqual([{ field: "file", message: expect.any(String) }]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("receipts on expenses", () => {
  const expense = (token: string, over: Record<string, unknown> = {}) =>
    server.request("POST", "/api/expenses", token, {
      kind: "reimbursement",
      category: "meals",
      amountCny: 320,
      date: "2026-05-19",
      description: "科室午餐",
      invoiceNo: `INV${++seq}`,
      ...over,
    });

  it("attaches uploaded receipts to the rep's own expense, deduplicated, and reads them back", async () => {
    const a = await upload(h.repA2.token, png());
    const b = await upload(h.repA2.token, pdf(), { filename: "发票.pdf", type: "application/pdf" });
    const res = await expense(h.repA2.token, { receiptIds: [a.body.id, b.body.id, a.body.id] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect([...res.body.receiptIds].sort()).toEqual([a.body.id, b.body.id].sort());
    const read = await server.request("GET", `/api/expenses/${res.body.id}`, h.repA2.token);
    expect(read.status).toBe(200);
    expect([...read.body.receiptIds].sort()).toEqual([a.body.id, b.body.id].sort());
  });

  it("refuses a receipt id that was never uploaded, naming receiptIds, and writes no expense", async () => {
    const count = (await server.database.db.select().from(expenses)).length;
    const real = await upload(h.repA2.token, png());
    const res = await expense(h.repA2.token, { receiptIds: [real.body.id, "no-such-receipt"] });
    expectValidation(res, "receiptIds");
    expect(await server.database.db.select().from(expenses)).toHaveLength(count);
  });
});
