import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type AutocannonResult } from "autocannon";
import { spawnChild } from "./child-process.js";
import { latencyStats, round, type LatencyStats } from "./stats.js";

export interface HttpResult {
  /** Why the HTTP figures are missing (the app does not exist yet, or --no-http). */
  pending?: string;
  /** Serving processes sharing the port (node:cluster, as API_PROCESSES runs them); 1 = one process. */
  processes?: number;
  connections?: number;
  seconds?: number;
  distinctQuestions?: number;
  requests?: number;
  requestsPerSecond?: number;
  /** Per-response latency seen by the load generator (ms). */
  latency?: LatencyStats;
  non2xx?: number;
  errors?: number;
}

const CREATE_APP = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "http", "create-app.ts");

/**
 * POST /answer throughput under concurrent load: the API runs in a separate process (NODE_ENV=production) on the
 * DATA_DIR (or `processes` serving processes behind one port, as API_PROCESSES runs them), this process loads it with autocannon, rotating through distinct questions so no two consecutive
 * requests repeat and a cache (there is none yet) could not serve them.
 */
export async function benchHttp(dataDir: string, questionsFile: string, distinct: number, seconds: number, connections = 8, processes = 1): Promise<HttpResult> {
  if (!existsSync(CREATE_APP)) return { pending: "src/http/create-app.ts (createApp) does not exist yet" };
  const questions = (JSON.parse(readFileSync(questionsFile, "utf8")) as string[]).slice(0, distinct);
  const server = spawnChild("http-server-child.ts", [dataDir, String(connections), String(processes)], { env: { NODE_ENV: "production" } });
  try {
    const port = await waitForPort(server.stdout, server.stderr);
    const url = `http://127.0.0.1:${port}`;
    await load(url, questions, 2, connections); // warm-up: JIT, page cache
    const samples: number[] = [];
    const result = await load(url, questions, seconds, connections, samples);
    return {
      processes,
      connections,
      seconds,
      distinctQuestions: questions.length,
      requests: result.requests.total,
      requestsPerSecond: round(result["2xx"] / (result.duration || seconds), 1),
      latency: latencyStats(samples),
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    server.kill("SIGTERM");
  }
}

function load(url: string, questions: readonly string[], seconds: number, connections: number, samples?: number[]): Promise<AutocannonResult> {
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url,
      connections,
      duration: seconds,
      timeout: 30,
      requests: [{
        method: "POST",
        path: "/answer",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ question: questions[next++ % questions.length] }) }),
      }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
    if (samples) instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => samples.push(ms));
  });
}

function waitForPort(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`API did not start: ${err.slice(-500)}`)), 120_000);
    stderr.on("data", (d: Buffer) => { err += d.toString(); });
    stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    stdout.on("end", () => { clearTimeout(timer); reject(new Error(`API exited: ${err.slice(-500)}`)); });
  });
}
