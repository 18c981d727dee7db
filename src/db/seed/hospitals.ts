import { withContact } from "./contacts";
import { distinctNames } from "./names";
import { cities, ownerOf } from "./org";
import { createRng, type Rng, seedId } from "./random";
import type { ConsentRow, CustomerRow, SeedContext } from "./types";

type Size = "big" | "mid" | "small";

// [name, city, area, size]: size drives beds/outpatients/purchases, hence grades A/B/C.
const hospitalList: readonly (readonly [string, string, string, Size])[] = [
  ["北京协和医院", "北京", "东城", "big"],
  ["北京大学第一医院", "北京", "西城", "big"],
  ["北京大学人民医院", "北京", "西城", "big"],
  ["北京大学第三医院", "北京", "海淀", "big"],
  ["中日友好医院", "北京", "朝阳", "big"],
  ["首都医科大学附属北京朝阳医院", "北京", "朝阳", "big"],
  ["首都医科大学附属北京天坛医院", "北京", "丰台", "big"],
  ["首都医科大学附属北京友谊医院", "北京", "西城", "mid"],
  ["北京市海淀医院", "北京", "海淀", "mid"],
  ["北京市第六医院", "北京", "东城", "mid"],
  ["北京丰台医院", "北京", "丰台", "mid"],
  ["北京中医药大学东方医院", "北京", "丰台", "mid"],
  ["海淀区学院路社区卫生服务中心", "北京", "海淀", "small"],
  ["朝阳区双井社区卫生服务中心", "北京", "朝阳", "small"],
  ["东城区和平里医院", "北京", "东城", "small"],
  ["丰台区方庄社区卫生服务中心", "北京", "丰台", "small"],
  ["河北医科大学第二医院", "石家庄", "新华", "big"],
  ["河北医科大学第三医院", "石家庄", "桥西", "big"],
  ["河北医科大学第四医院", "石家庄", "长安", "big"],
  ["河北省人民医院", "石家庄", "新华", "big"],
  ["石家庄市人民医院", "石家庄", "长安", "mid"],
  ["石家庄市第三医院", "石家庄", "桥西", "mid"],
  ["石家庄市中医院", "石家庄", "桥西", "mid"],
  ["河北省中医院", "石家庄", "裕华", "mid"],
  ["石家庄市第二医院", "石家庄", "裕华", "mid"],
  ["长安区人民医院", "石家庄", "长安", "small"],
  ["桥西区社区卫生服务中心", "石家庄", "桥西", "small"],
  ["裕华区人民医院", "石家庄", "裕华", "small"],
  ["新华区中医院", "石家庄", "新华", "small"],
  ["裕华区槐底社区卫生服务中心", "石家庄", "裕华", "small"],
  ["河北大学附属医院", "保定", "莲池", "big"],
  ["保定市第一中心医院", "保定", "莲池", "big"],
  ["保定市第二中心医院", "保定", "竞秀", "mid"],
  ["保定市第一医院", "保定", "竞秀", "mid"],
  ["保定市儿童医院", "保定", "竞秀", "mid"],
  ["保定市中医院", "保定", "莲池", "mid"],
  ["竞秀区人民医院", "保定", "竞秀", "small"],
  ["莲池区五四路社区卫生服务中心", "保定", "莲池", "small"],
  ["满城区医院", "保定", "满城", "small"],
  ["清苑区人民医院", "保定", "清苑", "small"],
];

const departmentNames = ["心内科", "呼吸科", "消化科", "内分泌科", "儿科", "神经内科", "急诊科", "药剂科"];
const streets = ["中山路", "建设大街", "人民路", "和平路", "解放路", "学院路", "北三环东路", "东风路"];

/** Figures that land in the intended grade with the default thresholds (DOMAIN.md §2). */
const figures = (rng: Rng, size: Size) => {
  if (size === "big")
    return {
      beds: rng.int(900, 2600),
      dailyOutpatients: rng.int(3000, 14000),
      monthlyPurchaseCny: rng.int(60, 400) * 100_000,
    };
  if (size === "mid")
    return {
      beds: rng.int(260, 480),
      dailyOutpatients: rng.int(600, 1400),
      monthlyPurchaseCny: rng.int(12, 45) * 100_000,
    };
  return {
    beds: rng.int(30, 180),
    dailyOutpatients: rng.int(120, 450),
    monthlyPurchaseCny: rng.int(1, 9) * 100_000,
  };
};

/** Only hospitals already buying reach "purchasing"/"complete"; the rest are being worked on. */
const hospitalStage = (rng: Rng, size: Size): CustomerRow["stage"] =>
  size === "small"
    ? rng.weighted([
        ["to_identify", 2],
        ["new", 3],
        ["intent", 3],
        ["purchasing", 2],
      ] as const)
    : rng.weighted([
        ["purchasing", 6],
        ["complete", 4],
      ] as const);

const doctorStage = (rng: Rng): CustomerRow["stage"] =>
  rng.weighted([
    ["to_identify", 1],
    ["new", 2],
    ["intent", 3],
    ["purchasing", 2],
    ["complete", 2],
  ] as const);

export interface HospitalWorld {
  customers: CustomerRow[];
  consent: ConsentRow[];
  hospitals: CustomerRow[];
  doctors: CustomerRow[];
}

const base = (ctx: SeedContext) => ({ createdAt: ctx.createdAt, updatedAt: ctx.createdAt, timezone: null });

const hospitalRow = (rng: Rng, ctx: SeedContext, i: number): CustomerRow & { size: Size } => {
  const [name, cityName, area, size] = hospitalList[i];
  const city = cities.find((c) => c.name === cityName)!;
  const code = `H${String(i + 1).padStart(3, "0")}`;
  return {
    ...base(ctx),
    id: seedId(`customer:hospital:${i + 1}`),
    code,
    kind: "hospital",
    name,
    ownerId: ownerOf(cityName, area).id,
    city: cityName,
    cityTier: city.tier,
    area,
    address: `${cityName}市${area}区${rng.pick(streets)}${rng.int(1, 300)}号`,
    phone: `${city.phonePrefix}-${rng.int(6000, 8999)}${String(rng.int(0, 9999)).padStart(4, "0")}`,
    stage: hospitalStage(rng, size),
    ...figures(rng, size),
    size,
  };
};

const titleFor = (rng: Rng, dept: string, index: number, big: boolean): string => {
  if (dept === "药剂科") return index === 0 ? "药剂科主任" : "主管药师";
  if (index === 0) return rng.chance(0.25) ? "主任" : "主任医师";
  return rng.weighted([
    ["副主任医师", 3],
    ["主治医师", big ? 4 : 5],
    ["护士长", 1],
  ] as const);
};

/** Departments of one hospital and their doctors (药剂科 in most, for listing decisions). */
/** Where a hospital's departments and doctors are: same owner, city and address. */
const placeOf = (h: CustomerRow) => ({
  ownerId: h.ownerId,
  city: h.city,
  cityTier: h.cityTier,
  area: h.area,
  address: h.address,
});

const doctorRow = (
  rng: Rng,
  ctx: SeedContext,
  h: CustomerRow & { size: Size },
  dept: CustomerRow,
  name: string,
  k: number,
): CustomerRow => {
  const title = titleFor(rng, dept.name, k, h.size === "big");
  return {
    ...base(ctx),
    ...placeOf(h),
    id: seedId(`customer:doctor:${dept.code}:${k + 1}`),
    code: `${dept.code.replace("DP", "DR")}${k + 1}`,
    kind: "doctor",
    name,
    parentId: dept.id,
    stage: doctorStage(rng),
    department: dept.name,
    title,
    kol: (title === "主任医师" || title === "主任") && h.size !== "small" && rng.chance(0.45),
    bestVisitSlot: rng.chance(0.6) ? "am" : "pm",
  };
};

/** Departments of one hospital (药剂科 always, for listing decisions) and their doctors. */
const staffHospital = (rng: Rng, ctx: SeedContext, h: CustomerRow & { size: Size }, taken: Set<string>) => {
  const counts = { big: [4, 5, 2, 3], mid: [3, 4, 1, 3], small: [2, 3, 1, 2] }[h.size];
  const depts = ["药剂科", ...rng.sample(departmentNames.slice(0, -1), rng.int(counts[0], counts[1]) - 1)];
  return depts.map((deptName, d) => {
    const dept: CustomerRow = {
      ...base(ctx),
      ...placeOf(h),
      id: seedId(`customer:department:${h.code}:${deptName}`),
      code: `${h.code.replace("H", "DP")}${String(d + 1).padStart(2, "0")}`,
      kind: "department",
      name: deptName,
      parentId: h.id,
      stage: h.stage === "complete" ? "complete" : "new",
    };
    const names = distinctNames(rng, rng.int(counts[2], counts[3]), taken);
    return { dept, doctors: names.map((name, k) => doctorRow(rng, ctx, h, dept, name, k)) };
  });
};

/** 40 hospitals, their departments and ~300 doctors with contacts and consent. */
export const buildHospitals = (ctx: SeedContext): HospitalWorld => {
  const rng = createRng(ctx.seed, "hospitals");
  const taken = new Set<string>();
  const world: HospitalWorld = { customers: [], consent: [], hospitals: [], doctors: [] };
  hospitalList.forEach((_, i) => {
    const { size: _size, ...row } = hospitalRow(rng, ctx, i);
    const h = { ...row, size: _size };
    world.hospitals.push(row);
    world.customers.push(row);
    for (const { dept, doctors } of staffHospital(rng, ctx, h, taken)) {
      world.customers.push(dept);
      for (const doctor of doctors) {
        const { customer, consent } = withContact(rng, ctx, doctor, world.doctors.length + 1, true);
        world.doctors.push(customer);
        world.customers.push(customer);
        world.consent.push(...consent);
      }
    }
  });
  // One leap-day birthday, so care scheduling meets 02-29 in a non-leap year.
  world.doctors[6].birthday = "1984-02-29";
  return world;
};
