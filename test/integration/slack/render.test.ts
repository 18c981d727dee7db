import { describe, expect, it } from "vitest";
import { renderReply } from "../../../src/bot/slack/render";
import { translator } from "../../../src/conversations/messages";
import { blockKitViolations } from "./block-limits";

const t = translator("zh-CN");
const asCall = (blocks: unknown) => ({ method: "render", params: { blocks: JSON.stringify(blocks) }, at: 0 });

describe("Slack rendering stays inside Block Kit's limits", () => {
  it("splits 20,000 characters of text into sections of at most 3,000", () => {
    const text = Array.from({ length: 400 }, (_, i) => `第${i}行：${"很长的拜访备注".repeat(7)}`).join("\n");
    const { blocks } = renderReply({ text }, t);
    expect(blocks.length).toBeGreaterThan(6);
    expect(blockKitViolations([asCall(blocks)])).toEqual([]);
  });

  it("keeps the buttons when text would pass 50 blocks", () => {
    const text = "字".repeat(3000 * 60);
    const { blocks } = renderReply({ text, choices: [{ id: "confirm", label: "确认" }] }, t);
    expect(blocks.length).toBe(50);
    expect(blocks.at(-1)?.type).toBe("actions");
    expect(blockKitViolations([asCall(blocks)])).toEqual([]);
  });

  it("uses buttons up to five, one static select above, at most 100 options, labels clipped", () => {
    const many = Array.from({ length: 140 }, (_, i) => ({
      id: `customer:${i}`,
      label: `医院${i} ${"长".repeat(90)}`,
    }));
    const five = renderReply({ text: "选", choices: many.slice(0, 5) }, t).blocks.at(-1) as any;
    expect(five.elements.map((e: any) => e.type)).toEqual(Array(5).fill("button"));
    const select = renderReply({ text: "选", choices: many }, t).blocks.at(-1) as any;
    expect(select.elements[0].type).toBe("static_select");
    expect(select.elements[0].options.length).toBe(100);
    const confirm = renderReply(
      {
        text: "确认？",
        kind: "confirm",
        summary: [{ label: "金额", value: "¥1" }],
        choices: many.slice(0, 9),
      },
      t,
    ).blocks;
    expect((confirm.at(-1) as any).elements.map((e: any) => e.type)).toEqual([
      "button",
      "button",
      "button",
      "static_select",
    ]);
    for (const blocks of [[five], [select], confirm])
      expect(blockKitViolations([asCall(blocks)])).toEqual([]);
  });

  it("puts more than 10 summary fields in several sections, each field within 2,000 characters", () => {
    const summary = Array.from({ length: 23 }, (_, i) => ({ label: `项${i}`, value: "<备注&>".repeat(500) }));
    const { blocks } = renderReply({ text: "请确认", kind: "confirm", summary }, t);
    expect(blocks.filter((b: any) => b.fields).length).toBe(3);
    expect(JSON.stringify(blocks)).toContain("&lt;备注&amp;&gt;");
    expect(blockKitViolations([asCall(blocks)])).toEqual([]);
  });
});
