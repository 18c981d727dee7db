import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";

/**
 * WAL checkpoints on a worker thread, off the event loop. SQLite checkpoints inside the
 * COMMIT that takes the WAL past `wal_autocheckpoint` pages: at the default 1,000 pages that
 * COMMIT copies 4 MB into the database file and syncs it twice, 25–35 ms on the bench's
 * 1.2 GB file every few dozen chat turns: most of what a COMMIT cost on average (0.2 ms
 * against a 0.05 ms median), and every chat reply queued behind it waited. Here the app's
 * connections checkpoint themselves only past `SAFETY_NET_PAGES` (should this thread fall
 * behind or fail), and once the WAL has grown past `START_BYTES` a worker with its own
 * connection runs a PASSIVE checkpoint (it waits for no reader or writer) every `EVERY_MS`.
 * A small database that never grows its WAL that far (tests, a quiet install) starts no thread.
 */
export const SAFETY_NET_PAGES = 10_000;
const START_BYTES = 4 * 1024 * 1024;
const WATCH_MS = 250;
const EVERY_MS = 100;

/**
 * The thread is terminated when the process exits, and a thread terminated inside a call
 * into the libSQL binding aborts the whole process (the binding asserts that no exception
 * is pending when SQLite returns). So the thread raises BUSY around each native call and
 * starts none once EXITING is set, and the process's `exit` waits for BUSY to drop.
 */
const BUSY = 0;
const EXITING = 1;
const EXIT_WAIT_MS = 10_000;

/** CommonJS run by the worker: `driver` is the libSQL binding the client itself loads. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const flags = new Int32Array(workerData.flags);
const native = (fn) => {
  Atomics.store(flags, ${BUSY}, 1);
  try {
    if (Atomics.load(flags, ${EXITING}) === 0) fn();
  } catch {
    // Busy (another process checkpointing, a schema change): the next tick tries again.
  } finally {
    Atomics.store(flags, ${BUSY}, 0);
    Atomics.notify(flags, ${BUSY});
  }
};
let db;
let checkpoint;
native(() => {
  const Database = require(workerData.driver);
  db = new Database(workerData.file);
  db.prepare("PRAGMA busy_timeout = 0").run();
  checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
});
const timer = setInterval(() => native(() => checkpoint?.all()), workerData.everyMs);
parentPort.once("message", () => {
  clearInterval(timer);
  native(() => db?.close());
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
    const flags = new Int32Array(new SharedArrayBuffer(8));
    flags[BUSY] = 1; // until the thread has loaded the binding and opened its connection
    const onProcessExit = () => {
      Atomics.store(flags, EXITING, 1);
      const until = Date.now() + EXIT_WAIT_MS;
      while (Atomics.load(flags, BUSY) === 1 && Date.now() < until) Atomics.wait(flags, BUSY, 1, 50);
    };
    process.on("exit", onProcessExit);
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      // Plain CommonJS: none of the parent's flags (a TypeScript loader, a profiler) needed.
      execArgv: [],
      workerData: { driver, file, everyMs: EVERY_MS, flags: flags.buffer },
    });
    w.unref();
    // A thread that cannot run leaves checkpoints to the connections' safety net.
    w.on("error", () => {});
    w.once("exit", () => {
      process.off("exit", onProcessExit);
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
