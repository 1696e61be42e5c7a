import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";

/** The API (`src/main.ts`) running in its own process, as `npm run dev` runs it. */
export interface ServerProcess {
  url: string;
  dataDir: string;
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** The last 4,000 characters the server wrote to stderr (why it died, when it did). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the API in a child process over a fresh DATA_DIR (no demo corpus) and waits until it listens. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-server-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0", API_PROCESSES: "1", INGEST_ON_START: "false", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited with code ${code} before listening: ${stderr}`)));
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    url,
    dataDir,
    child,
    alive,
    stderr: () => stderr,
    stop: async () => {
      if (alive()) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Probes `${url}/healthz` every `everyMs` until stopped; records each probe's latency (a failed probe counts as Infinity). */
export function probeHealth(url: string, everyMs = 100): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const probe = (): void => {
    const t0 = performance.now();
    const p = fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) })
      .then(async (res) => {
        await res.arrayBuffer();
        latencies.push(res.ok ? performance.now() - t0 : Number.POSITIVE_INFINITY);
      })
      .catch(() => void latencies.push(Number.POSITIVE_INFINITY))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const timer = setInterval(probe, everyMs);
  probe();
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return latencies;
    },
  };
}

/** Uploads one file as multipart; returns the first job's id. */
export async function uploadFile(url: string, name: string, bytes: Buffer, type = "application/octet-stream"): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type }), name);
  const res = await fetch(`${url}/documents`, { method: "POST", body: form });
  if (res.status !== 202) throw new Error(`upload of ${name} answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { jobs: Array<{ id: string }> };
  return body.jobs[0]!.id;
}

/** Polls GET /jobs/:id until the job completed or failed (or the time is up, or the server died). */
export async function waitForJob(url: string, id: string, timeoutMs: number): Promise<{ state: string; error?: string; attempts?: number }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const info = (await (await fetch(`${url}/jobs/${id}`)).json()) as { state: string; error?: string; attempts?: number };
      if (info.state === "completed" || info.state === "failed") return info;
    } catch {
      // The server may be busy or gone: the deadline decides.
    }
    if (Date.now() > end) throw new Error(`job ${id} did not finish within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
