import type { ChildProcess } from "node:child_process";
import { request } from "node:http";
import { startService } from "./services.js";

/** One JSON log line of the service (pino). */
export interface LogLine {
  msg?: string;
  pid?: number;
  level?: number;
  route?: string;
  status?: number;
  [key: string]: unknown;
}

/** `src/main.ts` in a child process: its URL once it listens, and every log line of it (and its serving processes). */
export interface ApiProcess {
  child: ChildProcess;
  url: string;
  logs: LogLine[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the service on `dataDir` with `env` (no Redis unless `env` names one); resolves when it prints its "listening on" line. */
export function startApi(dataDir: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ApiProcess> {
  return startService("src/main.ts", { DATA_DIR: dataDir, ...env }, /groundline listening on (http:\/\/\S+)/, timeoutMs);
}

export interface Reply {
  status: number;
  body: string;
}

/**
 * One request on its own connection (no keep-alive), so a cluster's primary hands each request to the next serving
 * process in turn instead of pinning a connection to one.
 */
export function send(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method,
      agent: false,
      headers: { ...(payload ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) } : {}), ...headers },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

export async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The document ids an /answer reply cites (empty for refusals). */
export function citedDocuments(reply: Reply): string[] {
  if (reply.status !== 200) return [];
  const answer = JSON.parse(reply.body) as { citations?: Array<{ documentId: string }> };
  return (answer.citations ?? []).map((c) => c.documentId);
}

/** Sum of a Prometheus sample family's values whose labels contain every `labels` pair. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}
