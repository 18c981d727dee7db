import type { Logger } from "pino";
import type { Message, Wechaty } from "wechaty";

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface RunnerOptions {
  bot: Wechaty;
  log: Logger;
  onMessage: (m: Message) => Promise<void>;
  backoff?: Backoff;
  /** bot.start()/stop() against an unreachable puppet service may never settle. */
  timeoutMs?: number;
}

type State = "off" | "starting" | "on" | "down";

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });

/**
 * Keeps one Wechaty bot running: an 'error' listener always (without one Wechaty throws),
 * a failure or a logout reported and followed by a restart after 1 s, 2 s, 4 s … 60 s,
 * the delay reset by the next login. Nothing here can take the HTTP API down.
 */
export const createBotRunner = (o: RunnerOptions) => {
  const { bot, log } = o;
  const backoff = o.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const timeoutMs = o.timeoutMs ?? 30_000;
  let state: State = "off";
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  // Our own stop() makes Wechaty emit 'logout': not a failure to react to.
  let cycling = false;
  // A function, not `state === "off"`: the state changes while we await.
  const stopped = () => state === "off";

  const scheduleRestart = () => {
    if (state === "off" || timer) return;
    const delay = Math.min(backoff.initialMs * 2 ** attempt, backoff.maxMs);
    attempt++;
    log.warn({ platform: "wecom", delayMs: delay, attempt }, "wecom bot restarting");
    timer = setTimeout(() => void restart(), delay);
  };

  const fail = (err: unknown, what: string) => {
    log.error({ err, platform: "wecom" }, what);
    if (state === "off" || cycling) return;
    state = "down";
    scheduleRestart();
  };

  const launch = async () => {
    state = "starting";
    try {
      await withTimeout(bot.start(), timeoutMs, "wecom start");
    } catch (err) {
      fail(err, "wecom bot failed to start");
    }
  };

  const restart = async () => {
    timer = null;
    if (state === "off") return;
    cycling = true;
    await withTimeout(bot.stop(), timeoutMs, "wecom stop").catch((err: unknown) =>
      log.warn({ err, platform: "wecom" }, "wecom bot did not stop cleanly"),
    );
    cycling = false;
    if (!stopped()) await launch();
  };

  bot.on("error", (err: unknown) => fail(err, "wecom puppet error"));
  bot.on("logout", (user: { id: string }) => {
    if (state === "off" || cycling) return;
    fail(new Error(`logged out: ${user.id}`), "wecom bot logged out");
  });
  bot.on("login", (user: { id: string }) => {
    if (state === "off") return;
    state = "on";
    attempt = 0;
    log.info({ platform: "wecom", self: user.id }, "wecom bot logged in");
  });
  // A puppet that needs a scan (first login of a WeCom account) says so in the log.
  bot.on("scan", (qrcode: string, status: number) =>
    log.warn({ platform: "wecom", status, qrcode }, "wecom puppet waits for a QR code scan"),
  );
  bot.on("message", (m: Message) => {
    o.onMessage(m).catch((err: unknown) => log.error({ err, platform: "wecom" }, "wecom message failed"));
  });

  return {
    /** Resolves once Wechaty started (or gave up for now and a retry is scheduled). */
    start: async () => {
      if (state !== "off") return;
      attempt = 0;
      await launch();
    },
    stop: async () => {
      state = "off";
      if (timer) clearTimeout(timer);
      timer = null;
      await withTimeout(bot.stop(), timeoutMs, "wecom stop").catch((err: unknown) =>
        log.warn({ err, platform: "wecom" }, "wecom bot did not stop cleanly"),
      );
    },
    status: (): "on" | "off" | "error" => (state === "on" ? "on" : state === "off" ? "off" : "error"),
    loggedIn: () => state === "on" && bot.isLoggedIn,
  };
};

export type BotRunner = ReturnType<typeof createBotRunner>;
