import type { DomainError } from "../../domain/result";
import { badRequest, fromDomainError } from "../errors";

/** API wording for the field-work message keys (the chat words live in the catalog). */
const MESSAGES: Record<string, string> = {
  "customer.not_found": "customer not found",
  "product.not_found": "product not found",
  "segment.not_a_doctor": "segments are for doctors only",
  "coverage.not_an_account": "coverage is for hospitals and pharmacies only",
  "coverage.reason_required": "is required when listed is false",
  "report.out_of_scope": "outside your scope",
};

/** A domain error as the API's error, naming the field like a schema error does. */
export const fieldApiError = (e: DomainError) => {
  const text = MESSAGES[e.messageKey] ?? e.messageKey;
  const message = e.field ? `${e.field}: ${text}` : text;
  if (e.code === "validation") return badRequest(message, [{ field: e.field ?? "body", message: text }]);
  return fromDomainError(e, message);
};
