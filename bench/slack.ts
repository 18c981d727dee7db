/**
 * Chat turns over the Slack HTTP path (signed `message.im` → reply at a Web API stand-in)
 * against a bare Bolt echo app. The adapter (src/bot/slack) landed while this harness was
 * being written; until this section drives it, the row says so rather than vanish.
 */
import { type BenchRow, notMeasured } from "./report";

export const slackRows = async (_o: {
  quick: boolean;
  runs: number;
  file: string;
  log: (s: string) => void;
}): Promise<BenchRow[]> => [
  notMeasured(
    "slack",
    "Slack message.im → chat.postMessage max sustained rate",
    "≥ 0.5× bare Bolt echo",
    "Slack adapter landed (ee7fb3c) after this harness was built; the Slack section is not written yet",
  ),
];
