import type { PlatformFactory } from "./bot/module";
import { type Config, ConfigError, loadConfigFromEnv } from "./config";

/**
 * The chat platforms whose credentials are set. Their SDKs (Bolt, Wechaty) take seconds to
 * load, so a platform that is off is never imported.
 */
const platformsFor = async (config: Config): Promise<PlatformFactory[]> => [
  ...(config.slack.botToken ? [(await import("./bot/slack")).createSlackPlatform] : []),
  ...(config.wechaty.puppet ? [(await import("./bot/wecom")).createWecomPlatform] : []),
];

/** The composition root: config → db → services → platforms → scheduler → http. */
const main = async () => {
  let config: Config;
  try {
    config = loadConfigFromEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  // Imported after the configuration is known good: a bad variable fails in a blink.
  const [
    { serve },
    { ensureAdminToken, resolveAppSecret },
    { compose },
    { openDatabase },
    { createLogger },
    { startCron },
  ] = await Promise.all([
    import("@hono/node-server"),
    import("./bootstrap"),
    import("./compose"),
    import("./db/client"),
    import("./lib/log"),
    import("./scheduler/cron"),
  ]);
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  const appSecret = resolveAppSecret(config);
  const generatedToken = await ensureAdminToken(database, config);
  const { app, outbox, modules, jobs, close } = compose(config, database, log, {
    appSecret,
    platforms: await platformsFor(config),
  });
  outbox.start();

  const server = serve({ fetch: app.fetch, port: config.port, hostname: "0.0.0.0" });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });

  // A platform that cannot start (Slack unreachable, puppet down) is reported, never fatal.
  for (const m of modules)
    await m.start().catch((err) => log.error({ err, platform: m.name }, "platform failed to start"));

  const cron = config.scheduler ? startCron(jobs, config.timeZone, log) : null;

  const out = (line = "") => process.stdout.write(`${line}\n`);
  out(`repmate is running at ${config.publicUrl} (admin API under /api, health at /api/health)`);
  out(`database: ${config.databaseUrl.startsWith("file:") ? config.databaseUrl : "remote libSQL"}`);
  if (generatedToken) {
    out("");
    out("An admin token was generated for this database. It is shown only this once:");
    out(`  ${generatedToken}`);
    out('Use it as "Authorization: Bearer <token>". Lost it? Set ADMIN_TOKEN and restart.');
    out("");
  }
  const state = (name: string) => modules.find((m) => m.name === name)?.status();
  out(`slack: ${state("slack") ?? "off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)"}`);
  out(`wecom: ${state("wecom") ?? "off (set WECHATY_PUPPET)"}`);
  out(`scheduler: ${cron ? `on (${config.timeZone})` : "off (SCHEDULER=off)"}`);
  out("No chat platform? Try the bot in this terminal: npm run chat -- --as <user id or name>");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    server.close();
    await cron?.stop();
    for (const m of modules) await m.stop().catch(() => {});
    await outbox.stop();
    close();
    database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
};

main().catch((e) => {
  process.stderr.write(`repmate failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
