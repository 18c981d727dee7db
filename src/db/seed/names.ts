import { pinyin } from "pinyin-pro";
import type { Rng } from "./random";

const surnames = [
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵万钱严武戴孔汤",
];
const givenChars = [
  ..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红建文辉力鹏宇浩凯晨欣怡婷雪琳博思佳晓志海亮斌倩慧颖嘉俊峰宁春梅兰云飞立新国庆永德",
];

/** A plausible Chinese personal name: one-character surname, one or two given characters. */
export const chineseName = (rng: Rng): string => {
  const given = rng.chance(0.6) ? rng.pick(givenChars) + rng.pick(givenChars) : rng.pick(givenChars);
  return rng.pick(surnames) + given;
};

/** Distinct names for a batch (a hospital's doctors), drawn until unique. */
export const distinctNames = (rng: Rng, n: number, taken: Set<string>): string[] => {
  const out: string[] = [];
  while (out.length < n) {
    const name = chineseName(rng);
    if (taken.has(name)) continue;
    taken.add(name);
    out.push(name);
  }
  return out;
};

/** "zhang.wei" from 张伟 (surname reading for 曾, 单…), for example.com addresses. */
export const romanize = (name: string): string => {
  if (/^[\x20-\x7e]+$/.test(name)) return name.toLowerCase().replace(/\s+/g, ".");
  const [family, ...given] = pinyin(name, { toneType: "none", type: "array", surname: "head" });
  return `${family}.${given.join("")}`.replace(/ü/g, "v");
};

/** A fake but plausible mainland mobile number (13x/15x/18x + 8 digits). */
export const mobile = (rng: Rng): string =>
  `${rng.pick(["138", "139", "136", "158", "186", "137", "150", "189"])}${String(rng.int(0, 99_999_999)).padStart(8, "0")}`;

/** A birthday as a rep learns it: sometimes the year, sometimes only the day (MM-DD). */
export const birthday = (rng: Rng): string | null => {
  if (rng.chance(0.35)) return null;
  const md = `${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
  return rng.chance(0.5) ? `${rng.int(1958, 1992)}-${md}` : md;
};
