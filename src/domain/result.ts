/**
 * Expected failures are values (ARCHITECTURE.md rule 8): a use case returns `ok(value)`
 * or `fail(code, messageKey, params)`. The API maps `code` to an HTTP status in one place;
 * the bot turns `messageKey` into a sentence in the user's language.
 */
export interface DomainError {
  code: ErrorCode;
  /** Catalog key of the user-facing sentence (src/conversations/messages). */
  messageKey: string;
  params?: Record<string, string | number | boolean | null>;
  /** Field the error is about, for validation-style errors. */
  field?: string;
}

export type ErrorCode =
  | "validation"
  | "not_found"
  | "forbidden"
  | "conflict"
  | "already_decided"
  | "locked"
  | "over_budget"
  | "duplicate"
  | "unavailable";

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(
  code: ErrorCode,
  messageKey: string,
  params?: DomainError["params"],
  field?: string,
): Result<T> => ({ ok: false, error: { code, messageKey, params, field } });
