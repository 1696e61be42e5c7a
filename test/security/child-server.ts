// The service as a separate process (`src/main.ts`), for hostile uploads that may take a process down: the test
// runner must survive to report it, and the child's own RSS can be read from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dumpStore, type StoreDump } from "../support/store-dump.js";
import { baseEnv } from "./harness.js";

export interface ChildServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Whether the process is still running. */
  alive(): boolean;
  /** How it ended, when it did. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Last lines of its stdout/stderr (bounded), for failure messages. */
  output(): string;
  /** Current and peak resident set size in MB (Linux /proc). */
  rssMb(): { now: number; peak: number };
  dump(): StoreDump;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

/** Starts `node --import tsx src/main.ts` on a temp DATA_DIR with the suite's keys; resolves once it listens. */
export async function spawnSecServer(env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-secchild-"));
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "src/main.ts"], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...baseEnv(dataDir, { LOG_LEVEL: "warn", ...env }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const keep = (b: Buffer) => {
    out = (out + b.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      ended = { code, signal };
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms: ${out}`)), START_TIMEOUT_MS);
    const check = () => {
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited during start: ${out}`));
    });
  });
  return {
    url,
    dataDir,
    child,
    alive: () => ended === undefined,
    exit: () => ended,
    output: () => out,
    rssMb: () => procRss(child.pid),
    dump: () => dumpStore(dataDir),
    close: async () => {
      if (ended === undefined) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function procRss(pid: number | undefined): { now: number; peak: number } {
  if (pid === undefined) return { now: 0, peak: 0 };
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+) kB`))?.[1] ?? 0);
    return { now: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
  } catch {
    return { now: 0, peak: 0 };
  }
}

/** Probes /healthz every `everyMs` until stopped; records the slowest answer and any failure. */
export function healthProbe(url: string, everyMs = 200): { stop(): Promise<{ maxMs: number; failures: number; probes: number }> } {
  let stopped = false;
  const stats = { maxMs: 0, failures: 0, probes: 0 };
  const loop = (async () => {
    while (!stopped) {
      const t0 = Date.now();
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
        await res.text();
        if (res.status !== 200) stats.failures++;
      } catch {
        stats.failures++;
      }
      stats.maxMs = Math.max(stats.maxMs, Date.now() - t0);
      stats.probes++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return stats;
    },
  };
}
