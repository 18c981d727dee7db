import type { InStatement } from "@libsql/client";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { InboundMessage, Reply, TurnResult } from "../bot/platform";
import { newId } from "../db/ids";
import { users } from "../db/schema";
import type { Services } from "../services";
import type { ChatUser, Flow, FlowContext, StepReply } from "./flow";
import { GLOBAL_ACTION } from "./flow";
import { advance, choiceFromText, promptFor, repeatsDraft, runStep } from "./flow-runner";
import { globalWord } from "./global-words";
import { createLookups } from "./lookups";
import { type Locale, translator } from "./messages";
import { createSessionStore, emptySession, type Session, type StoredUser } from "./session-store";
import { type Command, detectCommand } from "./understand/commands";
import { matchCustomers } from "./understand/names";
import { normalize } from "./understand/normalize";
import { createUserLocks } from "./user-lock";

export type CommandResult =
  | { replies: Reply[] }
  | { start: string; text?: string; data?: Record<string, unknown> };
export type CommandHandler = (cmd: Command, ctx: FlowContext, session: Session) => Promise<CommandResult>;

export interface EngineOptions {
  services: Services;
  flows: Flow<Record<string, unknown>>[];
  /** Non-flow commands by intent (plan, approvals, customers, bind, skip, approve, reject). */
  commands: Partial<Record<Command["intent"], CommandHandler>>;
  /** Global actions by prefix (`start:`, `approval:`, `care:`): tapped buttons from any message. */
  actions: (id: string, ctx: FlowContext, session: Session) => Promise<CommandResult | null>;
  log: Logger;
}

const MAX_TEXT = 4000;
const SUBMISSION = "_submission";
const SWITCH_INTENTS = new Set(["visit", "stock", "expense", "plan", "approvals", "customers"]);
/** Commands that act at once, even in the middle of a flow (a manager approving mid-report). */
const ANYTIME = new Set(["approve", "reject", "bind", "skip"]);

/**
 * The conversation engine: one turn at a time per user, sessions in the database, a
 * redelivered event answered once, and the words that work at any step (rule 3).
 */
export const createEngine = (opts: EngineOptions) => {
  const { services, log } = opts;
  const sessions = createSessionStore(services.database);
  const flows = new Map(opts.flows.map((f) => [f.id, f]));
  const withUserLock = createUserLocks();

  const chatUser = (u: StoredUser | null): ChatUser | null =>
    u?.active
      ? { id: u.id, name: u.name, role: u.role, locale: u.locale, timeZone: u.timezone ?? services.timeZone }
      : null;

  const contextFor = (user: ChatUser, via: FlowContext["via"], productsStamp?: string): FlowContext => ({
    user,
    locale: user.locale,
    timeZone: user.timeZone,
    now: services.now(),
    t: translator(user.locale),
    services,
    via,
    lookups: createLookups(services.database, user.id, productsStamp),
  });

  const info = (s: Session): TurnResult["session"] => ({
    flow: s.status === "active" ? s.flowId : null,
    step: s.status === "active" ? s.step : null,
    status: s.status,
  });

  /**
   * `alongside`: statements to commit with the turn's answer, made from it — a platform
   * queues its replies in the same transaction (one commit a turn, not two, and a stored
   * answer always has its replies queued). Not called when nothing is stored (a redelivered
   * event, an unknown user): the caller queues the replies itself then.
   */
  const handle = async (
    msg: InboundMessage,
    alongside: (result: TurnResult) => InStatement[] = () => [],
  ): Promise<TurnResult> =>
    withUserLock(msg.userId, async () => {
      // The event's earlier answer, the user and the session: one read.
      const start = await sessions.start(msg.platform, msg.eventId, msg.userId, services.now());
      if (start.seen) return start.seen;
      const user = chatUser(start.user);
      if (!user)
        return {
          replies: [{ text: translator("zh-CN")("common.unknown_user") }],
          session: { flow: null, step: null, status: "idle" },
        };
      const via = msg.platform === "api" ? "api" : msg.platform;
      // A confirmed flow's record, committed with the session below; the session as it stood
      // when the record was handed over, to save instead should that commit fail.
      let deferred: InStatement[] = [];
      let before: Session | null = null;
      const session = start.session;
      const ctx: FlowContext = {
        ...contextFor(user, via, start.productsStamp),
        impersonatedBy: msg.impersonatedBy,
        defer: (statements) => {
          // Steps replace a session's values rather than change them in place: copies of
          // its containers keep this state (a structured clone cost ~0.1 ms).
          before ??= { ...session, data: { ...session.data }, history: [...session.history] };
          deferred = [...deferred, ...statements];
        },
      };
      let replies: Reply[];
      try {
        replies = await turn(msg, ctx, session);
      } catch (err) {
        // A bug must not lose what the user typed so far: the session is saved as it was.
        log.error({ err, userId: user.id, flow: session.flowId, step: session.step }, "chat turn failed");
        replies = [{ text: ctx.t("common.internal_error") }];
      }
      const event = { platform: msg.platform, eventId: msg.eventId };
      const finish = (s: Session, r: Reply[]): TurnResult => {
        s.updatedAt = ctx.now;
        // The choices on screen, so a tap on an older message can be told apart.
        s.prompt =
          s.status === "active" && s.step ? { step: s.step, choices: r[r.length - 1]?.choices ?? [] } : null;
        return { replies: r, session: info(s) };
      };
      const result = finish(session, replies);
      if (!deferred.length) {
        await sessions.save(session, { ...event, response: result }, [], alongside(result));
        return result;
      }
      try {
        await sessions.save(session, { ...event, response: result }, deferred, alongside(result));
        return result;
      } catch (err) {
        // As a record whose write failed at once: nothing stored, the flow where it was.
        log.error({ err, userId: user.id, flow: session.flowId, step: session.step }, "chat turn failed");
        const failed = finish(before ?? session, [{ text: ctx.t("common.internal_error") }]);
        await sessions.save(before ?? session, { ...event, response: failed }, [], alongside(failed));
        return failed;
      }
    });

  const turn = async (msg: InboundMessage, ctx: FlowContext, s: Session): Promise<Reply[]> => {
    const out: Reply[] = [];
    const text = msg.text === undefined ? undefined : normalize(msg.text);
    if (text !== undefined && text.length > MAX_TEXT)
      return [{ text: ctx.t("common.too_long", { max: MAX_TEXT }) }];
    if (s.status === "active") {
      const r = await expireOrRestart(s, ctx);
      if (r.stop) return r.replies;
      out.push(...r.replies);
    }
    if (msg.action && GLOBAL_ACTION.test(msg.action.id)) {
      const r = await opts.actions(msg.action.id, ctx, s);
      if (r) return [...out, ...(await applyCommand(r, ctx, s))];
    }
    const cmd = text ? detectCommand(text) : null;
    const global = cmd ? await globalWord(globalWords, cmd, ctx, s) : null;
    if (global) return [...out, ...global];
    const handler = cmd ? opts.commands[cmd.intent] : undefined;
    if (cmd && handler && ANYTIME.has(cmd.intent) && !(await answersTheFlow(cmd, ctx, s)))
      return [...out, ...(await applyCommand(await handler(cmd, ctx, s), ctx, s))];
    const switching =
      cmd && SWITCH_INTENTS.has(cmd.intent) && (cmd.args === "" || (await newReport(cmd, text!, ctx, s)));
    if (s.status === "active" && !switching) return [...out, ...(await inFlow(msg, text, ctx, s))];
    if (cmd && flows.has(cmd.intent))
      return [
        ...out,
        ...(await startFlow(cmd.intent, cmd.args, cmd.expenseKind ? { kind: cmd.expenseKind } : {}, ctx, s)),
      ];
    if (cmd && handler) return [...out, ...(await applyCommand(await handler(cmd, ctx, s), ctx, s))];
    if (msg.action)
      return [...out, { text: ctx.t("common.stale_choice") }, { text: ctx.t("common.unknown_command") }];
    return [...out, { text: ctx.t(text ? "common.unknown_command" : "common.empty") }];
  };

  /**
   * A whole report line (`拜访 张明 昨天 评级6`) while another report waits at its confirm step
   * is a new report: the waiting one is kept for `继续`, not met with "did not understand" nor
   * silently confirmed by the next 确认. The same line sent again is no new report.
   */
  const newReport = async (cmd: Command, text: string, ctx: FlowContext, s: Session) => {
    if (s.status !== "active" || s.step !== "confirm" || !flows.has(cmd.intent)) return false;
    const current = flows.get(s.flowId ?? "");
    if (cmd.intent !== s.flowId || !current?.absorb) return true;
    return !(await repeatsDraft(current, text, s.data, ctx));
  };

  /**
   * Whether a `skip`/`不发` line inside a flow is the rep's answer rather than the care command.
   * A bare "skip" answers the question ("skip the receipt"). `不发 王主任` mid-report is still
   * the command, but only when the words after it name one of the rep's customers: a note
   * such as 不发样品了 下次带资料 names nobody, and is the note.
   */
  const answersTheFlow = async (cmd: Command, ctx: FlowContext, s: Session): Promise<boolean> => {
    if (cmd.intent !== "skip" || s.status !== "active") return false;
    if (!cmd.args) return true;
    return matchCustomers(cmd.args, await ctx.lookups.myCustomers()).length === 0;
  };

  /**
   * An idle session pauses (its draft kept) and the message is read afresh; a flow whose
   * definition changed starts over, and this message only triggers that.
   */
  const expireOrRestart = async (
    s: Session,
    ctx: FlowContext,
  ): Promise<{ replies: Reply[]; stop: boolean }> => {
    const flow = flows.get(s.flowId ?? "");
    const idle = await services.settings.get("chat.idleMinutes");
    const title = flow ? ctx.t(flow.title) : "";
    if (ctx.now.getTime() - s.updatedAt.getTime() > idle * 60_000) {
      const draft = {
        flowId: s.flowId!,
        flowVersion: s.flowVersion!,
        step: s.step,
        data: s.data,
        history: s.history,
      };
      Object.assign(s, { ...emptySession(s.userId, ctx.now), draft });
      return {
        replies: [{ text: ctx.t("common.session_expired", { flow: title, minutes: idle }) }],
        stop: false,
      };
    }
    if (flow && flow.version === s.flowVersion) return { replies: [], stop: false };
    Object.assign(s, emptySession(s.userId, ctx.now));
    if (!flow) return { replies: [], stop: false };
    return {
      replies: [
        { text: ctx.t("common.flow_changed", { flow: title }) },
        ...(await startFlow(flow.id, "", {}, ctx, s)),
      ],
      stop: true,
    };
  };

  /** `language`: stored on the user, and this turn's context answers in it from here on. */
  const setLocale = async (locale: Locale, ctx: FlowContext) => {
    await services.database.write((db) =>
      db.update(users).set({ locale, updatedAt: new Date().toISOString() }).where(eq(users.id, ctx.user.id)),
    );
    Object.assign(ctx, contextFor({ ...ctx.user, locale }, ctx.via));
  };
  /** What the words that work at any step need of the engine, made once (turns run later). */
  const globalWords = { flows, setLocale };

  const inFlow = async (
    msg: InboundMessage,
    text: string | undefined,
    ctx: FlowContext,
    s: Session,
  ): Promise<Reply[]> => {
    const flow = flows.get(s.flowId!)!;
    const choices = s.prompt?.choices ?? [];
    const reply: StepReply = { text, attachment: msg.attachment };
    if (msg.action) {
      if (!choices.some((c) => c.id === msg.action!.id))
        return [{ text: ctx.t("common.stale_choice") }, await promptFor(flow, s, ctx)];
      reply.choiceId = msg.action.id;
      reply.text = undefined;
    } else if (text && choices.length) reply.choiceId = choiceFromText(text, choices);
    if (!reply.text && !reply.choiceId && !reply.attachment)
      return [{ text: ctx.t("common.empty") }, await promptFor(flow, s, ctx)];
    const submission = s.data[SUBMISSION];
    const outcome = await runStep(flow, s, reply, {
      ...ctx,
      submissionId: typeof submission === "string" ? submission : undefined,
    });
    if (outcome.done) {
      Object.assign(s, { ...emptySession(s.userId, ctx.now), status: outcome.done, draft: s.draft });
      return outcome.replies;
    }
    return outcome.replies;
  };

  const startFlow = async (
    flowId: string,
    text: string,
    preset: Record<string, unknown>,
    ctx: FlowContext,
    s: Session,
  ): Promise<Reply[]> => {
    const flow = flows.get(flowId);
    if (!flow) return [{ text: ctx.t("common.unknown_command") }];
    // A flow left unfinished is kept as a draft for `continue`.
    if (s.status === "active" && s.flowId)
      s.draft = {
        flowId: s.flowId,
        flowVersion: s.flowVersion!,
        step: s.step,
        data: s.data,
        history: s.history,
      };
    Object.assign(s, {
      ...emptySession(s.userId, ctx.now),
      draft: s.draft,
      flowId,
      flowVersion: flow.version,
      status: "active",
    });
    // One id per started flow, kept in its data (drafts too): the record it creates carries it,
    // so a confirm replayed after a crash finds the record instead of writing it twice.
    let data: Record<string, unknown> = { ...flow.initial(), ...preset, [SUBMISSION]: newId() };
    if (text && flow.absorb) data = await flow.absorb(text, data, ctx);
    s.data = data;
    return [await advance(flow, s, ctx)];
  };

  const applyCommand = async (r: CommandResult, ctx: FlowContext, s: Session): Promise<Reply[]> =>
    "start" in r ? startFlow(r.start, r.text ?? "", r.data ?? {}, ctx, s) : r.replies;

  return { handle };
};

export type Engine = ReturnType<typeof createEngine>;
