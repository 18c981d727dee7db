import { existsSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receipts } from "../../../src/db/schema";
import {
  buildTeam,
  type ExpenseServer,
  expenseBody,
  startExpenseServer,
  type Team,
} from "../../helpers/expenses-app";
import { expectError } from "../api/fixtures";

let s: ExpenseServer;
let t: Team;

beforeAll(async () => {
  s = await startExpenseServer();
  t = await buildTeam(s);
});
afterAll(() => s.close());

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3,
]);

describe("receipts", () => {
  it("stores a PNG by content hash; the same bytes twice are one receipt", async () => {
    const a = await s.upload(t.repA1.token, PNG, "发票.png", "image/png");
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(Object.keys(a.body)).toEqual(["id"]);
    const b = await s.upload(t.repA2.token, PNG, "other-name.jpg", "image/jpeg");
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    const row = await s.database.db.select().from(receipts).where(eq(receipts.id, a.body.id)).get();
    expect(row).toMatchObject({ mime: "image/png", size: PNG.length });
    expect(row?.path).toMatch(new RegExp(`^receipts/${row?.sha256.slice(0, 2)}/${row?.sha256}\\.png$`));
    expect(existsSync(join(s.config.dataDir, row?.path ?? ""))).toBe(true);
    const exp = await s.request(
      "POST",
      "/api/expenses",
      t.repA1.token,
      expenseBody(s, { receiptIds: [a.body.id] }),
    );
    expect(exp.status).toBe(201);
    expect(exp.body.receiptIds).toEqual([a.body.id]);
  });

  it("accepts JPEG and PDF by their magic bytes, refuses a text file whatever its name", async () => {
    const jpg = await s.upload(
      t.repA1.token,
      new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1]),
      "a.jpg",
      "image/jpeg",
    );
    expect(jpg.status).toBe(201);
    const pdf = await s.upload(
      t.repA1.token,
      new TextEncoder().encode("%PDF-1.7\n..."),
      "a.pdf",
      "application/pdf",
    );
    expect(pdf.status).toBe(201);
    const text = await s.upload(t.repA1.token, new TextEncoder().encode("hello"), "invoice.png", "image/png");
    expectError(text, 400, "validation");
    expect(text.body.error.message).toContain("file");
  });

  it("refuses more than 10 MB and a body without the file field", async () => {
    const big = new Uint8Array(11 * 1024 * 1024);
    big.set(PNG);
    const res = await s.upload(t.repA1.token, big, "big.png", "image/png");
    expect([400, 413]).toContain(res.status);
    expect(res.body.error.message).toContain("10 MB");
    const json = await s.request("POST", "/api/receipts", t.repA1.token, { file: "x" });
    expectError(json, 400, "validation");
  });
});
