import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Result of a benchmark child: the JSON object it printed last, or why it failed, and its wall time. */
export interface ChildResult<T> {
  ok: boolean;
  value?: T;
  /** The last JSON object printed before a failure (progress the child reported). */
  partial?: Record<string, unknown>;
  error?: string;
  wallMs: number;
  /** Time from spawn to the child's first "ready" line, when it printed one. */
  readyWallMs?: number;
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  /** Extra node flags (e.g. --max-old-space-size). */
  nodeArgs?: string[];
  timeoutMs?: number;
  /** Called with each stdout line (e.g. to learn a server's port). */
  onLine?: (line: string) => void;
}

/**
 * Runs `scripts/bench/<script>` in a fresh Node process (through tsx, as `npm run` would) so that cold starts,
 * memory and crashes are measured in isolation. The child prints one JSON object as its last stdout line.
 */
export function runChild<T>(script: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildResult<T>> {
  const t0 = performance.now();
  const child = spawnChild(script, args, options);
  let stdout = "";
  let stderr = "";
  let readyWallMs: number | undefined;
  let buffered = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    buffered += d;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line === "ready" && readyWallMs === undefined) readyWallMs = performance.now() - t0;
      options.onLine?.(line);
    }
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr = (stderr + d).slice(-4000); });
  const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const wallMs = performance.now() - t0;
      const last = stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      const base = { wallMs, ...(readyWallMs !== undefined ? { readyWallMs } : {}) };
      if (code === 0 && last) {
        try {
          resolve({ ok: true, value: JSON.parse(last) as T, ...base });
          return;
        } catch { /* fall through: report as a failure */ }
      }
      const reason = signal ? `killed by ${signal}` : `exit code ${code}`;
      let partial: Record<string, unknown> | undefined;
      try { partial = last ? (JSON.parse(last) as Record<string, unknown>) : undefined; } catch { partial = undefined; }
      resolve({ ok: false, error: `${reason}: ${lastLines(stderr)}`, ...(partial ? { partial } : {}), ...base });
    });
  });
}

/** Starts `scripts/bench/<script>` under tsx from the repository root, stdout and stderr piped. */
export function spawnChild(script: string, args: readonly string[], options: Pick<ChildOptions, "env" | "nodeArgs"> = {}): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", join(HERE, script), ...args], {
    cwd: join(HERE, "..", ".."),
    env: { ...process.env, LOG_LEVEL: "silent", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function lastLines(text: string): string {
  return text.trim().split("\n").filter((l) => !l.includes("npm warn")).slice(-3).join(" | ").slice(0, 600);
}

/** Prints the child's result as its last stdout line (the contract `runChild` reads). */
export function reportToParent(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
