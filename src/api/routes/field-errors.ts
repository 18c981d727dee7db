import { hasMessage, translate } from "../../conversations/messages";
import type { DomainError } from "../../domain/result";
import { badRequest, fromDomainError } from "../errors";

/**
 * A domain error as the API's error; validation failures name the field in `details` the way
 * schema errors do (the English sentence comes from the catalog).
 */
export const fieldApiError = (e: DomainError) => {
  if (e.code !== "validation") return fromDomainError(e);
  const text = hasMessage(e.messageKey) ? translate("en", e.messageKey, e.params ?? {}) : e.messageKey;
  return badRequest(e.field ? `${e.field}: ${text}` : text, [{ field: e.field ?? "body", message: text }]);
};
