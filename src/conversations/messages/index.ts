import { careMessages } from "./care";
import { commandMessages } from "./commands";
import { commonMessages } from "./common";
import { errorMessages } from "./errors";
import { expenseMessages } from "./expense";
import { jobMessages } from "./jobs";
import { notifyMessages } from "./notify";
import { slackMessages } from "./slack";
import { stockMessages } from "./stock";
import type { Locale, Messages } from "./types";
import { visitMessages } from "./visit";
import { wecomMessages } from "./wecom";

export type { Locale } from "./types";

/**
 * Every sentence the bot says (ARCHITECTURE.md rule 10). Areas add their own files here;
 * a key defined twice is a mistake the catalog test catches.
 */
export const catalogParts: Messages[] = [
  commonMessages,
  visitMessages,
  stockMessages,
  commandMessages,
  notifyMessages,
  slackMessages,
  jobMessages,
  errorMessages,
  careMessages,
  expenseMessages,
  wecomMessages,
];

const catalog: Messages = Object.assign({}, ...catalogParts);

export type Params = Record<string, string | number | boolean | null | undefined>;

/**
 * The sentence for a key in a locale, with `{name}` placeholders filled; unknown keys show as-is.
 * A key may have a variant per `status` param (`approval.already_decided.rejected`): the
 * outcome is then said in words instead of as a code.
 */
export const translate = (locale: Locale, key: string, params: Params = {}): string => {
  const entry = (typeof params.status === "string" && catalog[`${key}.${params.status}`]) || catalog[key];
  if (!entry) return key;
  const text = entry[locale === "en" ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? "" : String(v);
  });
};

export const hasMessage = (key: string) => key in catalog;

export const translator = (locale: Locale) => (key: string, params?: Params) =>
  translate(locale, key, params);
