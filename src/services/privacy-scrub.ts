/**
 * Blanking personal data inside JSON copies (audit before/after, outbox data) for an
 * erasure (DOMAIN.md §9). Two strengths: a record that is the customer's own loses every
 * personal key; a record that merely mentions them loses only their exact values, so
 * another person's data beside them (a doctor under an erased hospital) survives.
 */

/** Keys that hold personal data or free text about a person, wherever they appear. */
export const PERSONAL_KEYS: ReadonlySet<string> = new Set([
  "name",
  "phone",
  "email",
  "address",
  "birthday",
  "wecomExternalId",
  "preferences",
  "title",
  "evidence",
  "notes",
  "keyMessage",
  "competitorInfo",
  "outcome",
  "nextStep",
  "purpose",
]);

const MASK = "***";

/** Every occurrence of any value replaced by the mask (values shorter than 2 would hit too much). */
export const maskValues = (text: string, values: readonly string[]): string => {
  let out = text;
  for (const v of values) if (v.length >= 2) out = out.split(v).join(MASK);
  return out;
};

export interface ScrubOptions {
  /** Exact personal values of the customer (old name, phone, email…). */
  values: readonly string[];
  /** Drop personal keys too (the customer's own records); else mask values only. */
  own: boolean;
  /** What `name` becomes in the customer's own records. */
  anonymousName: string;
}

/** A JSON value with personal data blanked, per the options. */
export const scrubJson = (v: unknown, o: ScrubOptions): unknown => {
  if (typeof v === "string") return maskValues(v, o.values);
  if (Array.isArray(v)) return v.map((x) => scrubJson(x, o));
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (o.own && PERSONAL_KEYS.has(k) && x !== null && typeof x !== "object") {
      out[k] = k === "name" ? o.anonymousName : null;
    } else out[k] = scrubJson(x, o);
  }
  return out;
};

/**
 * A message to someone else that lists several customers (a rep's daily plan, follow-ups):
 * the erased customer's entries anonymized like their own records, everything else kept,
 * so the message still goes out for the customers it is also about.
 */
export const scrubCustomerEntries = (v: unknown, customerId: string, o: ScrubOptions): unknown => {
  if (typeof v === "string") return maskValues(v, o.values);
  if (Array.isArray(v)) return v.map((x) => scrubCustomerEntries(x, customerId, o));
  if (v === null || typeof v !== "object") return v;
  const entry = v as Record<string, unknown>;
  if (entry.customerId === customerId) return scrubJson(entry, { ...o, own: true });
  return Object.fromEntries(
    Object.entries(entry).map(([k, x]) => [k, scrubCustomerEntries(x, customerId, o)]),
  );
};

/**
 * A copy with every personal key blanked, for a record about someone else that merely
 * names the customer (a doctor's row naming their hospital): an export shows the link,
 * never the other person's data.
 */
export const redactPersonal = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(redactPersonal);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    out[k] = PERSONAL_KEYS.has(k) && x !== null && typeof x !== "object" ? null : redactPersonal(x);
  return out;
};

/** The customer's personal values worth searching for in free text and copies. */
export const personalValues = (c: Record<string, unknown>): string[] =>
  ["name", "phone", "email", "address", "wecomExternalId", "preferences"]
    .map((k) => c[k])
    .filter((x): x is string => typeof x === "string" && x.trim().length >= 2);
