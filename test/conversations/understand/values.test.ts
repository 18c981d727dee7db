import { describe, expect, it } from "vitest";
import {
  findAmount,
  normalize,
  parseAmount,
  parseChineseNumeral,
  parseQuantity,
  parseRating,
  parseStockLines,
} from "../../../src/conversations/understand";
import { products } from "./fixtures";

describe("normalize", () => {
  it("folds full-width characters and collapses spaces", () => {
    expect(normalize("  同意\u3000Ｅ４２ ，ＡＢＣ１２３  ")).toBe("同意 E42 ,ABC123");
    expect(normalize("a  b\n\n c ")).toBe("a b\nc");
  });
});

describe("parseChineseNumeral", () => {
  it.each([
    ["十", 10],
    ["十二", 12],
    ["二十", 20],
    ["三百五十", 350],
    ["三百五", 350],
    ["一千二百", 1200],
    ["两千五", 2500],
    ["一千零五十", 1050],
    ["一万二", 12000],
    ["二十万", 200000],
  ])("%s → %i", (text, n) => {
    expect(parseChineseNumeral(text)).toBe(n);
  });

  it("rejects digit strings", () => {
    expect(parseChineseNumeral("一二三")).toBeNull();
  });
});

describe("parseAmount", () => {
  it.each([
    ["¥1,234.50", 1234.5],
    ["￥88", 88],
    ["1234.5元", 1234.5],
    ["1,200 块", 1200],
    ["一千二百元", 1200],
    ["两千五", 2500],
    ["三百五十元", 350],
    ["1.2k", 1200],
    ["1.2万", 12000],
    ["3千", 3000],
    ["amount 450", 450],
    ["金额: 99.9", 99.9],
    ["450", 450],
    ["１２００元", 1200],
    ["餐费 320元 昨天", 320],
    ["12.345", null],
    ["¥12.345", null],
    ["打车 85", null],
    ["十盒", null],
  ])("%s → %s", (text, amount) => {
    expect(parseAmount(text)).toBe(amount);
  });

  it("says why 12.345 is rejected", () => {
    expect(findAmount("12.345")).toMatchObject({ error: "too_many_decimals" });
  });

  it("takes a bare number only when asked", () => {
    expect(findAmount("taxi 85", { bare: true })).toMatchObject({ amount: 85, matched: "85" });
  });
});

describe("parseQuantity", () => {
  it.each([
    ["24盒", { quantity: 24, unit: "盒" }],
    ["3 boxes", { quantity: 3, unit: "box" }],
    ["10", { quantity: 10 }],
    ["十盒", { quantity: 10, unit: "盒" }],
    ["24 瓶", { quantity: 24, unit: "瓶" }],
    ["0", { quantity: 0 }],
  ])("%s", (text, q) => {
    expect(parseQuantity(text)).toEqual(q);
  });

  it("rejects what is not a count", () => {
    expect(parseQuantity("感冒灵")).toBeNull();
    expect(parseQuantity("3.5盒")).toBeNull();
  });
});

describe("parseStockLines", () => {
  it("reads several lines with all separators", () => {
    const r = parseStockLines("感冒灵 24盒, 维C 10；阿莫西林胶囊 3 boxes\n维生素B12片 5瓶", products);
    expect(r.errors).toEqual([]);
    expect(r.lines.map(({ productId, quantity }) => [productId, quantity])).toEqual([
      ["gml", 24],
      ["vc", 10],
      ["amx", 3],
      ["b12", 5],
    ]);
    expect(r.lines[0]).toMatchObject({ unit: "盒", matched: "感冒灵 24盒" });
  });

  it("reads pairs without separators and English names", () => {
    const r = parseStockLines("感冒灵 24盒 维C 10 Amoxiclav 2 boxes", products);
    expect(r.lines.map((l) => [l.productId, l.quantity, l.unit])).toEqual([
      ["gml", 24, "盒"],
      ["vc", 10, undefined],
      ["amxk", 2, "box"],
    ]);
  });

  it("reports unknown, ambiguous and count-less fragments", () => {
    const r = parseStockLines("板蓝根 5盒、阿莫 3盒、维C、感冒灵 2", products);
    expect(r.lines).toEqual([{ productId: "gml", quantity: 2, matched: "感冒灵 2" }]);
    expect(r.errors).toEqual([
      { fragment: "板蓝根 5盒", reason: "unknown_product" },
      { fragment: "阿莫 3盒", reason: "ambiguous_product", candidates: ["amx", "amxk"] },
      { fragment: "维C", reason: "no_quantity" },
    ]);
  });

  it("keeps the text before the first product as `leading` (the store)", () => {
    expect(parseStockLines("大药房感冒灵 24盒", products)).toMatchObject({ leading: "大药房" });
    expect(parseStockLines("Kangmei pharmacy Ganmaoling 24 boxes", products)).toMatchObject({
      leading: "Kangmei pharmacy",
      lines: [{ productId: "gml", quantity: 24, unit: "box" }],
    });
  });
});

describe("parseRating", () => {
  it.each([
    ["评级6", 6],
    ["评分 6", 6],
    ["6分", 6],
    ["rating 6", 6],
    ["Rating: 5", 5],
    ["rated 6/7", 6],
    ["6", 6],
    ["评级六", 6],
    ["评级９", { error: "out_of_range", value: 9 }],
    ["rating 0", { error: "out_of_range", value: 0 }],
    ["下午3点15分", null],
    ["感冒灵 24盒", null],
  ])("%s", (text, rating) => {
    expect(parseRating(text)).toEqual(rating);
  });
});
