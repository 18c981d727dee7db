import type { ApiCall } from "./stand-in";

/**
 * Block Kit's limits, checked independently of the renderer on every payload the tests made
 * Slack receive: messages (blocks) and modals (views).
 */
export const blockKitViolations = (calls: ApiCall[]): string[] => {
  const out: string[] = [];
  const len = (s: unknown) => Array.from(String(s ?? "")).length;
  const walk = (where: string, blocks: any[]) => {
    if (blocks.length > 50) out.push(`${where}: ${blocks.length} blocks`);
    const actionIds = new Set<string>();
    for (const b of blocks) {
      if (b.text && len(b.text.text) > 3000) out.push(`${where}: section text ${len(b.text.text)}`);
      if (b.fields && b.fields.length > 10) out.push(`${where}: ${b.fields.length} fields`);
      for (const f of b.fields ?? []) if (len(f.text) > 2000) out.push(`${where}: field ${len(f.text)}`);
      for (const e of [
        ...(b.elements ?? []),
        ...(b.element ? [b.element] : []),
        ...(b.accessory ? [b.accessory] : []),
      ]) {
        if (e.action_id) {
          if (actionIds.has(e.action_id)) out.push(`${where}: duplicate action_id ${e.action_id}`);
          actionIds.add(e.action_id);
          if (len(e.action_id) > 255) out.push(`${where}: action_id too long`);
        }
        if (e.type === "button") {
          if (len(e.text?.text) > 75) out.push(`${where}: button text ${len(e.text.text)}`);
          if (len(e.value) > 2000) out.push(`${where}: button value ${len(e.value)}`);
        }
        if (e.type === "static_select") {
          if (e.options.length > 100) out.push(`${where}: ${e.options.length} options`);
          for (const o of e.options) {
            if (len(o.text.text) > 75) out.push(`${where}: option text ${len(o.text.text)}`);
            if (len(o.value) > 150) out.push(`${where}: option value ${len(o.value)}`);
          }
        }
      }
      if (b.type === "actions" && b.elements.length > 25) out.push(`${where}: ${b.elements.length} elements`);
    }
  };
  for (const c of calls) {
    const blocks = typeof c.params.blocks === "string" ? JSON.parse(c.params.blocks) : c.params.blocks;
    if (Array.isArray(blocks)) walk(`${c.method}#${calls.indexOf(c)}`, blocks);
    const view = typeof c.params.view === "string" ? JSON.parse(c.params.view) : c.params.view;
    if (view?.blocks) {
      walk(`${c.method}#view`, view.blocks);
      for (const k of ["title", "submit", "close"])
        if (view[k] && len(view[k].text) > 24) out.push(`${c.method}: ${k} too long`);
    }
  }
  return out;
};

/** How many payloads carried blocks or a view (so the check is not vacuous). */
export const payloadCount = (calls: ApiCall[]) =>
  calls.filter((c) => c.params.blocks || c.params.view).length;
