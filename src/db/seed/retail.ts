import { withContact } from "./contacts";
import { cities, ownerOf } from "./org";
import { createRng, type Rng, seedId } from "./random";
import type { ConsentRow, CustomerRow, SeedContext } from "./types";

const chains: Record<string, string[]> = {
  北京: ["老百姓大药房", "同仁堂", "国大药房", "金象大药房", "嘉事堂药店"],
  石家庄: ["老百姓大药房", "乐仁堂", "神威大药房", "国大药房", "一心堂"],
  保定: ["老百姓大药房", "乐仁堂", "同仁堂", "一心堂"],
};
const singles = [
  "康宁药店",
  "仁和堂药店",
  "济民大药房",
  "益寿堂药店",
  "百姓康药店",
  "惠民药店",
  "德仁堂药店",
  "安康大药房",
];
const branches = [
  "学院路",
  "中关村",
  "望京",
  "建国门",
  "和平里",
  "方庄",
  "东风路",
  "中华大街",
  "裕华路",
  "七一路",
  "朝阳大街",
  "五四路",
  "槐安路",
  "白石桥",
];
const perCity: Record<string, number> = { 北京: 50, 石家庄: 40, 保定: 30 };

type PharmacyGrade = "A" | "B" | "C" | "D";

/** Store and our monthly sales that land in the intended grade (DOMAIN.md §2 defaults). */
const pharmacyFigures = (rng: Rng, grade: PharmacyGrade) => {
  const k = (min: number, max: number) => rng.int(min, max) * 1000;
  if (grade === "A") return { monthlySalesCny: k(500, 1500), ourMonthlySalesCny: k(10, 60) };
  if (grade === "B")
    return rng.chance(0.5)
      ? { monthlySalesCny: k(500, 1200), ourMonthlySalesCny: k(2, 9) }
      : { monthlySalesCny: k(150, 480), ourMonthlySalesCny: k(10, 30) };
  if (grade === "C") return { monthlySalesCny: k(80, 480), ourMonthlySalesCny: k(1, 9) };
  return { monthlySalesCny: k(50, 800), ourMonthlySalesCny: 0 };
};

const stageFor = (rng: Rng, grade: PharmacyGrade): CustomerRow["stage"] =>
  grade === "D"
    ? rng.weighted([
        ["to_identify", 2],
        ["new", 2],
        ["intent", 3],
      ] as const)
    : rng.weighted([
        ["purchasing", 6],
        ["complete", 4],
      ] as const);

const pharmacyRow = (rng: Rng, ctx: SeedContext, cityName: string, n: number): CustomerRow => {
  const city = cities.find((c) => c.name === cityName)!;
  const area = city.areas[n % city.areas.length];
  const chain = rng.chance(0.65) ? rng.pick(chains[cityName]) : null;
  const grade = rng.weighted([
    ["A", 2],
    ["B", 3.5],
    ["C", 2.5],
    ["D", 2],
  ] as const);
  const code = `P${String(n + 1).padStart(3, "0")}`;
  const branch = `${area}${rng.pick(branches)}店`;
  return {
    id: seedId(`customer:pharmacy:${n + 1}`),
    code,
    kind: "pharmacy",
    name: chain ? `${chain}（${branch}）` : `${rng.pick(singles)}（${branch}）`,
    chain,
    ownerId: ownerOf(cityName, area).id,
    city: cityName,
    cityTier: city.tier,
    area,
    address: `${cityName}市${area}区${rng.pick(branches)}${rng.int(1, 280)}号`,
    stage: stageFor(rng, grade),
    bestVisitSlot: rng.chance(0.5) ? "am" : "pm",
    ...pharmacyFigures(rng, grade),
    createdAt: ctx.createdAt,
    updatedAt: ctx.createdAt,
  };
};

// [name, city, area, tier]
const distributorList: readonly (readonly [string, string, string, "first" | "second"])[] = [
  ["国药控股北京有限公司", "北京", "东城", "first"],
  ["华润医药商业集团有限公司", "北京", "朝阳", "first"],
  ["国药乐仁堂医药有限公司", "石家庄", "桥西", "first"],
  ["九州通医药集团河北有限公司", "石家庄", "长安", "second"],
  ["华润河北医药有限公司保定分公司", "保定", "竞秀", "first"],
  ["保定市康达医药有限公司", "保定", "莲池", "second"],
];

const distributorRow = (rng: Rng, ctx: SeedContext, i: number): CustomerRow => {
  const [name, cityName, area, tier] = distributorList[i];
  const city = cities.find((c) => c.name === cityName)!;
  const code = `D${String(i + 1).padStart(2, "0")}`;
  return {
    id: seedId(`customer:distributor:${i + 1}`),
    code,
    kind: "distributor",
    name,
    tier,
    ownerId: ownerOf(cityName, area).id,
    city: cityName,
    cityTier: city.tier,
    area,
    address: `${cityName}市${area}区${rng.pick(branches)}${rng.int(1, 200)}号`,
    phone: `${city.phonePrefix}-${rng.int(6000, 8999)}${String(rng.int(0, 9999)).padStart(4, "0")}`,
    email: `flow.${code.toLowerCase()}@example.com`,
    stage: "purchasing",
    createdAt: ctx.createdAt,
    updatedAt: ctx.createdAt,
  };
};

export interface RetailWorld {
  pharmacies: CustomerRow[];
  distributors: CustomerRow[];
  consent: ConsentRow[];
}

/** 120 pharmacies (chains and single stores, grades A–D) and 6 distributors. */
export const buildRetail = (ctx: SeedContext): RetailWorld => {
  const rng = createRng(ctx.seed, "retail");
  const world: RetailWorld = { pharmacies: [], distributors: [], consent: [] };
  for (const city of cities)
    for (let k = 0; k < perCity[city.name]; k++) {
      const row = pharmacyRow(rng, ctx, city.name, world.pharmacies.length);
      const { customer, consent } = withContact(rng, ctx, row, 5000 + world.pharmacies.length, false);
      world.pharmacies.push(customer);
      world.consent.push(...consent);
    }
  world.distributors = distributorList.map((_, i) => distributorRow(rng, ctx, i));
  return world;
};
