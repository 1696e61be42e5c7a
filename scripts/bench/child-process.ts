import { execFileSync, spawn, type ChildProcessByStdio } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import { join, relative } from "node:path";
import { packageRoot } from "../../src/package-root.js";

// The compiled children import this module too (reportToParent): nothing here runs at import time.
let built = false;

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
 * Runs `scripts/bench/<script>` compiled, in a fresh Node process (plain `node`, no tsx, as `npm start` runs the
 * server) so that cold starts, memory and crashes are measured in isolation and as users run the code. The child
 * prints one JSON object as its last stdout line.
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

/** Starts the compiled `scripts/bench/<script>` with plain node from the repository root, stdout and stderr piped. */
export function spawnChild(script: string, args: readonly string[], options: Pick<ChildOptions, "env" | "nodeArgs"> = {}): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), compiledChild(script), ...args], {
    cwd: packageRoot(),
    env: { ...process.env, LOG_LEVEL: "silent", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * `dist/scripts/bench/<script>.js`, brought up to date first (once per process: `tsc -b` on the build config, about
 * half a second when nothing changed), so a benchmark never measures a stale build of edited sources.
 */
export function compiledChild(script: string): string {
  const root = packageRoot();
  if (!built) {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    try {
      execFileSync(process.execPath, [tsc, "-b", "tsconfig.build.json"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    } catch (err) {
      const out = err as { stdout?: string; stderr?: string };
      throw new Error(`npm run build failed, the benchmark children could not be compiled:\n${out.stdout ?? ""}${out.stderr ?? ""}`);
    }
    built = true;
  }
  // tsconfig.build.json compiles scripts/bench/*-child.ts (and what they import) into dist/, keeping the layout.
  const file = join(root, "dist", "scripts", "bench", script.replace(/\.ts$/, ".js"));
  if (!existsSync(file)) throw new Error(`${relative(root, file)} is missing after the build: is ${script} a *-child.ts in tsconfig.build.json?`);
  return file;
}

function lastLines(text: string): string {
  return text.trim().split("\n").filter((l) => !l.includes("npm warn")).slice(-3).join(" | ").slice(0, 600);
}

/** Prints the child's result as its last stdout line (the contract `runChild` reads). */
export function reportToParent(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
