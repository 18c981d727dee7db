import { describe, expect, it } from "vitest";
import { matchCustomers, matchProducts } from "../../../src/conversations/understand";
import { customers, products } from "./fixtures";

const ids = (q: string) => matchCustomers(q, customers).map((m) => m.id);

describe("matchCustomers", () => {
  it("王主任: the 王 whose title is 主任 first, the 主治 王丽 dropped", () => {
    expect(ids("王主任")[0]).toBe("d-wjg");
    expect(ids("王主任")).not.toContain("d-wl");
  });

  it("a surname alone offers every 王 (the caller asks)", () => {
    expect(ids("王").sort()).toEqual(["d-wjg", "d-wl", "d-wq"]);
  });

  it("协和 王 narrows to the 王 doctors of 北京协和医院", () => {
    expect(ids("协和 王").sort()).toEqual(["d-wjg", "d-wl"]);
    expect(ids("协和王主任")).toEqual(["d-wjg"]);
    expect(ids("协和 王主任")).toEqual(["d-wjg"]);
  });

  it("协和 is the hospital itself", () => {
    expect(ids("协和")).toEqual(["h-pumch"]);
  });

  it.each([
    ["wjg", "d-wjg"],
    ["wangjianguo", "d-wjg"],
    ["王建国", "d-wjg"],
    ["建国", "d-wjg"],
    ["Dr. Wang at Union", "d-wjg"],
    ["john smith", "d-smith"],
    ["Smith", "d-smith"],
    ["KANGMEI", "p-dyf"],
    ["大药房", "p-dyf"],
    ["Jointown", "x-jzt"],
    ["李教授", "d-lm"],
  ])("%s → %s", (q, id) => {
    expect(ids(q)[0]).toBe(id);
  });

  it("returns nothing implausible", () => {
    expect(ids("赵六")).toEqual([]);
    expect(ids("协和 张")).toEqual([]);
    expect(ids("")).toEqual([]);
  });
});

describe("matchProducts", () => {
  const pids = (q: string) => matchProducts(q, products).map((m) => m.id);

  it("exact > prefix > contains, by name, English name or alias", () => {
    expect(pids("维C")).toEqual(["vc"]);
    expect(pids("感冒灵")[0]).toBe("gml");
    expect(pids("ganmaoling")).toEqual(["gml"]);
    expect(pids("阿莫西林")[0]).toBe("amx");
    expect(matchProducts("阿莫西林", products).map((m) => m.score)).toEqual([100, 80]);
    expect(pids("维生素").sort()).toEqual(["b12", "vc"]);
    expect(pids("克拉维酸")).toEqual(["amxk"]);
    expect(pids("板蓝根")).toEqual([]);
  });
});
