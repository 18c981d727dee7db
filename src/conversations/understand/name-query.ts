/** Splitting a customer query into words and titles: 王主任 → 王 + 主任, Dr. Wang → wang + doctor. */

export interface QueryToken {
  /** The name part (surname, hospital word, pinyin…), lower-case; may be empty (a title alone). */
  text: string;
  title?: string;
}

const ZH_TITLE =
  /^(.*?)(副主任医师|主任医师|副主任|主任|副院长|院长|副教授|教授|主治医师|主治|医师|医生|大夫|老师|药剂师|药师|科长|经理|老板|店长|专家)$/;

const EN_TITLES: Record<string, string> = {
  dr: "doctor",
  doctor: "doctor",
  doc: "doctor",
  prof: "教授",
  professor: "教授",
  director: "主任",
  chief: "主任",
  president: "院长",
  dean: "院长",
  pharmacist: "药师",
  manager: "经理",
  owner: "老板",
};

const STOP = new Set([
  "at",
  "of",
  "from",
  "in",
  "the",
  "with",
  "to",
  "mr",
  "mrs",
  "ms",
  "miss",
  "的",
  "在",
  "和",
  "@",
]);

export const tokenizeQuery = (query: string): QueryToken[] =>
  query
    .toLowerCase()
    .replace(/[.,，、;；:：!?！？()（）"“”']/g, " ")
    .split(/\s+/)
    .filter((w) => w.length > 0 && !STOP.has(w))
    .map((w): QueryToken => {
      if (EN_TITLES[w]) return { text: "", title: EN_TITLES[w] };
      const zh = ZH_TITLE.exec(w);
      return zh ? { text: zh[1], title: zh[2] } : { text: w };
    });
