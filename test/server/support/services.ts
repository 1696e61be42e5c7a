import { spawn, type ChildProcess } from "node:child_process";
import type { LogLine } from "./api-process.js";

/** A service started from its TypeScript entry point in a child process (API or worker), with Redis allowed. */
export interface Service {
  child: ChildProcess;
  /** The API's URL (empty for a worker). */
  url: string;
  logs: LogLine[];
  /** SIGTERM (or `signal`), resolving with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `entry` (`src/main.ts` or `ingest/worker.ts`) with `env` on top of this process's environment and resolves
 * when a stdout line matches `ready` (its first group, if any, is the URL).
 */
export function startService(entry: string, env: Record<string, string>, ready: RegExp, timeoutMs = 60_000): Promise<Service> {
  const full: NodeJS.ProcessEnv = { ...process.env, PORT: "0", LOG_LEVEL: "info", INGEST_WORKERS: "0", ...env };
  // Only what the test names: a developer's own keys or Redis in the environment must not change the service under test.
  if (!("API_KEYS" in env)) delete full.API_KEYS;
  if (!("REDIS_URL" in env)) delete full.REDIS_URL;
  const child = spawn(process.execPath, ["--import", "tsx", entry], { env: full, stdio: ["ignore", "pipe", "pipe"] });
  const logs: LogLine[] = [];
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffered = "";
    let started = false;
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    void exited.then((code) => { if (!started) reject(new Error(`${entry} exited (${code}) before it was ready: ${stderr}`)); });
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      buffered += text;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("{")) { try { logs.push(JSON.parse(line) as LogLine); } catch { /* a partial line */ } }
        const match = ready.exec(line);
        if (match && !started) {
          started = true;
          clearTimeout(timer);
          resolve({
            child, url: match[1] ?? "", logs,
            stop: async (signal = "SIGTERM") => {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
              return exited;
            },
          });
        }
      }
    });
  });
}

/** `npm start`'s entry with one serving process. */
export const startApiService = (env: Record<string, string>): Promise<Service> =>
  startService("src/main.ts", { API_PROCESSES: "1", ...env }, /groundline listening on (http:\/\/\S+)/);

/** `npm run worker`'s entry. */
export const startWorkerService = (env: Record<string, string>): Promise<Service> =>
  startService("ingest/worker.ts", env, /"worker started"/);
