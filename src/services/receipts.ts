import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { eq } from "drizzle-orm";
import { auditInsert } from "../db/audit";
import { runBatch } from "../db/client";
import { newId } from "../db/ids";
import { receipts } from "../db/schema";
import { fail, ok, type Result } from "../domain/result";
import type { Actor, ServiceContext } from "./context";

export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;

type Mime = (typeof receipts.$inferSelect)["mime"];

const KINDS: { mime: Mime; ext: string; magic: number[] }[] = [
  { mime: "image/jpeg", ext: "jpg", magic: [0xff, 0xd8, 0xff] },
  { mime: "image/png", ext: "png", magic: [0x89, 0x50, 0x4e, 0x47] },
  { mime: "application/pdf", ext: "pdf", magic: [0x25, 0x50, 0x44, 0x46] }, // %PDF
];

/** The file's type from its first bytes: a name or a Content-Type proves nothing. */
export const sniffReceipt = (bytes: Uint8Array) =>
  KINDS.find((k) => k.magic.every((b, i) => bytes[i] === b)) ?? null;

/**
 * Receipt files (photos and PDFs of invoices) from the API and the chat platforms, stored by
 * content hash: the same file sent twice is one receipt.
 */
export const createReceiptService = (ctx: ServiceContext) => {
  const { db } = ctx.database;

  /** Writes the file once; a temp name and a rename keep a crash from leaving half a file. */
  const writeOnce = async (path: string, bytes: Uint8Array) => {
    if (existsSync(path)) return;
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${newId()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  };

  const store = async (
    bytes: Uint8Array,
    actor: Actor,
  ): Promise<Result<{ id: string; created: boolean }>> => {
    if (bytes.byteLength > MAX_RECEIPT_BYTES)
      return fail("validation", "receipt.too_large", { maxMb: MAX_RECEIPT_BYTES / 1024 / 1024 }, "file");
    if (bytes.byteLength === 0) return fail("validation", "receipt.empty", undefined, "file");
    const kind = sniffReceipt(bytes);
    if (!kind) return fail("validation", "receipt.unsupported_type", undefined, "file");
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const relative = join("receipts", sha256.slice(0, 2), `${sha256}.${kind.ext}`);
    await writeOnce(join(ctx.dataDir, relative), bytes);
    const row = {
      id: newId(),
      sha256,
      mime: kind.mime,
      size: bytes.byteLength,
      path: relative,
      uploadedBy: actor.id,
      createdAt: ctx.now().toISOString(),
    };
    return ctx.database.write(async (db) => {
      const existing = await db.select().from(receipts).where(eq(receipts.sha256, sha256)).get();
      if (existing) return ok({ id: existing.id, created: false });
      await runBatch(db, [
        db.insert(receipts).values(row),
        auditInsert(db, {
          actorId: actor.id,
          via: actor.via,
          action: "create",
          entityType: "receipt",
          entityId: row.id,
          after: row,
        }),
      ]);
      return ok({ id: row.id, created: true });
    });
  };

  const get = (id: string) => db.select().from(receipts).where(eq(receipts.id, id)).get();

  return { store, get };
};

export type ReceiptService = ReturnType<typeof createReceiptService>;
