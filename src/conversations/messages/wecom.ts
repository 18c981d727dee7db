import type { Messages } from "./types";

/** What only the WeCom adapter says: paging hints and what plain text cannot carry. */
export const wecomMessages = {
  "wecom.more_hint": ["还有 {left} 项，回复「更多」查看。", "{left} more — reply “more” to see them."],
  "wecom.no_more": ["已经是最后一页了。", "That was the last page."],
  "wecom.unsupported": [
    "我只能读文字和图片（收据可发图片或 PDF）。",
    "I can only read text and images (a receipt can be an image or a PDF).",
  ],
  "wecom.file_too_large": ["文件太大（最多 {mb} MB）。", "That file is too large (max {mb} MB)."],
  "wecom.file_failed": ["文件没能接收，请再发一次。", "I couldn't receive that file; please send it again."],
} as const satisfies Messages;
