/** Child processes of the bench: TypeScript entry points run with tsx's loader. */
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const EXEC_ARGV = ["--import", "tsx", "--expose-gc"];

/** Runs `bench/<entry>` with one JSON argument and parses the last line it prints. */
export const runChild = <T>(entry: string, input: unknown, timeoutMs = 120_000): Promise<T> =>
  new Promise((resolve, reject) => {
    const child = fork(join(HERE, entry), [JSON.stringify(input)], {
      execArgv: EXEC_ARGV,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    child.stderr?.on("data", (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("{")) return resolve(JSON.parse(last) as T);
      reject(new Error(`${entry} exited ${code ?? signal}: ${err.trim().split("\n").slice(-5).join(" | ")}`));
    });
  });

export interface Server {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts `bench/<entry>` as a server; it sends `{ port }` over IPC once listening. */
export const startServer = (entry: string, input: unknown, extraExecArgv: string[] = []): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = fork(join(HERE, entry), [JSON.stringify(input)], {
      execArgv: [...EXEC_ARGV, ...extraExecArgv],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let err = "";
    child.stderr?.on("data", (d) => {
      err += d;
    });
    const onExit = (code: number | null) => reject(new Error(`${entry} exited ${code}: ${err.trim()}`));
    child.once("exit", onExit);
    child.once("message", (m) => {
      child.off("exit", onExit);
      const { port } = m as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        child,
        stop: () =>
          new Promise((r) => {
            if (child.exitCode !== null) return r();
            child.once("exit", () => r());
            child.kill("SIGTERM");
          }),
      });
    });
  });
