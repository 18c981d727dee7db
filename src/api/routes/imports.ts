import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { importCustomers } from "../../imports/customers";
import { decodeCsv } from "../../imports/decode";
import { ImportFileError } from "../../imports/errors";
import { importPurchases } from "../../imports/purchases";
import { importStock } from "../../imports/stock";
import { isoDate } from "../../schemas/common";
import { type AppEnv, requireRole } from "../auth";
import type { ApiDeps } from "../deps";
import { badRequest } from "../errors";
import { queryOf } from "../validate";

/** Raw-body types a CSV arrives with (browsers label .csv as Excel on Windows). */
const CSV_TYPES = [
  "text/csv",
  "text/plain",
  "application/csv",
  "text/comma-separated-values",
  "application/vnd.ms-excel",
  "application/octet-stream",
];

const fileError = (field: string, message: string) =>
  badRequest(`${field}: ${message}`, [{ field, message }]);

/** The uploaded bytes: the raw body, or the multipart field `file`. */
const uploadBytes = async (c: Context<AppEnv>): Promise<Uint8Array> => {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "multipart/form-data") {
    const form = await c.req.parseBody().catch(() => {
      throw fileError("file", "malformed multipart body");
    });
    const file = form.file;
    if (file === undefined) throw fileError("file", "multipart field file is missing");
    return typeof file === "string"
      ? new TextEncoder().encode(file)
      : new Uint8Array(await file.arrayBuffer());
  }
  if (type !== "" && !CSV_TYPES.includes(type))
    throw fileError("file", `Content-Type ${type} is not a CSV; send text/csv or multipart field file`);
  return new Uint8Array(await c.req.arrayBuffer());
};

/** Runs an import on the uploaded text; whole-file problems become 400s naming the column. */
const withCsv = async <T>(c: Context<AppEnv>, run: (text: string) => Promise<T>): Promise<T> => {
  try {
    return await run(decodeCsv(await uploadBytes(c)));
  } catch (e) {
    if (e instanceof ImportFileError) throw fileError(e.field, e.message);
    throw e;
  }
};

const purchaseQuery = z.object({ asOf: isoDate.optional() });

/** `POST /api/imports/{customers|purchases|stock}` (CONTRACT.md): CSV in, per-row outcome out. */
export const importRoutes = (deps: ApiDeps) => {
  const { database } = deps;
  // The app's own stock service: findings, alerts and events as for a report sent in chat.
  const stock = deps.services.stock;
  const app = new Hono<AppEnv>();

  app.post("/customers", requireRole("admin"), async (c) =>
    c.json(await withCsv(c, (text) => importCustomers(database, text, c.get("actor")))),
  );

  app.post("/purchases", requireRole("admin"), async (c) => {
    const { asOf } = queryOf(c, purchaseQuery);
    return c.json(
      await withCsv(c, (text) => importPurchases(database, text, c.get("actor"), { asOf: asOf ?? null })),
    );
  });

  // A manager imports counts for their team's stores, a rep for their own (checked per row).
  app.post("/stock", requireRole("admin", "manager", "rep"), async (c) =>
    c.json(await withCsv(c, (text) => importStock(database, stock, text, c.get("actor")))),
  );

  return app;
};
