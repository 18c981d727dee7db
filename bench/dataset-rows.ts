/**
 * Deterministic rows of the bench data set: one rep's book (100 customers, their
 * purchases and visits) at a time, from a seeded PRNG, so the same scale always makes
 * the same file.
 */

export type Value = string | number | null;
export type Row = Value[];

/** mulberry32: small, fast, good enough for synthetic data. */
export const prng = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
  };
};

export const pad = (n: number, w = 7) => String(n).padStart(w, "0");
export const repId = (r: number) => `u-rep-${pad(r, 5)}`;
export const managerId = (m: number) => `u-mgr-${pad(m, 4)}`;
export const regionalId = (g: number) => `u-reg-${pad(g, 3)}`;
export const ADMIN_ID = "u-admin";
/** Deterministic bearer tokens (bench only): `bench-token-<userId>`. */
export const tokenOf = (userId: string) => `bench-token-${userId}`;
export const productId = (p: number) => `p-${pad(p, 3)}`;
export const productCode = (p: number) => `P${pad(p, 3)}`;
export const customerId = (r: number, i: number) => `c-${pad(r, 5)}-${pad(i, 3)}`;
export const customerCode = (r: number, i: number) => `C${pad(r, 5)}${pad(i, 3)}`;

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "吴",
  "周",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "高",
  "林",
  "罗",
];
const GIVEN = [
  "建国",
  "芳",
  "明",
  "伟",
  "静",
  "磊",
  "敏",
  "丽",
  "强",
  "洋",
  "艳",
  "勇",
  "军",
  "杰",
  "娟",
  "涛",
  "超",
  "霞",
  "平",
  "刚",
  "桂英",
  "秀兰",
  "玉兰",
  "志强",
  "海燕",
  "晓东",
  "春梅",
  "国华",
  "红梅",
  "建华",
  "文博",
  "思远",
  "子涵",
  "雨萱",
  "浩然",
  "欣怡",
  "宇航",
  "梓轩",
  "嘉怡",
  "俊杰",
];
const CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "重庆"];
const HOSPITALS = ["人民", "中心", "协和", "中医"];
const DEPARTMENTS = ["心内科", "呼吸科"];
const PHARMACIES = ["康美", "益丰", "老百姓", "大参林", "一心堂", "海王", "同仁堂", "国大", "华润", "万民"];
const DISTRIBUTORS = ["国药控股", "华东医药"];
export const PRODUCTS = 20;
/** Customers per rep: 4 hospitals, 8 departments, 76 doctors, 10 pharmacies, 2 distributors. */
export const PER_REP = 100;
const DOCTORS = 76;

/** The one-line visit a simulated rep sends in the chat bench (a doctor of their own). */
export const doctorName = (r: number, i: number) => {
  const combo = (i * 37 + r) % (SURNAMES.length * GIVEN.length);
  return `${SURNAMES[combo % SURNAMES.length]}${GIVEN[Math.floor(combo / SURNAMES.length)]}`;
};

export const CUSTOMER_COLS = [
  "id",
  "code",
  "kind",
  "name",
  "parent_id",
  "owner_id",
  "city",
  "city_tier",
  "area",
  "phone",
  "email",
  "birthday",
  "stage",
  "preferred_channel",
  "sms_consent",
  "email_consent",
  "beds",
  "daily_outpatients",
  "monthly_sales_cny",
  "our_monthly_sales_cny",
  "title",
  "department",
  "created_at",
  "updated_at",
] as const;
export const PURCHASE_COLS = [
  "id",
  "seller_id",
  "buyer_id",
  "product_id",
  "date",
  "quantity",
  "amount_cny",
  "source",
  "document_no",
  "natural_key",
  "created_at",
  "updated_at",
] as const;
export const VISIT_COLS = [
  "id",
  "rep_id",
  "customer_id",
  "at",
  "date",
  "time_known",
  "method",
  "purposes",
  "rating",
  "status",
  "follow_up_on",
  "created_at",
  "updated_at",
] as const;
export const SEGMENT_COLS = [
  "customer_id",
  "product_id",
  "usage",
  "potential",
  "updated_at",
  "updated_by",
] as const;

const DAY = 86_400_000;
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface RepBook {
  customers: Row[];
  purchases: Row[];
  visits: Row[];
  segments: Row[];
}

/**
 * One rep's customers and history over the year before `endDate`. About 1 in 10 buyers
 * stopped buying months ago (churn episodes to open); 15% of doctors consented to email.
 */
export const repBook = (
  r: number,
  opts: { endDate: string; purchasesPerRep: number; visitsPerRep: number; at: string },
): RepBook => {
  const rnd = prng(r * 7919 + 17);
  const { at } = opts;
  const city = CITIES[r % CITIES.length];
  const owner = repId(r);
  const cust: Row[] = [];
  const base = (i: number, kind: string, name: string, parent: string | null): Row => [
    customerId(r, i),
    customerCode(r, i),
    kind,
    name,
    parent,
    owner,
    city,
    1 + (r % 3),
    `${city}${1 + rnd.int(9)}区`,
    null,
    null,
    null,
    "purchasing",
    null,
    "none",
    "none",
    null,
    null,
    null,
    null,
    null,
    null,
    at,
    at,
  ];
  let i = 0;
  const hospitals: number[] = [];
  for (const h of HOSPITALS) {
    const row = base(i, "hospital", `${city}${h}医院`, null);
    row[16] = 300 + rnd.int(2000);
    row[17] = 500 + rnd.int(8000);
    cust.push(row);
    hospitals.push(i++);
  }
  const departments: number[] = [];
  for (const hosp of hospitals)
    for (const d of DEPARTMENTS) {
      cust.push(base(i, "department", d, customerId(r, hosp)));
      departments.push(i++);
    }
  const doctors: number[] = [];
  for (let d = 0; d < DOCTORS; d++) {
    const dept = departments[d % departments.length];
    const row = base(i, "doctor", doctorName(r, d), customerId(r, dept));
    row[20] = rnd.pick(["主任", "副主任", "主治医师", "住院医师"]);
    row[21] = DEPARTMENTS[d % DEPARTMENTS.length];
    row[11] = `${pad(1 + rnd.int(12), 2)}-${pad(1 + rnd.int(28), 2)}`;
    if (rnd.next() < 0.15) {
      row[10] = `dr${r}.${d}@example.com`;
      row[13] = "email";
      row[15] = "granted";
    }
    cust.push(row);
    doctors.push(i++);
  }
  const buyers: { i: number; kind: string }[] = hospitals.map((h) => ({ i: h, kind: "hospital" }));
  for (const p of PHARMACIES) {
    const row = base(i, "pharmacy", `${p}大药房${city}店`, null);
    row[18] = 50_000 + rnd.int(500_000);
    row[19] = 5_000 + rnd.int(50_000);
    cust.push(row);
    buyers.push({ i: i++, kind: "pharmacy" });
  }
  const distributors: number[] = [];
  for (const d of DISTRIBUTORS) {
    cust.push(base(i, "distributor", `${d}${city}公司`, null));
    buyers.push({ i, kind: "distributor" });
    distributors.push(i++);
  }

  const end = Date.parse(`${opts.endDate}T00:00:00Z`);
  const purchases: Row[] = [];
  const perBuyer = Math.max(1, Math.round(opts.purchasesPerRep / buyers.length));
  let n = 0;
  for (const b of buyers) {
    const churned = rnd.next() < 0.1;
    const span = churned ? 240 : 364;
    const stop = churned ? 120 : 1;
    const count = b.kind === "distributor" ? perBuyer : perBuyer;
    for (let k = 0; k < count; k++) {
      const day = isoDay(end - (stop + Math.floor(((count - k) * span) / count) - rnd.int(2)) * DAY);
      const product = 1 + rnd.int(PRODUCTS);
      const sellerIdx = b.kind === "distributor" || rnd.next() < 0.3 ? null : distributors[rnd.int(2)];
      const qty = 1 + rnd.int(50);
      const doc = `D${pad(r, 5)}${pad(n, 5)}`;
      const sellerCode = sellerIdx === null ? "" : customerCode(r, sellerIdx);
      purchases.push([
        `pu-${pad(r, 5)}-${pad(n, 5)}`,
        sellerIdx === null ? null : customerId(r, sellerIdx),
        customerId(r, b.i),
        productId(product),
        day,
        qty,
        qty * 25,
        sellerIdx === null ? "erp" : "flow",
        doc,
        `${sellerCode}|${customerCode(r, b.i)}|${productCode(product)}|${day}|${qty}|${doc}`,
        at,
        at,
      ]);
      n++;
    }
  }

  const visits: Row[] = [];
  const visitable = [...doctors, ...doctors, ...buyers.map((b) => b.i)];
  for (let v = 0; v < opts.visitsPerRep; v++) {
    const day = isoDay(end - (1 + rnd.int(364)) * DAY);
    const followUp = rnd.next() < 0.05 ? isoDay(end - rnd.int(20) * DAY) : null;
    visits.push([
      `vi-${pad(r, 5)}-${pad(v, 5)}`,
      owner,
      customerId(r, rnd.pick(visitable)),
      `${day}T02:00:00.000Z`,
      day,
      1,
      rnd.pick(["in_person", "in_person", "phone", "wechat"]),
      '["detailing"]',
      1 + rnd.int(7),
      "logged",
      followUp,
      at,
      at,
    ]);
  }
  const segments: Row[] = doctors.map((d) => [
    customerId(r, d),
    productId(1 + (d % PRODUCTS)),
    rnd.int(5),
    rnd.int(5),
    at,
    owner,
  ]);
  return { customers: cust, purchases, visits, segments };
};
