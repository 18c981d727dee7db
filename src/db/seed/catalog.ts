import { addDays } from "../../domain/dates";
import { createRng, type Rng, seedId } from "./random";
import { localInstant } from "./time";
import type { CoverageRow, CustomerRow, ProductRow, SeedContext, SegmentRow } from "./types";

interface ProductSpec {
  code: string;
  name: string;
  nameEn: string;
  unit: "盒" | "瓶";
  rx: boolean;
  aliases: string[];
  /** Company → distributor price per unit; distributors sell on at a markup. */
  priceCny: number;
}

export const productSpecs: readonly ProductSpec[] = [
  {
    code: "GML10",
    name: "感冒灵颗粒",
    nameEn: "Ganmaoling Granules",
    unit: "盒",
    rx: false,
    aliases: ["感冒灵"],
    priceCny: 12.5,
  },
  {
    code: "VC100",
    name: "维生素C片",
    nameEn: "Vitamin C Tablets",
    unit: "瓶",
    rx: false,
    aliases: ["维C", "VC"],
    priceCny: 6.8,
  },
  {
    code: "AMX25",
    name: "阿莫西林胶囊",
    nameEn: "Amoxicillin Capsules",
    unit: "盒",
    rx: true,
    aliases: ["阿莫西林"],
    priceCny: 9.6,
  },
  {
    code: "FDD27",
    name: "复方丹参滴丸",
    nameEn: "Compound Danshen Dripping Pills",
    unit: "瓶",
    rx: true,
    aliases: ["丹参滴丸"],
    priceCny: 24.5,
  },
  {
    code: "ATV20",
    name: "阿托伐他汀钙片",
    nameEn: "Atorvastatin Calcium Tablets",
    unit: "盒",
    rx: true,
    aliases: ["阿托伐他汀"],
    priceCny: 32,
  },
  {
    code: "MET05",
    name: "盐酸二甲双胍片",
    nameEn: "Metformin Hydrochloride Tablets",
    unit: "盒",
    rx: true,
    aliases: ["二甲双胍"],
    priceCny: 15,
  },
  {
    code: "IBU30",
    name: "布洛芬缓释胶囊",
    nameEn: "Ibuprofen Sustained-release Capsules",
    unit: "盒",
    rx: false,
    aliases: ["布洛芬"],
    priceCny: 11.8,
  },
  {
    code: "SMT03",
    name: "蒙脱石散",
    nameEn: "Montmorillonite Powder",
    unit: "盒",
    rx: false,
    aliases: ["蒙脱石"],
    priceCny: 18,
  },
];

export const productIdOf = (code: string) => seedId(`product:${code}`);

export const buildProducts = (ctx: SeedContext): ProductRow[] =>
  productSpecs.map(({ priceCny: _price, ...p }) => ({
    ...p,
    id: productIdOf(p.code),
    createdAt: ctx.createdAt,
    updatedAt: ctx.createdAt,
  }));

// Which products a department's doctors talk about: segments follow the therapy area.
const byDepartment: Record<string, string[]> = {
  心内科: ["ATV20", "FDD27"],
  呼吸科: ["AMX25", "GML10", "IBU30"],
  消化科: ["SMT03", "AMX25"],
  内分泌科: ["MET05", "ATV20"],
  儿科: ["SMT03", "IBU30", "AMX25"],
  神经内科: ["FDD27", "ATV20"],
  急诊科: ["IBU30", "AMX25"],
};

const recentInstant = (rng: Rng, ctx: SeedContext) =>
  localInstant(addDays(ctx.refDate, -rng.int(1, 90)), 18, rng.int(0, 59), ctx.timeZone);

/** The rep's usage × potential judgement for a few products per clinical doctor. */
export const buildSegments = (ctx: SeedContext, doctors: CustomerRow[]): SegmentRow[] => {
  const rng = createRng(ctx.seed, "segments");
  const score = () =>
    rng.weighted([
      [0, 2],
      [1, 3],
      [2, 3],
      [3, 2],
      [4, 1.5],
    ] as const);
  return doctors.flatMap((d) => {
    const codes = byDepartment[d.department ?? ""] ?? [];
    return rng.sample(codes, rng.int(1, codes.length)).map((code) => ({
      customerId: d.id,
      productId: productIdOf(code),
      usage: score(),
      potential: score(),
      updatedAt: recentInstant(rng, ctx),
      updatedBy: d.ownerId,
    }));
  });
};

const hospitalReasons = [
  "竞品已进院",
  "药事会未召开",
  "价格",
  "医保目录外",
  "一品两规限制",
  "科室主任未提申请",
];
const pharmacyReasons = ["价格", "竞品已铺货", "总部未采购", "进货渠道未打通", "店长不认可"];
const buyingStages = new Set(["purchasing", "complete"]);
const rxCodes = productSpecs.filter((p) => p.rx).map((p) => p.code);
const otcCodes = productSpecs.filter((p) => !p.rx).map((p) => p.code);

const coverageRow = (
  rng: Rng,
  ctx: SeedContext,
  c: CustomerRow,
  code: string,
  listed: boolean,
): CoverageRow => ({
  customerId: c.id,
  productId: productIdOf(code),
  listed,
  reason: listed ? null : rng.pick(c.kind === "hospital" ? hospitalReasons : pharmacyReasons),
  updatedAt: recentInstant(rng, ctx),
  updatedBy: c.ownerId,
});

/**
 * Listing status per buyer and product. Buying customers carry a few products (these drive
 * the purchases); the others, and some of the rest, record why a product is not in.
 */
export const buildCoverage = (ctx: SeedContext, buyers: CustomerRow[]): CoverageRow[] => {
  const rng = createRng(ctx.seed, "coverage");
  return buyers.flatMap((c) => {
    const hospital = c.kind === "hospital";
    const pool = hospital
      ? [...rxCodes, ...rng.sample(otcCodes, 2)]
      : [...otcCodes, ...rng.sample(rxCodes, 1)];
    const buying = buyingStages.has(c.stage ?? "") && (hospital || (c.ourMonthlySalesCny ?? 0) > 0);
    if (!buying && rng.chance(0.4)) return [];
    const order = rng.sample(pool, pool.length);
    const listedCount = buying ? rng.int(hospital ? 2 : 1, hospital ? 4 : 3) : 0;
    const unlisted = rng.int(buying ? 0 : 1, 2);
    return order
      .slice(0, listedCount + unlisted)
      .map((code, i) => coverageRow(rng, ctx, c, code, i < listedCount));
  });
};
