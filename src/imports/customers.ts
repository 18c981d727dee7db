import type { Database, Statement } from "../db/client";
import { runBatch } from "../db/client";
import { newId } from "../db/ids";
import {
  type CustomerRow,
  customerInsertStatements,
  customerUpdateStatements,
  generatedCode,
} from "../db/repos/customers";
import { customers } from "../db/schema";
import { allowedParents, type CustomerPatch, customerCreate, customerPatch } from "../schemas/customers";
import {
  CUSTOMER_DEFAULTS,
  type CustomerField,
  columnOfIssue,
  customerColumns,
  customerInput,
} from "./customer-columns";
import { columnError, readSheet, type SheetRow } from "./headers";
import { issueText, loadUserLookup, type UserRef } from "./lookups";
import {
  closeImportBatch,
  type ImportActor,
  type ImportSummary,
  openImportBatch,
  type RowOutcome,
  summarize,
  WRITE_BATCH,
} from "./outcome";

type Kind = CustomerRow["kind"];
type Values = SheetRow<CustomerField>["values"];
type Planned = { row: number; outcome: RowOutcome; statements: Statement[] };

const naturalKey = (
  kind: string,
  name: string,
  city: string | null | undefined,
  parentId: string | null | undefined,
) => [kind, name.trim(), city?.trim() ?? "", parentId ?? ""].join("|");

const hasGeneratedCode = (r: CustomerRow) => r.code === generatedCode(r.kind, r.id);

/** Every customer loaded once and kept current as rows are planned, so later rows see earlier ones. */
const createIndex = (rows: CustomerRow[]) => {
  const byCode = new Map<string, CustomerRow>();
  const byId = new Map<string, CustomerRow>();
  const byNatural = new Map<string, CustomerRow>();
  const byName = new Map<string, CustomerRow[]>();
  const erasedCodes = new Set<string>();
  const add = (r: CustomerRow) => {
    byCode.set(r.code, r);
    byId.set(r.id, r);
    byNatural.set(naturalKey(r.kind, r.name, r.city, r.parentId), r);
    byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  };
  const remove = (r: CustomerRow) => {
    byCode.delete(r.code);
    byNatural.delete(naturalKey(r.kind, r.name, r.city, r.parentId));
    byName.set(
      r.name,
      (byName.get(r.name) ?? []).filter((x) => x.id !== r.id),
    );
  };
  for (const r of rows) r.erasedAt ? erasedCodes.add(r.code) : add(r);
  /** A customer by code, else by name among `kinds` (and under `parentId` when given). */
  const find = (cell: string, kinds: readonly string[], parentId?: string): CustomerRow | string => {
    const coded = byCode.get(cell);
    if (coded) return coded;
    const named = (byName.get(cell) ?? []).filter(
      (r) => kinds.includes(r.kind) && (!parentId || r.parentId === parentId),
    );
    if (named.length === 1) return named[0];
    return named.length > 1
      ? `${named.length} customers are named ${cell}; use the code`
      : `no ${kinds.join(" or ")} with code or name ${cell}`;
  };
  /** Whether `id` is `parentId` or one of its ancestors (a store chain is the one kind that nests). */
  const isAncestorOrSelf = (id: string, parentId: string) => {
    let up: string | null = parentId;
    for (let depth = 0; up && depth < 20; depth++) {
      if (up === id) return true;
      up = byId.get(up)?.parentId ?? null;
    }
    return false;
  };
  return { byCode, byNatural, erasedCodes, add, remove, find, isAncestorOrSelf };
};
type Index = ReturnType<typeof createIndex>;

/** The parent a row names (by code or name), checked against the kinds its kind may hang under. */
const resolveParent = (
  v: Values,
  kind: Kind | undefined,
  idx: Index,
): { field: CustomerField; id?: string; error?: string } => {
  const field: CustomerField = v.parentDepartment
    ? "parentDepartment"
    : v.parentHospital
      ? "parentHospital"
      : "parent";
  if (!v[field] || !kind) return { field };
  let parent: CustomerRow | string;
  if (v.parentDepartment) {
    const hospital = v.parentHospital ? idx.find(v.parentHospital, ["hospital"]) : undefined;
    if (typeof hospital === "string") return { field: "parentHospital", error: hospital };
    parent = idx.find(v.parentDepartment, ["department"], hospital?.id);
  } else
    parent = idx.find(v[field] as string, field === "parentHospital" ? ["hospital"] : allowedParents[kind]);
  if (typeof parent === "string") return { field, error: parent };
  if (!allowedParents[kind].includes(parent.kind))
    return { field, error: `a ${kind} cannot belong to a ${parent.kind}` };
  return { field, id: parent.id };
};

interface Ctx {
  idx: Index;
  user: (cell: string) => UserRef | string;
  actor: ImportActor;
  database: Database;
  col: (f: CustomerField, why: string) => string;
}

const issuesText = (
  ctx: Ctx,
  issues: { path: PropertyKey[]; message: string; code: string; input?: unknown; expected?: unknown }[],
  parentField: CustomerField,
) => issues.map((i) => ctx.col(columnOfIssue(i.path.map(String), parentField), issueText(i))).join("; ");

const createRow = (
  ctx: Ctx,
  row: number,
  input: Record<string, unknown>,
  parentField: CustomerField,
): Planned | string => {
  const parsed = customerCreate.safeParse(input, { reportInput: true });
  if (!parsed.success) return issuesText(ctx, parsed.error.issues, parentField);
  const data = { ...parsed.data, ownerId: parsed.data.ownerId ?? ctx.actor.id };
  const {
    id,
    row: created,
    statements,
  } = customerInsertStatements(ctx.database.db, data, ctx.actor.id, "import", newId());
  ctx.idx.add({ ...CUSTOMER_DEFAULTS, ...created } as CustomerRow);
  return { row, outcome: { row, status: "ok", id }, statements: [...statements] };
};

const CONSENT_COLUMN = { sms: "smsConsent", email: "emailConsent" } as const;

/**
 * Consent a file may set: a state where none is recorded yet, and a withdrawal. An import is
 * a bootstrap, not a consent event: an old list would otherwise grant again what the customer
 * withdrew since (personal-information law). Channels left as they are, to say so.
 */
const importableConsent = (before: CustomerRow, consent: CustomerPatch["consent"]) => {
  const set: NonNullable<CustomerPatch["consent"]> = {};
  const kept: ("sms" | "email")[] = [];
  for (const ch of ["sms", "email"] as const) {
    const c = consent?.[ch];
    const current = before[CONSENT_COLUMN[ch]];
    if (!c || c.state === current) continue;
    // A withdrawal on file is always honoured: it can only stop messages, never start them.
    if (current === "none" || c.state === "withdrawn") set[ch] = c;
    else kept.push(ch);
  }
  return { set, kept };
};

/** Only what differs is written; an unchanged row counts as updated and costs nothing. */
const changedFields = (before: CustomerRow, patch: CustomerPatch) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === "consent") continue;
    if (before[k as keyof CustomerRow] !== v) out[k] = v;
  }
  const { set, kept } = importableConsent(before, patch.consent);
  if (Object.keys(set).length > 0) out.consent = set;
  return { diff: out as CustomerPatch, kept };
};

/** The row's note on consent the file would have changed: the state, never the person. */
const consentNote = (ctx: Ctx, before: CustomerRow, kept: ("sms" | "email")[]) =>
  kept.length === 0
    ? undefined
    : kept
        .map((ch) =>
          ctx.col(
            CONSENT_COLUMN[ch],
            `left ${before[CONSENT_COLUMN[ch]]}; an import sets consent only where none is recorded`,
          ),
        )
        .join("; ");

const updateRow = (
  ctx: Ctx,
  row: number,
  before: CustomerRow,
  input: Record<string, unknown>,
  parentField: CustomerField,
): Planned | string => {
  const { kind, ...rest } = input;
  if (kind !== undefined && kind !== before.kind)
    return ctx.col("kind", `is ${String(kind)} in the file but customer ${before.code} is a ${before.kind}`);
  if (rest.ownerId !== undefined && rest.ownerId !== before.ownerId)
    return ctx.col(
      "owner",
      "differs from the current owner; change owners with POST /api/customers/{id}/handover",
    );
  if (typeof rest.parentId === "string" && ctx.idx.isAncestorOrSelf(before.id, rest.parentId))
    return ctx.col(parentField, "a customer cannot be its own ancestor");
  const parsed = customerPatch.safeParse(rest, { reportInput: true });
  if (!parsed.success) return issuesText(ctx, parsed.error.issues, parentField);
  const { diff, kept } = changedFields(before, parsed.data);
  const warning = consentNote(ctx, before, kept);
  const outcome: RowOutcome = { row, status: "updated", id: before.id, ...(warning ? { warning } : {}) };
  if (Object.keys(diff).length === 0) return { row, outcome, statements: [] };
  const statements = customerUpdateStatements(ctx.database.db, before, diff, ctx.actor.id, "import");
  const { consent: _consent, ...fields } = diff;
  ctx.idx.remove(before);
  ctx.idx.add({ ...before, ...fields } as CustomerRow);
  return { row, outcome, statements };
};

/** Plans one row alone: a create, an update, or the reason it cannot be imported. */
const planRow = (ctx: Ctx, { row, values: v }: SheetRow<CustomerField>): Planned | string => {
  if (v.code && ctx.idx.erasedCodes.has(v.code))
    return ctx.col("code", `${v.code} belongs to an erased customer`);
  const input = customerInput(v);
  const byCode = v.code ? ctx.idx.byCode.get(v.code) : undefined;
  const kind = (byCode?.kind ?? input.kind) as Kind | undefined;
  const parent = resolveParent(
    v,
    customerCreate.shape.kind.safeParse(kind).success ? kind : undefined,
    ctx.idx,
  );
  if (parent.error) return ctx.col(parent.field, parent.error);
  if (parent.id) input.parentId = parent.id;
  if (v.owner) {
    const owner = ctx.user(v.owner);
    if (typeof owner === "string") return ctx.col("owner", owner);
    input.ownerId = owner.id;
  }
  const natural =
    byCode || !kind || !v.name
      ? undefined
      : ctx.idx.byNatural.get(
          naturalKey(kind, v.name, v.city, (input.parentId as string | undefined) ?? null),
        );
  // An unknown code still matches by natural key: a list first imported without codes and
  // again from the CRM with them updates those customers, which take the CRM's code.
  if (v.code && natural && !hasGeneratedCode(natural))
    return ctx.col(
      "code",
      `matches customer ${natural.code} by kind, name, city and parent, which already has another code`,
    );
  const existing = byCode ?? natural;
  return existing
    ? updateRow(ctx, row, existing, input, parent.field)
    : createRow(ctx, row, input, parent.field);
};

const flush = async (database: Database, planned: Planned[]): Promise<RowOutcome[]> => {
  try {
    await database.write((db) =>
      runBatch(
        db,
        planned.flatMap((p) => p.statements),
      ),
    );
    return planned.map((p) => p.outcome);
  } catch {
    // Retried row by row so that one row the database refuses does not sink the batch.
    const out: RowOutcome[] = [];
    for (const p of planned)
      out.push(
        await database
          .write((db) => runBatch(db, p.statements))
          .then(() => p.outcome)
          .catch(
            (e: Error): RowOutcome => ({
              row: p.row,
              status: "error",
              error: `could not be saved: ${e.message}`,
            }),
          ),
      );
    return out;
  }
};

/** Customers from a CRM export or a rep's list; re-imports update by code or natural key. */
export const importCustomers = async (
  database: Database,
  text: string,
  actor: ImportActor,
): Promise<ImportSummary> => {
  const sheet = readSheet<CustomerField>(text, customerColumns, [["name", "code"]]);
  const ctx: Ctx = {
    idx: createIndex(await database.db.select().from(customers)),
    user: await loadUserLookup(database.db),
    actor,
    database,
    col: (f, why) => columnError(sheet.columnOf, f, why),
  };
  const batchId = await openImportBatch(database, "customers", actor);
  const outcomes: RowOutcome[] = [];
  let pending: Planned[] = [];
  for (const r of sheet.rows) {
    const p = planRow(ctx, r);
    if (typeof p === "string") outcomes.push({ row: r.row, status: "error", error: p });
    else pending.push(p);
    if (pending.length >= WRITE_BATCH) {
      outcomes.push(...(await flush(database, pending)));
      pending = [];
    }
  }
  outcomes.push(...(await flush(database, pending)));
  const summary = summarize(outcomes, sheet.ignored);
  await closeImportBatch(database, batchId, actor, summary);
  return summary;
};
