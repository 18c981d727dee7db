import { eq, getTableColumns, inArray } from "drizzle-orm";
import type { CustomerCreate, CustomerPatch } from "../../schemas/customers";
import { allowedParents } from "../../schemas/customers";
import { auditInsert } from "../audit";
import type { Db } from "../client";
import { newId, nowIso } from "../ids";
import { readJsonSelect } from "../json-rows";
import { consentEvents, customers, users } from "../schema";

export type CustomerRow = typeof customers.$inferSelect;
export type ConsentRow = typeof consentEvents.$inferSelect;

export class CustomerInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const codePrefix: Record<string, string> = {
  hospital: "H",
  department: "DP",
  doctor: "DR",
  pharmacy: "P",
  distributor: "D",
};

/** The code a customer created without one is given: its kind's prefix and its id's tail. */
export const generatedCode = (kind: string, id: string) => `${codePrefix[kind]}${id.slice(-8).toUpperCase()}`;

/**
 * Checks the references of a customer: parent kind, no loop through the parents (a store under
 * its chain is the one kind that nests in itself) and an active owner.
 */
export const checkCustomerRefs = async (
  db: Db,
  kind: CustomerRow["kind"],
  parentId: string | null | undefined,
  ownerId: string | undefined,
  selfId?: string,
) => {
  if (parentId) {
    const parent = await db
      .select({ kind: customers.kind })
      .from(customers)
      .where(eq(customers.id, parentId))
      .get();
    if (!parent) throw new CustomerInputError("parentId", "no such customer");
    if (!allowedParents[kind].includes(parent.kind))
      throw new CustomerInputError("parentId", `a ${kind} cannot belong to a ${parent.kind}`);
    if (selfId) {
      let up: string | null = parentId;
      for (let depth = 0; up && depth < 20; depth++) {
        if (up === selfId) throw new CustomerInputError("parentId", "a customer cannot be its own ancestor");
        const next = await db
          .select({ parentId: customers.parentId })
          .from(customers)
          .where(eq(customers.id, up))
          .get();
        up = next?.parentId ?? null;
      }
    }
  }
  if (ownerId) {
    const owner = await db.select({ active: users.active }).from(users).where(eq(users.id, ownerId)).get();
    if (!owner?.active) throw new CustomerInputError("ownerId", "must be an active user");
  }
};

/** Ledger rows for a consent input, and the cached current state columns they imply. */
const consentRows = (customerId: string, consent: CustomerCreate["consent"], by: string, at: string) => {
  const rows: (typeof consentEvents.$inferInsert)[] = [];
  const cached: Partial<Pick<CustomerRow, "smsConsent" | "emailConsent">> = {};
  for (const channel of ["sms", "email"] as const) {
    const c = consent?.[channel];
    if (!c) continue;
    rows.push({
      id: newId(),
      customerId,
      channel,
      state: c.state,
      at,
      by,
      method: c.method,
      evidence: c.evidence,
    });
    cached[channel === "sms" ? "smsConsent" : "emailConsent"] = c.state;
  }
  return { rows, cached };
};

export const insertCustomer = async (
  db: Db,
  input: CustomerCreate & { ownerId: string },
  actorId: string,
  via = "api",
) => {
  await checkCustomerRefs(db, input.kind, input.parentId, input.ownerId);
  return customerInsertStatements(db, input, actorId, via);
};

/**
 * The statements creating a customer (row, consent ledger, audit), references NOT checked:
 * for callers that checked them already (the CSV import checks against maps loaded once).
 */
export const customerInsertStatements = (
  db: Db,
  input: CustomerCreate & { ownerId: string },
  actorId: string,
  via = "api",
  id = newId(),
) => {
  const at = nowIso();
  const { consent, ...fields } = input;
  const { rows, cached } = consentRows(id, consent, actorId, at);
  const row = {
    ...fields,
    id,
    code: input.code ?? generatedCode(input.kind, id),
    ...cached,
    createdAt: at,
    updatedAt: at,
  };
  return {
    id,
    row,
    statements: [
      db.insert(customers).values(row),
      ...rows.map((r) => db.insert(consentEvents).values(r)),
      auditInsert(db, { actorId, via, action: "create", entityType: "customer", entityId: id, after: row }),
    ] as const,
  };
};

export const updateCustomerStatements = async (
  db: Db,
  before: CustomerRow,
  patch: CustomerPatch,
  actorId: string,
  via = "api",
) => {
  await checkCustomerRefs(db, before.kind, patch.parentId, patch.ownerId, before.id);
  return customerUpdateStatements(db, before, patch, actorId, via);
};

/** The statements of a customer update, references NOT checked (see customerInsertStatements). */
export const customerUpdateStatements = (
  db: Db,
  before: CustomerRow,
  patch: CustomerPatch,
  actorId: string,
  via = "api",
) => {
  const at = nowIso();
  const { consent, ...fields } = patch;
  const { rows, cached } = consentRows(before.id, consent, actorId, at);
  const set = { ...fields, ...cached, updatedAt: at };
  return [
    db.update(customers).set(set).where(eq(customers.id, before.id)),
    ...rows.map((r) => db.insert(consentEvents).values(r)),
    auditInsert(db, {
      actorId,
      via,
      action: "update",
      entityType: "customer",
      entityId: before.id,
      before,
      after: { ...before, ...set },
    }),
  ];
};

/** The latest ledger entry per customer and channel. */
export const latestConsent = async (db: Db, customerIds: string[]) => {
  const out = new Map<string, { sms?: ConsentRow; email?: ConsentRow }>();
  if (customerIds.length === 0) return out;
  const columns = getTableColumns(consentEvents);
  const rows = await readJsonSelect(
    db,
    columns,
    db.select(columns).from(consentEvents).where(inArray(consentEvents.customerId, customerIds)),
  );
  // Newest first (JSON-read rows keep no order): the first seen per channel is the current state.
  rows.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  for (const r of rows) {
    const entry = out.get(r.customerId) ?? {};
    if (!entry[r.channel]) entry[r.channel] = r;
    out.set(r.customerId, entry);
  }
  return out;
};
