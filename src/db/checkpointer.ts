import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";

/**
 * WAL checkpoints on a worker thread, off the event loop. SQLite checkpoints inside the
 * COMMIT that takes the WAL past `wal_autocheckpoint` pages: at the default 1,000 pages that
 * COMMIT copies 4 MB into the database file and syncs it twice, 25–35 ms on the bench's
 * 1.2 GB file every few dozen chat turns — most of what a COMMIT cost on average (0.2 ms of
 * a 0.05 ms median) and every chat reply behind it waited. Here the app's connections only
 * checkpoint themselves past `SAFETY_NET_PAGES` (should this thread fall behind or fail),
 * and once the WAL has grown past `START_BYTES` a worker with its own connection runs a
 * PASSIVE checkpoint (it waits for no reader or writer) every `EVERY_MS`. A small database
 * that never grows its WAL that far (tests, a quiet install) starts no thread.
 */
export const SAFETY_NET_PAGES = 10_000;
const START_BYTES = 4 * 1024 * 1024;
const WATCH_MS = 250;
const EVERY_MS = 100;

/** CommonJS run by the worker: `driver` is the libSQL binding the client itself loads. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.prepare("PRAGMA busy_timeout = 0").run();
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
const timer = setInterval(() => {
  try {
    checkpoint.all();
  } catch {
    // Busy (another process checkpointing, a schema change): the next tick tries again.
  }
}, workerData.everyMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Whether the WAL has grown enough for the thread to be running. */
  running(): boolean;
  /** Stops watching; resolves once the thread (if any) has closed its connection and exited. */
  stop(): Promise<void>;
}

/** Watches `file`'s WAL and checkpoints it from a worker once it grows (see above). */
export const startCheckpointer = (file: string, driver: string): Checkpointer => {
  let worker: Worker | undefined;
  const watch = setInterval(() => {
    let size = 0;
    try {
      size = statSync(`${file}-wal`).size;
    } catch {
      return; // No WAL yet.
    }
    if (size < START_BYTES) return;
    clearInterval(watch);
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, everyMs: EVERY_MS } });
    w.unref();
    // A thread that cannot run leaves checkpoints to the connections' safety net.
    w.on("error", () => {});
    w.once("exit", () => {
      if (worker === w) worker = undefined;
    });
    worker = w;
  }, WATCH_MS);
  watch.unref();
  return {
    running: () => worker !== undefined,
    stop: () => {
      clearInterval(watch);
      const w = worker;
      worker = undefined;
      if (!w) return Promise.resolve();
      return new Promise<void>((done) => {
        w.once("exit", () => done());
        w.postMessage("stop");
      });
    },
  };
};
