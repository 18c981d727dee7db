export type Locale = "zh-CN" | "en";

/** Each sentence in both languages, side by side, so neither can be forgotten: [zh-CN, en]. */
export type Messages = Record<string, readonly [zh: string, en: string]>;
