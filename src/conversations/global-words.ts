import type { Reply } from "../bot/platform";
import type { Flow, FlowContext } from "./flow";
import { promptFor } from "./flow-runner";
import type { Locale } from "./messages";
import { emptySession, type Session } from "./session-store";
import type { Command } from "./understand/commands";

type Flows = ReadonlyMap<string, Flow<Record<string, unknown>>>;

export interface GlobalWordOptions {
  flows: Flows;
  /** Stores the user's language and points `ctx` (its translator, locale) at it. */
  setLocale: (locale: Locale, ctx: FlowContext) => Promise<void>;
}

/**
 * The words that work at any step (rule 3): cancel, back, help, continue and the language.
 * Answers null for any other command, which the engine then routes.
 */
export const globalWord = async (
  o: GlobalWordOptions,
  cmd: Command,
  ctx: FlowContext,
  s: Session,
): Promise<Reply[] | null> => {
  const flow = o.flows.get(s.flowId ?? "");
  switch (cmd.intent) {
    case "cancel":
      if (s.status !== "active") return [{ text: ctx.t("common.nothing_to_cancel") }];
      // Only the flow in progress is dropped: a draft left by an earlier one stays for `continue`.
      Object.assign(s, { ...emptySession(s.userId, ctx.now), status: "cancelled", draft: s.draft });
      return [{ text: ctx.t("common.cancelled") }];
    case "back": {
      if (s.status !== "active" || !flow) return [{ text: ctx.t("common.nothing_to_cancel") }];
      const previous = s.history.pop();
      if (!previous) return [{ text: ctx.t("common.nothing_to_go_back") }, await promptFor(flow, s, ctx)];
      s.data = flow.steps[previous]?.clear(s.data) ?? s.data;
      s.step = previous;
      s.returnTo = null;
      return [await promptFor(flow, s, ctx)];
    }
    case "help":
      if (s.status === "active" && flow) {
        const p = await promptFor(flow, s, ctx);
        const stepHelp = s.step && flow.steps[s.step]?.help;
        return [
          {
            text: ctx.t("common.help_step", {
              question: p.text,
              help: stepHelp ? ctx.t(stepHelp) : ctx.t("common.help"),
            }),
          },
          p,
        ];
      }
      return [{ text: ctx.t("common.help") }];
    case "continue":
      return resume(o.flows, ctx, s);
    case "language":
      await o.setLocale(cmd.language ?? "zh-CN", ctx);
      return [
        { text: ctx.t("common.language_set") },
        ...(s.status === "active" && flow ? [await promptFor(flow, s, ctx)] : []),
      ];
    default:
      return null;
  }
};

/** `continue`: the flow in progress asks again, or the kept draft comes back where it stopped. */
const resume = async (flows: Flows, ctx: FlowContext, s: Session): Promise<Reply[]> => {
  const d = s.draft;
  const flow = d ? flows.get(d.flowId) : undefined;
  const current = flows.get(s.flowId ?? "");
  if (s.status === "active" && current) return [await promptFor(current, s, ctx)];
  if (!d || !flow || flow.version !== d.flowVersion) return [{ text: ctx.t("common.nothing_to_continue") }];
  Object.assign(s, {
    ...emptySession(s.userId, ctx.now),
    flowId: d.flowId,
    flowVersion: d.flowVersion,
    data: d.data,
    history: d.history,
    step: d.step,
    status: "active",
  });
  return [{ text: ctx.t("common.continue_resumed") }, await promptFor(flow, s, ctx)];
};
