import type { CustomerCandidate, ProductCandidate } from "../../../src/conversations/understand";

/** Sunday 2026-11-22, 10:00 in Shanghai. */
export const SUNDAY = new Date("2026-11-22T02:00:00Z");
export const TZ = "Asia/Shanghai";

const PUMCH = "北京协和医院";
const PUMCH_EN = ["Peking Union Medical College Hospital", "PUMCH"];

export const customers: CustomerCandidate[] = [
  { id: "h-pumch", name: PUMCH, kind: "hospital", city: "北京", aliases: PUMCH_EN },
  { id: "h-301", name: "解放军总医院", kind: "hospital", city: "北京", aliases: ["301 Hospital"] },
  {
    id: "d-wjg",
    name: "王建国",
    kind: "doctor",
    title: "主任医师",
    parentName: `${PUMCH} 心内科`,
    parentAliases: PUMCH_EN,
  },
  {
    id: "d-wl",
    name: "王丽",
    kind: "doctor",
    title: "主治医师",
    parentName: `${PUMCH} 呼吸科`,
    parentAliases: PUMCH_EN,
  },
  { id: "d-wq", name: "王强", kind: "doctor", title: "副主任医师", parentName: "解放军总医院 骨科" },
  {
    id: "d-lm",
    name: "李明",
    kind: "doctor",
    title: "教授",
    parentName: `${PUMCH} 内分泌科`,
    parentAliases: PUMCH_EN,
  },
  { id: "d-zhang", name: "张伟", kind: "doctor", title: "主任医师", parentName: "解放军总医院 心内科" },
  { id: "p-dyf", name: "康美大药房", kind: "pharmacy", city: "广州", aliases: ["Kangmei Pharmacy"] },
  { id: "p-yxt", name: "一心堂药店", kind: "pharmacy", city: "昆明", aliases: ["Yixintang"] },
  { id: "x-jzt", name: "九州通医药", kind: "distributor", city: "武汉", aliases: ["Jointown"] },
  {
    id: "d-smith",
    name: "John Smith",
    kind: "doctor",
    title: "Director",
    parentName: "Shanghai United Family",
  },
];

export const products: ProductCandidate[] = [
  { id: "gml", name: "感冒灵颗粒", nameEn: "Ganmaoling", aliases: ["感冒灵"] },
  { id: "vc", name: "维生素C片", nameEn: "Vitamin C", aliases: ["维C"] },
  { id: "amx", name: "阿莫西林胶囊", nameEn: "Amoxicillin", aliases: ["阿莫西林"] },
  { id: "amxk", name: "阿莫西林克拉维酸钾片", nameEn: "Amoxiclav", aliases: [] },
  { id: "b12", name: "维生素B12片", nameEn: "Vitamin B12", aliases: [] },
];
