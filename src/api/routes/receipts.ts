import type { Context } from "hono";
import { Hono } from "hono";
import type { ReceiptService } from "../../services/receipts";
import { type AppEnv, apiActor } from "../auth";
import type { ApiDeps } from "../deps";
import { ApiError, badRequest, fromDomainError } from "../errors";

const fileError = (message: string) => badRequest(`file: ${message}`, [{ field: "file", message }]);

/** The multipart field `file` as bytes. */
const uploadedFile = async (c: Context<AppEnv>): Promise<Uint8Array> => {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "multipart/form-data") throw fileError("send multipart/form-data with a field file");
  const form = await c.req.parseBody().catch(() => {
    throw fileError("malformed multipart body");
  });
  const file = form.file;
  if (file === undefined || typeof file === "string") throw fileError("multipart field file is missing");
  return new Uint8Array(await file.arrayBuffer());
};

/** `POST /api/receipts` (CONTRACT.md): a JPEG, PNG or PDF up to 10 MB → `{"id":"…"}`. */
export const receiptRoutes = (_deps: ApiDeps, svc: { receipts: ReceiptService }) => {
  const app = new Hono<AppEnv>();

  app.post("/", async (c) => {
    const bytes = await uploadedFile(c);
    const result = await svc.receipts.store(bytes, apiActor(c.get("actor")));
    if (!result.ok) {
      if (result.error.messageKey === "receipt.too_large")
        throw new ApiError(413, "too_large", "file: larger than 10 MB", [
          { field: "file", message: "larger than 10 MB" },
        ]);
      if (result.error.code !== "validation") throw fromDomainError(result.error);
      // A validation error names the field in details, as schema errors do.
      throw fileError(
        result.error.messageKey === "receipt.unsupported_type" ? "must be a JPEG, PNG or PDF" : "is empty",
      );
    }
    return c.json({ id: result.value.id }, 201);
  });

  return app;
};
