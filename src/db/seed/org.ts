import { seedId } from "./random";
import type { SeedContext, SeedRep, TerritoryRow, UserRow } from "./types";

export interface SeedCity {
  name: string;
  tier: 1 | 2 | 3;
  areas: string[];
  phonePrefix: string;
}

export const cities: readonly SeedCity[] = [
  { name: "北京", tier: 1, areas: ["海淀", "朝阳", "东城", "西城", "丰台"], phonePrefix: "010" },
  { name: "石家庄", tier: 2, areas: ["长安", "桥西", "新华", "裕华"], phonePrefix: "0311" },
  { name: "保定", tier: 3, areas: ["竞秀", "莲池", "满城", "清苑"], phonePrefix: "0312" },
];

interface PersonSpec {
  key: string;
  name: string;
  email: string;
  territory: string;
}

interface RepSpec extends PersonSpec {
  district: 1 | 2;
  city: string;
  areas: string[];
  locale: "zh-CN" | "en";
}

const regional: PersonSpec = {
  key: "regional",
  name: "王建国",
  email: "wang.jianguo",
  territory: "华北大区",
};
const districts: PersonSpec[] = [
  { key: "district:1", name: "李志强", email: "li.zhiqiang", territory: "北京" },
  { key: "district:2", name: "陈丽华", email: "chen.lihua", territory: "河北" },
];
const finance: PersonSpec = { key: "finance", name: "赵敏", email: "zhao.min", territory: "华北大区" };

const zh = "zh-CN" as const;
// Each area has exactly one owner rep, so every customer's owner works in its city.
const repList: Omit<RepSpec, "territory">[] = [
  { key: "rep:1", name: "张伟", email: "zhang.wei", district: 1, city: "北京", areas: ["海淀"], locale: zh },
  { key: "rep:2", name: "刘洋", email: "liu.yang", district: 1, city: "北京", areas: ["朝阳"], locale: zh },
  {
    key: "rep:3",
    name: "杨帆",
    email: "yang.fan",
    district: 1,
    city: "北京",
    areas: ["东城", "西城"],
    locale: zh,
  },
  {
    key: "rep:4",
    name: "Emily Zhang",
    email: "emily.zhang",
    district: 1,
    city: "北京",
    areas: ["丰台"],
    locale: "en",
  },
  {
    key: "rep:5",
    name: "黄磊",
    email: "huang.lei",
    district: 2,
    city: "石家庄",
    areas: ["长安", "桥西"],
    locale: zh,
  },
  {
    key: "rep:6",
    name: "周婷",
    email: "zhou.ting",
    district: 2,
    city: "石家庄",
    areas: ["新华", "裕华"],
    locale: zh,
  },
  {
    key: "rep:7",
    name: "吴涛",
    email: "wu.tao",
    district: 2,
    city: "保定",
    areas: ["竞秀", "满城"],
    locale: zh,
  },
  {
    key: "rep:8",
    name: "孙悦",
    email: "sun.yue",
    district: 2,
    city: "保定",
    areas: ["莲池", "清苑"],
    locale: zh,
  },
];
const repSpecs: RepSpec[] = repList.map((r) => ({ ...r, territory: `${r.city}·${r.areas.join("/")}` }));

export const userId = (key: string) => seedId(`user:${key}`);

export const seedReps: readonly SeedRep[] = repSpecs.map((r) => ({
  id: userId(r.key),
  name: r.name,
  city: r.city,
  areas: r.areas,
  locale: r.locale,
}));

/** The rep who owns an area of a city (customers there belong to them). */
export const ownerOf = (city: string, area: string): SeedRep => {
  const rep = seedReps.find((r) => r.city === city && r.areas.includes(area));
  if (!rep) throw new Error(`seed: no rep covers ${city}/${area}`);
  return rep;
};

export const repsIn = (city: string): SeedRep[] => seedReps.filter((r) => r.city === city);

const userRow = (
  ctx: SeedContext,
  p: PersonSpec,
  role: UserRow["role"],
  managerId: string | null,
  locale: "zh-CN" | "en" = "zh-CN",
): UserRow => ({
  id: userId(p.key),
  name: p.name,
  role,
  managerId,
  email: `${p.email}@example.com`,
  phone: null,
  locale,
  timezone: null,
  territory: p.territory,
  active: true,
  createdAt: ctx.createdAt,
  updatedAt: ctx.createdAt,
});

/** Admin (only when the database has none), managers, finance and the eight reps. */
export const buildUsers = (ctx: SeedContext, withAdmin: boolean): UserRow[] => {
  const admin = { key: "admin", name: "系统管理员", email: "admin", territory: "总部" };
  const regionalId = userId(regional.key);
  return [
    ...(withAdmin ? [{ ...userRow(ctx, admin, "admin", null), id: ctx.adminId }] : []),
    userRow(ctx, regional, "manager", null),
    ...districts.map((d) => userRow(ctx, d, "manager", regionalId)),
    userRow(ctx, finance, "finance", null),
    ...repSpecs.map((r) => userRow(ctx, r, "rep", userId(`district:${r.district}`), r.locale)),
  ].map((u, i) => ({ ...u, phone: `1391000${String(i + 1).padStart(4, "0")}` }));
};

/** Region → cities → areas, the routing units of the daily plan. */
export const buildTerritories = (ctx: SeedContext): TerritoryRow[] => {
  const stamp = { createdAt: ctx.createdAt, updatedAt: ctx.createdAt };
  const regionId = seedId("territory:region:华北");
  const rows: TerritoryRow[] = [
    { id: regionId, name: "华北大区", level: "region", managerId: userId(regional.key), ...stamp },
  ];
  for (const city of cities) {
    const cityId = seedId(`territory:city:${city.name}`);
    const managerId = userId(city.name === "北京" ? "district:1" : "district:2");
    rows.push({ id: cityId, name: city.name, level: "city", parentId: regionId, managerId, ...stamp });
    for (const area of city.areas)
      rows.push({
        id: seedId(`territory:area:${city.name}:${area}`),
        name: area,
        level: "area",
        parentId: cityId,
        ...stamp,
      });
  }
  return rows;
};
