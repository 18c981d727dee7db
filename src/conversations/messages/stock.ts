import type { Messages } from "./types";

export const stockMessages = {
  "stock.store": ["门店", "Store"],
  "stock.lines": ["库存", "Counts"],
  "stock.date": ["日期", "Date"],
  "stock.ask_store": ["哪家门店/商业公司的库存？", "Which store or distributor did you count?"],
  "stock.pick_store": ["找到多个「{query}」，是哪一家？", "Several stores match “{query}”. Which one?"],
  "stock.no_store": ["你负责的门店里没有「{query}」。", "None of your stores matches “{query}”."],
  "stock.ask_lines": [
    "请输入产品和数量，如「感冒灵 24盒, 维C 10」。",
    "Products and counts, e.g. “Ganmaoling 24 boxes, Vitamin C 10”.",
  ],
  "stock.none_read": ["这些没看懂：{errors}，都没有记下。", "I couldn't read: {errors} — nothing was noted."],
  "stock.left_out": [
    "未记入：{errors}。要补上请再发，如「维C 10」。",
    "Not recorded: {errors}. Send them again to add them, e.g. “Vitamin C 10”.",
  ],
  "stock.no_lines": [
    "没有识别到产品和数量，请按「产品 数量」输入。",
    "I found no product with a count; please write “product count”.",
  ],
  "stock.unknown_product": ["「{fragment}」不是已知产品", "“{fragment}” is not a known product"],
  "stock.no_quantity": ["「{fragment}」缺少数量", "“{fragment}” has no count"],
  "stock.ambiguous_product": ["「{fragment}」对应多个产品", "“{fragment}” matches several products"],
  "stock.negative_quantity": ["「{fragment}」的数量不能是负数", "“{fragment}”: a count cannot be negative"],
  "stock.ask_date": ["哪天盘点的？", "Which day was the count?"],
  "stock.bad_date": [
    "没看懂日期「{text}」，可以说：今天、昨天、11月20日。",
    "I couldn't read the date “{text}”. Try: today, yesterday, Nov 20.",
  ],
  "stock.future_date": [
    "盘点日期不能晚于今天（{date} 还没到）。",
    "A count can't be dated in the future ({date} hasn't come yet).",
  ],
  "stock.confirm_title": ["请确认库存上报：", "Please confirm the stock report:"],
  "stock.saved": [
    "✅ 已上报 {store} 的库存（{count} 个产品）。",
    "✅ Stock for {store} reported ({count} products).",
  ],
  "stock.finding_discrepancy": [
    "⚠️ {product}：上报 {reported}，理论库存 {expected}，差异较大，请核实。",
    "⚠️ {product}: reported {reported}, theoretical {expected} — please check the difference.",
  ],
  "stock.finding_stock_out": ["🔴 {product} 断货了。", "🔴 {product} is out of stock."],
  "stock.sell_through": [
    "{product} 上次盘点以来售出约 {units}。",
    "{product}: about {units} sold since the last count.",
  ],
  "stock.store_not_found": ["门店不存在。", "That store does not exist."],
  "stock.not_a_store": [
    "只能为药店或商业公司上报库存。",
    "Stock is reported for pharmacies and distributors only.",
  ],
  "month.locked": ["{month} 已月结，不能再修改。", "{month} is closed; it can no longer be changed."],
  "stock.help": [
    "一次可以报多个产品：「感冒灵 24盒, 维C 10」。",
    "Several products at once: “Ganmaoling 24, Vitamin C 10”.",
  ],
} as const satisfies Messages;
