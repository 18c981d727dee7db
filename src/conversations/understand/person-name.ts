/**
 * Whether a word left over in a line reads as a person's name (张三, 张主任, Dr., Smith).
 * Used when the rest of the line named only a hospital: `拜访 协和 张三` means a doctor
 * there the rep has no record of, not a visit to the hospital itself.
 */
import { tokenizeQuery } from "./name-query";

/**
 * The common surnames: enough to tell 张三 from a stray word such as 聊得不错 or 介绍. Those that
 * mostly start everyday words (和, 时, 安, 文献, 关于, 康复…) are left out.
 */
const SURNAMES = new Set(
  [
    ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈",
    ..."姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾郝龚邵万钱严覃武戴",
    ..."莫孔汤施牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳祝符舒阮柯梅",
    ..."童凌毕季裴霍涂苗谷盛翁冉骆辛靳蒙鲍喻祁蒲房滕屈饶牟艾尤阳穆卓吉缪项芦麦褚娄窦戚岑党宫卜晏席卫柏宗瞿佟臧闵苟邬卞姬仇栾隋刁巫寇桑郎甄丛仲虞敖巩佘迟邝",
  ].concat(["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "夏侯", "尉迟", "公孙", "长孙"]),
);

const CJK_NAME = /^[\u4e00-\u9fff]{2,4}$/;

const surnameFirst = (name: string) =>
  (name.length >= 3 && SURNAMES.has(name.slice(0, 2))) || (SURNAMES.has(name[0]) && name.length <= 3);

/** One whitespace-separated word: a title (主任, Dr.), a surname-led 2–3 character name, or a capitalised Latin word. */
export const looksLikePersonWord = (word: string): boolean => {
  if (/^[A-Z][a-z'-]+\.?$/.test(word)) return true;
  const [token] = tokenizeQuery(word);
  if (!token) return false;
  if (token.title) return true;
  return CJK_NAME.test(token.text) && surnameFirst(token.text);
};

/** The name-like words of a leftover text, joined, when one of them carries a name (not a title alone). */
export const strayPersonName = (words: string[]): string | undefined => {
  const named = words.filter(looksLikePersonWord);
  const hasName = named.some((w) => tokenizeQuery(w).some((t) => t.text.length > 0));
  return hasName ? named.join(" ") : undefined;
};
