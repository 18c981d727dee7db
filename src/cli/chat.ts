/**
 * `npm run chat -- --as <user id or name>`: the bot in a terminal, through the same
 * conversation engine the platforms use. Choices are numbered; type the number or the words.
 */
import { createInterface } from "node:readline";
import { eq, or } from "drizzle-orm";
import type { Reply } from "../bot/platform";
import { compose } from "../compose";
import { loadConfigFromEnv } from "../config";
import { openDatabase } from "../db/client";
import { users } from "../db/schema";
import { createLogger } from "../lib/log";
import { takeConsoleMessages } from "../notify/channels/console";
import { renderChat } from "../notify/templates";

const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};

const print = (r: Reply) => {
  const lines = [r.text];
  for (const s of r.summary ?? []) lines.push(`  ${s.label}：${s.value}`);
  for (const [i, c] of (r.choices ?? []).entries()) lines.push(`  ${i + 1}) ${c.label}`);
  process.stdout.write(`${lines.join("\n")}\n`);
};

const main = async () => {
  const config = loadConfigFromEnv();
  const who = argValue("--as");
  if (!who) {
    process.stderr.write("usage: npm run chat -- --as <user id or name>\n");
    process.exit(2);
  }
  const database = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  const user = await database.db
    .select()
    .from(users)
    .where(or(eq(users.id, who), eq(users.name, who)))
    .get();
  if (!user) {
    process.stderr.write(`no user "${who}" (try an id or exact name from GET /api/users or npm run seed)\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const { engine, outbox } = compose(config, database, log);
  outbox.start();
  process.stdout.write(`Chatting as ${user.name} (${user.role}). Type "help" / "帮助"; Ctrl-D to leave.\n> `);
  let n = 0;
  let lastChoices: Reply["choices"] = [];
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    const text = line.trim();
    if (text) {
      // A bare number picks from the last choices shown, like tapping a button.
      const pick = /^\d+$/.test(text) ? lastChoices?.[Number(text) - 1] : undefined;
      const result = await engine.handle({
        platform: "console",
        eventId: `console-${process.pid}-${Date.now()}-${++n}`,
        userId: user.id,
        ...(pick ? { action: { id: pick.id } } : { text }),
      });
      for (const r of result.replies) print(r);
      lastChoices = result.replies.at(-1)?.choices ?? [];
      await outbox.drain();
      for (const row of await takeConsoleMessages(database, user.id))
        print(renderChat(row.template, row.locale, row.data));
    }
    process.stdout.write("> ");
  }
  await outbox.stop();
  database.close();
  process.stdout.write("\n");
};

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
