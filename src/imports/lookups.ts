import type { Db } from "../db/client";
import { products, users } from "../db/schema";

export interface UserRef {
  id: string;
  name: string;
  active: boolean;
}

/** Resolves a user cell by id, name or email (all users loaded once). */
export const loadUserLookup = async (db: Db) => {
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email, active: users.active })
    .from(users);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byName = new Map<string, UserRef[]>();
  const byEmail = new Map<string, UserRef>();
  for (const r of rows) {
    byName.set(r.name.trim(), [...(byName.get(r.name.trim()) ?? []), r]);
    if (r.email) byEmail.set(r.email.trim().toLowerCase(), r);
  }
  /** A user, or the reason the cell names none. */
  return (cell: string): UserRef | string => {
    const hit = byId.get(cell) ?? byEmail.get(cell.toLowerCase());
    if (hit) return hit.active ? hit : "must be an active user";
    const named = (byName.get(cell) ?? []).filter((u) => u.active);
    if (named.length === 1) return named[0];
    if (named.length > 1) return `${named.length} users are named ${cell}; use the user id or email`;
    return `no user with id, name or email ${cell}`;
  };
};

export interface ProductRef {
  id: string;
  code: string;
}

/** Resolves a product cell by code, then by name, English name or alias (case-insensitive). */
export const loadProductLookup = async (db: Db) => {
  const rows = await db
    .select({
      id: products.id,
      code: products.code,
      name: products.name,
      nameEn: products.nameEn,
      aliases: products.aliases,
    })
    .from(products);
  const byCode = new Map(rows.map((r) => [r.code.toLowerCase(), r]));
  const byName = new Map<string, ProductRef[]>();
  const add = (key: string | null, p: ProductRef) => {
    if (!key) return;
    const k = key.trim().toLowerCase();
    const list = byName.get(k) ?? [];
    if (!list.some((x) => x.id === p.id)) byName.set(k, [...list, p]);
  };
  for (const r of rows) for (const n of [r.name, r.nameEn, ...r.aliases]) add(n, r);
  return (cell: string): ProductRef | string => {
    const k = cell.toLowerCase();
    const hit = byCode.get(k);
    if (hit) return hit;
    const named = byName.get(k) ?? [];
    if (named.length === 1) return named[0];
    if (named.length > 1) return `${cell} names ${named.length} products; use the product code`;
    return `no product with code, name or alias ${cell}`;
  };
};

/** The first zod issue of a failed parse, by top-level field, with its message. */
export const zodIssues = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
  error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));

export interface Issue {
  code: string;
  message: string;
  input?: unknown;
  expected?: unknown;
}

/**
 * A zod issue in words a spreadsheet user follows: a blank required cell says so, and a cell
 * of the wrong type quotes what it holds (parse with `reportInput: true`).
 */
export const issueText = (i: Issue): string => {
  if (i.input === undefined && (i.code === "invalid_type" || i.code === "invalid_value"))
    return "is required";
  if (i.code === "invalid_type" && i.expected === "number") return `must be a number, not ${String(i.input)}`;
  if (i.code === "invalid_type" && i.expected === "boolean")
    return `must be yes or no (是/否), not ${String(i.input)}`;
  if (i.code === "invalid_value")
    return `${String(i.input)} is not one of the accepted values (${i.message.replace(/^[^"]*/, "")})`;
  return i.message;
};
