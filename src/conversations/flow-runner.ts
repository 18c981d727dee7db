import type { Choice, Reply } from "../bot/platform";
import type { Flow, FlowContext, Prompt, StepReply } from "./flow";
import type { Params } from "./messages";
import type { Session } from "./session-store";

type AnyFlow = Flow<Record<string, unknown>>;

export const CONFIRM = "confirm";
export const EDIT = "edit";
const OPT = "opt:";

/** Maps a typed "2" or a typed label to the id of a choice on screen. */
export const choiceFromText = (text: string, choices: Choice[]): string | undefined => {
  const t = text.trim().toLowerCase();
  if (/^\d{1,3}$/.test(t)) return choices[Number(t) - 1]?.id;
  return choices.find((c) => c.label.trim().toLowerCase() === t)?.id;
};

/**
 * Why part of an answer was not taken (评级9, 明天 for a visit): a flow's absorb or step
 * leaves these in the draft, and the next question is prefixed with them once, so the rep
 * hears the reason instead of only the question again.
 */
const NOTICES = "_notices";
export interface Notice {
  key: string;
  params?: Params;
}

export const withNotices = <S extends object>(state: S, notices: Notice[]): S => {
  if (!notices.length) return state;
  const earlier = ((state as Record<string, unknown>)[NOTICES] as Notice[] | undefined) ?? [];
  return { ...state, [NOTICES]: [...earlier, ...notices] };
};

const takeNotices = (s: Session, ctx: FlowContext): string[] => {
  const notices = s.data[NOTICES] as Notice[] | undefined;
  if (!notices) return [];
  const { [NOTICES]: _, ...rest } = s.data;
  s.data = rest;
  return notices.map((n) => ctx.t(n.key, n.params));
};

/**
 * Whether text that changed nothing only repeats the draft: read on its own, it sets fields,
 * and each holds what the draft already holds (gibberish sets nothing, or only a search).
 */
export const repeatsDraft = async (
  flow: AnyFlow,
  text: string,
  data: Record<string, unknown>,
  ctx: FlowContext,
) => {
  const fresh = flow.initial();
  const alone = await flow.absorb!(text, fresh, ctx);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const set = Object.keys(alone).filter((k) => !same(alone[k], fresh[k]));
  return set.length > 0 && set.every((k) => same(alone[k], data[k]));
};

const nextMissing = (flow: AnyFlow, data: Record<string, unknown>) =>
  flow.order.find((name) => !flow.steps[name].optional && flow.steps[name].missing(data));

const summary = async (flow: AnyFlow, data: Record<string, unknown>, ctx: FlowContext) => {
  const rows: { label: string; value: string }[] = [];
  for (const name of flow.order) {
    const value = await flow.steps[name].show(data, ctx);
    if (value !== null && value !== "") rows.push({ label: ctx.t(flow.steps[name].label), value });
  }
  return rows;
};

const confirmPrompt = async (
  flow: AnyFlow,
  data: Record<string, unknown>,
  ctx: FlowContext,
): Promise<Reply> => {
  const offers = flow.order
    .filter((n) => flow.steps[n].optional && !flow.steps[n].display && flow.steps[n].missing(data))
    .map((n) => ({ id: `${OPT}${n}`, label: `+ ${ctx.t(flow.steps[n].label)}` }));
  return {
    kind: "confirm",
    text: `${ctx.t(`${flow.id}.confirm_title`)}\n${ctx.t("common.confirm_hint")}`,
    summary: await summary(flow, data, ctx),
    choices: [
      { id: "confirm", label: ctx.t("common.confirm") },
      { id: "edit", label: ctx.t("common.edit") },
      { id: "cancel", label: ctx.t("common.cancel") },
      ...offers,
    ],
  };
};

const editPrompt = async (
  flow: AnyFlow,
  data: Record<string, unknown>,
  ctx: FlowContext,
): Promise<Reply> => ({
  kind: "choice",
  text: ctx.t("common.edit_which"),
  choices: flow.order
    .filter((n) => !flow.steps[n].display && (!flow.steps[n].missing(data) || flow.steps[n].optional))
    .map((n) => ({ id: `${OPT}${n}`, label: ctx.t(flow.steps[n].label) })),
});

/** The prompt for where the session stands (a step, confirm, or the edit list). */
export const promptFor = async (flow: AnyFlow, s: Session, ctx: FlowContext): Promise<Reply> => {
  if (s.step === CONFIRM) return confirmPrompt(flow, s.data, ctx);
  if (s.step === EDIT) return editPrompt(flow, s.data, ctx);
  const p: Prompt = await flow.steps[s.step!].ask(s.data, ctx);
  return { text: p.text, choices: p.choices, kind: p.kind ?? (p.choices?.length ? "choice" : "text") };
};

/** Moves to the next missing step (or back to confirm after an edit) and asks it. */
export const advance = async (flow: AnyFlow, s: Session, ctx: FlowContext): Promise<Reply> => {
  const next = s.returnTo && !nextMissing(flow, s.data) ? s.returnTo : (nextMissing(flow, s.data) ?? CONFIRM);
  if (next === s.returnTo) s.returnTo = null;
  if (s.step && s.step !== next && s.step !== EDIT) s.history.push(s.step);
  s.step = next;
  const notices = takeNotices(s, ctx);
  const prompt = await promptFor(flow, s, ctx);
  return notices.length ? { ...prompt, text: [...notices, prompt.text].join("\n") } : prompt;
};

export type StepOutcome = { replies: Reply[]; done?: "completed" | "cancelled" };

const withError = async (
  flow: AnyFlow,
  s: Session,
  ctx: FlowContext,
  text: string,
): Promise<StepOutcome> => ({
  replies: [{ text }, await promptFor(flow, s, ctx)],
});

/** One answer inside a flow: at a step, at the confirm step, or in the edit list. */
export const runStep = async (
  flow: AnyFlow,
  s: Session,
  reply: StepReply,
  ctx: FlowContext,
): Promise<StepOutcome> => {
  if (s.step === CONFIRM) return atConfirm(flow, s, reply, ctx);
  if (s.step === EDIT) {
    const name = reply.choiceId?.startsWith(OPT) ? reply.choiceId.slice(OPT.length) : undefined;
    if (!name || !flow.steps[name] || flow.steps[name].display)
      return withError(flow, s, ctx, ctx.t("common.stale_choice"));
    return openField(flow, s, name, ctx);
  }
  const step = flow.steps[s.step!];
  const taken = await step.take(reply, s.data, ctx);
  if (!taken.ok) return withError(flow, s, ctx, ctx.t(taken.key, taken.params));
  s.data = taken.state;
  return { replies: [await advance(flow, s, ctx)] };
};

const openField = async (flow: AnyFlow, s: Session, name: string, ctx: FlowContext): Promise<StepOutcome> => {
  s.data = flow.steps[name].clear(s.data);
  s.returnTo = CONFIRM;
  s.step = name;
  return { replies: [await promptFor(flow, s, ctx)] };
};

/** 确认 / confirm / ok in either language: a rep who switched languages still types what they know. */
const confirmWord = (text: string | undefined) => {
  const t = text?.trim().toLowerCase() ?? "";
  if (/^(确认|確認|确定|提交|ok|okay|yes|confirm|submit|好|是|对)$/.test(t)) return "confirm";
  if (/^(修改|更改|edit|change)$/.test(t)) return "edit";
  return undefined;
};

const atConfirm = async (
  flow: AnyFlow,
  s: Session,
  reply: StepReply,
  ctx: FlowContext,
): Promise<StepOutcome> => {
  const id = reply.choiceId ?? confirmWord(reply.text);
  if (id === "cancel") return { replies: [{ text: ctx.t("common.cancelled") }], done: "cancelled" };
  if (id === "edit") {
    s.step = EDIT;
    return { replies: [await promptFor(flow, s, ctx)] };
  }
  if (id?.startsWith(OPT) && flow.steps[id.slice(OPT.length)] && !flow.steps[id.slice(OPT.length)].display)
    return openField(flow, s, id.slice(OPT.length), ctx);
  if (id === "confirm") return finish(flow, s, ctx);
  // Free text at the confirm step adds what it names ("下周二复访") and shows the summary again;
  // text that changes nothing (nor says why it could not) was not understood, and is told so.
  if (reply.text && flow.absorb) {
    const before = JSON.stringify(s.data);
    const after = await flow.absorb(reply.text, s.data, ctx);
    if (JSON.stringify(after) !== before) {
      s.data = after;
      return { replies: [await advance(flow, s, ctx)] };
    }
    // The same line sent again (a double send, a retype) was understood: the summary again.
    if (await repeatsDraft(flow, reply.text, s.data, ctx)) return { replies: [await advance(flow, s, ctx)] };
  }
  return withError(flow, s, ctx, ctx.t("common.not_understood", { hint: ctx.t("common.confirm_hint") }));
};

const finish = async (flow: AnyFlow, s: Session, ctx: FlowContext): Promise<StepOutcome> => {
  const result = await flow.complete(s.data, ctx);
  if (result.ok) return { replies: result.replies, done: "completed" };
  const text = ctx.t("common.saved_error", { reason: ctx.t(result.key, result.params) });
  // The rest of what was entered is kept: only the field at fault is asked again.
  if (result.step && flow.steps[result.step]) {
    s.data = flow.steps[result.step].clear(s.data);
    s.returnTo = CONFIRM;
    s.step = result.step;
  }
  return withError(flow, s, ctx, text);
};
