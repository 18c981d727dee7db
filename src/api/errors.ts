import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { hasMessage, translate } from "../conversations/messages";
import type { DomainError, ErrorCode } from "../domain/result";

/** An error the API answers with `{"error":{code,message,details}}` and a 4xx status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const forbidden = (why = "not allowed for this token's user") => new ApiError(403, "forbidden", why);
export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, "validation", message, details);

/** The one place domain error codes become HTTP statuses (ARCHITECTURE.md rule 8). */
const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  validation: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  already_decided: 409,
  locked: 409,
  over_budget: 422,
  duplicate: 409,
  unavailable: 503,
};

/** The API speaks English: the catalog's sentence for the key, prefixed by the field. */
const englishMessage = (e: DomainError) => {
  const text = hasMessage(e.messageKey) ? translate("en", e.messageKey, e.params ?? {}) : e.messageKey;
  return e.field ? `${e.field}: ${text}` : text;
};

/**
 * A domain error as the API's error. A validation failure names its field in `details` the
 * way schema errors do (`[{field, message}]`); the others carry the catalog key and params.
 */
export const fromDomainError = (e: DomainError, message?: string) => {
  if (e.code === "validation") {
    const text = hasMessage(e.messageKey) ? translate("en", e.messageKey, e.params ?? {}) : e.messageKey;
    return new ApiError(400, "validation", message ?? englishMessage(e), [
      { field: e.field ?? "body", message: text },
    ]);
  }
  return new ApiError(statusOf[e.code], e.code, message ?? englishMessage(e), {
    messageKey: e.messageKey,
    params: e.params,
    field: e.field,
  });
};

/** A zod error as a validation error that names each field and why. */
export const fromZodError = (error: z.ZodError, where = "body") => {
  const details = error.issues.map((i) => ({
    field: i.path.length ? i.path.join(".") : where,
    message: i.message,
  }));
  const first = details[0];
  return new ApiError(400, "validation", `${first.field}: ${first.message}`, details);
};

export const errorBody = (code: string, message: string, details?: unknown) => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * A unique index refusing a row (a value already taken, or two requests racing past a check)
 * is a 409 naming the field, never a 500. Drizzle and libSQL wrap the SQLite error in causes.
 */
export const fromUniqueViolation = (err: unknown): ApiError | null => {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const m = /UNIQUE constraint failed: (\w+)\.(\w+)/.exec(e.message);
    if (!m) continue;
    const field = m[2].replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
    return new ApiError(409, "conflict", `${field}: already used by another record`, [
      { field, message: "already used" },
    ]);
  }
  return null;
};

export const handleError = (err: Error, c: Context, log: { error: (o: object, m: string) => void }) => {
  const unique = fromUniqueViolation(err);
  if (unique) return c.json(errorBody(unique.code, unique.message, unique.details), unique.status);
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 401 ? "unauthorized" : status === 413 ? "too_large" : "bad_request";
    return c.json(errorBody(code, err.message || code), status);
  }
  if (err instanceof SyntaxError) return c.json(errorBody("validation", "body: malformed JSON"), 400);
  log.error({ err }, "unhandled API error");
  return c.json(errorBody("internal", "internal error"), 500);
};
