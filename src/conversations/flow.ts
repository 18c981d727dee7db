import type { InStatement } from "@libsql/client";
import type { Attachment, Choice, Reply } from "../bot/platform";
import type { Services } from "../services";
import type { Params } from "./messages";
import type { Locale } from "./messages/types";

export interface ChatUser {
  id: string;
  name: string;
  role: "admin" | "manager" | "finance" | "rep";
  locale: Locale;
  timeZone: string;
}

export type Translate = (key: string, params?: Params) => string;

/** What a step or command sees: the user, the words, the clock, the use cases. */
export interface FlowContext {
  user: ChatUser;
  locale: Locale;
  timeZone: string;
  now: Date;
  t: Translate;
  services: Services;
  via: "slack" | "wecom" | "console" | "api";
  lookups: Lookups;
  /** The started flow's own id: the record it creates gets it, so a replayed confirm is a no-op. */
  submissionId?: string;
  /** Set when an admin drives this user's chat through the API: no decisions in their name. */
  impersonatedBy?: string;
  /**
   * Hands a record's writes to the turn, which commits them in one transaction with the
   * session and the event's answer (a failure there answers like a failed write at once).
   */
  defer?: (statements: InStatement[]) => void;
}

/**
 * Who a record is written by, for its audit row: the admin driving this user's chat through
 * the API when there is one (the audit names who typed it, as for a record an admin posts
 * for a rep), else the user. The record itself is still the user's (repId).
 */
export const writerOf = (ctx: FlowContext) =>
  ctx.impersonatedBy
    ? { id: ctx.impersonatedBy, role: "admin" as const, via: ctx.via }
    : { id: ctx.user.id, role: ctx.user.role, via: ctx.via };

export interface CustomerOption {
  id: string;
  name: string;
  kind: string;
  parentName?: string;
  city?: string;
  title?: string;
}

export interface ProductOption {
  id: string;
  name: string;
  nameEn?: string | null;
  unit: string;
  aliases: string[];
}

/** Read-only lookups a turn needs, cached for the turn. */
export interface Lookups {
  myCustomers(): Promise<CustomerOption[]>;
  products(): Promise<ProductOption[]>;
  customer(id: string): Promise<CustomerOption | null>;
}

/** What the user answered at a step. */
export interface StepReply {
  text?: string;
  choiceId?: string;
  attachment?: Attachment;
}

export interface Prompt {
  text: string;
  choices?: Choice[];
  kind?: Reply["kind"];
}

export type TakeResult<S> = { ok: true; state: S } | { ok: false; key: string; params?: Params };

export interface Step<S> {
  /** Catalog key of the field's name (summary, edit list). */
  label: string;
  /** Still to be asked for this state. */
  missing(state: S): boolean;
  /** Optional fields are offered at the confirm step, never forced. */
  optional?: boolean;
  /** Shown in the summary only (a remaining budget): never asked, offered or edited. */
  display?: boolean;
  /** Shown in the confirm summary; null hides the row. */
  show(state: S, ctx: FlowContext): string | null | Promise<string | null>;
  ask(state: S, ctx: FlowContext): Prompt | Promise<Prompt>;
  take(reply: StepReply, state: S, ctx: FlowContext): TakeResult<S> | Promise<TakeResult<S>>;
  /** Clears the field, for edit and back. */
  clear(state: S): S;
  /** Catalog key of a hint for `help` at this step. */
  help?: string;
}

export type CompleteResult =
  | { ok: true; replies: Reply[] }
  | { ok: false; key: string; params?: Params; step?: string };

/**
 * A guided conversation as data (ARCHITECTURE.md rule 3): the fields it collects, how to ask
 * and read each, how a free-text line fills several at once, and one `complete` that calls
 * a use case. The engine owns cancel, back, help, timeouts, versions and duplicates.
 */
export interface Flow<S extends object = Record<string, unknown>> {
  id: string;
  version: number;
  /** Catalog key of the flow's name ("visit report"). */
  title: string;
  initial(): S;
  /** Ordered steps; the first missing required one is asked next, then confirm. */
  steps: Record<string, Step<S>>;
  order: readonly string[];
  /** Fills every slot a free-text line gives (used on start and on free text at confirm). */
  absorb?(text: string, state: S, ctx: FlowContext): Promise<S>;
  complete(state: S, ctx: FlowContext): Promise<CompleteResult>;
}

export const defineFlow = <S extends object>(flow: Flow<S>): Flow<S> => flow;

/** Choice ids the engine accepts at any time: they start or decide something themselves. */
export const GLOBAL_ACTION = /^(start|approval|care|plan):/;
