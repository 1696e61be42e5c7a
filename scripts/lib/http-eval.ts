import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../src/config.js";
import { packageRoot } from "../../src/package-root.js";
import type { RawDataset } from "../../src/eval/raw-dataset.js";
import type { RawSystem } from "../../src/eval/pdf-scoring.js";
import { citationRef } from "./raw-eval.js";

/** A real server (`npm start`'s entry point) in a child process on a temporary DATA_DIR. */
export interface HttpServer {
  url: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const JOB_TIMEOUT_MS = 30 * 60_000;

/**
 * Starts src/main.ts as a child process (in-process job runner, no Redis, no API keys, no rate limit, nothing
 * ingested on start) and waits for its "listening on" line. The config's other settings reach it via the env.
 */
export async function startHttpServer(config: Config, log: (m: string) => void): Promise<HttpServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-eval-http-"));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: "0", API_PROCESSES: "1", HOST: "127.0.0.1", INGEST_ON_START: "false", RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn", EMBEDDER: config.EMBEDDER };
  delete env.REDIS_URL;
  delete env.API_KEYS;
  const child = spawn(process.execPath, ["--import", "tsx", join(packageRoot(), "src/main.ts")], { cwd: packageRoot(), env, stdio: ["ignore", "pipe", "inherit"] });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await listeningUrl(child);
    log(`server listening on ${url} (DATA_DIR ${dataDir})`);
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      buffered += text;
      const m = /groundline listening on (http:\/\/\S+)/.exec(buffered);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening`)));
    child.once("error", reject);
  });
}

/**
 * Uploads every file through `POST /documents` (multipart, one request per file), waits for the jobs, and returns
 * a system that asks through `POST /answer`. Page recall is not measured: /answer returns citations, not rankings.
 */
export async function httpRawSystem(server: HttpServer, dataset: RawDataset, log: (m: string) => void): Promise<RawSystem> {
  for (const file of dataset.files) {
    const t0 = performance.now();
    const form = new FormData();
    form.append("file", new Blob([readFileSync(join(dataset.documentsDir, file))]), file);
    const res = await fetch(`${server.url}/documents`, { method: "POST", body: form });
    if (res.status !== 202) throw new Error(`POST /documents ${file}: ${res.status} ${await res.text()}`);
    const { jobs } = (await res.json()) as { jobs: Array<{ id: string }> };
    for (const job of jobs) await waitForJob(server.url, job.id, file);
    log(`uploaded and ingested ${file} over HTTP in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return {
    name: "http",
    answer: async (question) => {
      const res = await fetch(`${server.url}/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
      if (!res.ok) throw new Error(`POST /answer: ${res.status} ${await res.text()}`);
      const a = (await res.json()) as { answer: string; answerable: boolean; citations: Array<{ documentId: string; page?: number }> };
      return { text: a.answer, citations: a.citations.map(citationRef), answered: a.answerable };
    },
  };
}

async function waitForJob(url: string, id: string, file: string): Promise<void> {
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/jobs/${encodeURIComponent(id)}`);
    const job = (await res.json()) as { state?: string; error?: string };
    if (job.state === "completed") return;
    if (job.state === "failed") throw new Error(`ingesting ${file} failed: ${job.error ?? "unknown error"}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`ingesting ${file} did not finish within ${JOB_TIMEOUT_MS / 60_000} min`);
}
