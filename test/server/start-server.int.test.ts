import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { pino } from "pino";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { testConfig } from "../support/temp-engine.js";

const REDIS_URL = "redis://127.0.0.1:6379";
const silent = pino({ level: "silent" });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  // Taken out first: were this hook to time out, its loop must not go on to close the next test's server.
  const pending = cleanups.splice(0).reverse();
  for (const c of pending) await c();
});

async function boot(env: Record<string, string>): Promise<RunningServer> {
  const config = testConfig({ PORT: "0", INGEST_ON_START: "false", ...env });
  const server = await startServer(config, silent);
  cleanups.push(async () => {
    await server.close();
    rmSync(config.DATA_DIR, { recursive: true, force: true });
  });
  return server;
}

async function upload(url: string, name: string, text: string): Promise<{ id: string; documentId: string }> {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "text/markdown" }), name);
  const res = await fetch(`${url}/documents`, { method: "POST", body: form });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { jobs: Array<{ id: string; documentId: string }> };
  return body.jobs[0]!;
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ask(url: string, question: string) {
  const res = await fetch(`${url}/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  return (await res.json()) as { answerable: boolean; citations: Array<{ documentId: string }> };
}

const MANUAL = "# Zorp Manual\n\n## Flux capacitor\n\nThe zorp flux capacitor must be recharged every 88 days with the blue cable.\n";

describe("the service", () => {
  it("with Redis: upload → BullMQ job → completed → answered with a citation of the upload", async () => {
    const server = await boot({ REDIS_URL, QUEUE_NAME: `test-${randomUUID()}` });
    const job = await upload(server.url, "zorp.md", MANUAL);
    const done = await waitFor(async () => {
      const info = (await (await fetch(`${server.url}/jobs/${job.id}`)).json()) as { state: string; progress: number };
      return info.state === "completed" || info.state === "failed" ? info : undefined;
    }, 15_000);
    expect(done).toMatchObject({ state: "completed", progress: 100 });
    const answer = await ask(server.url, "How often must the zorp flux capacitor be recharged?");
    expect(answer.answerable).toBe(true);
    expect(answer.citations[0]!.documentId).toBe("zorp.md");
  });

  it("a document ingested by a separate worker process becomes answerable in the API within 5 s", async () => {
    const queueName = `test-${randomUUID()}`;
    const server = await boot({ REDIS_URL, QUEUE_NAME: queueName, RUN_WORKER_IN_API: "false" });
    const worker: ChildProcess = spawn(process.execPath, ["--import", "tsx", "ingest/worker.ts"], {
      env: { ...process.env, DATA_DIR: server.engine.dataDir, REDIS_URL, QUEUE_NAME: queueName, LOG_LEVEL: "silent" },
      stdio: "ignore",
    });
    // Listened for at once: an exit before the listener was attached would otherwise be waited for forever.
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    cleanups.push(async () => {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
      await exited;
    });
    const job = await upload(server.url, "zorp.md", MANUAL);
    await waitFor(async () => {
      const info = (await (await fetch(`${server.url}/jobs/${job.id}`)).json()) as { state: string };
      return info.state === "completed" ? info : undefined;
    }, 30_000);
    const finished = Date.now();
    const answer = await waitFor(async () => {
      const a = await ask(server.url, "How often must the zorp flux capacitor be recharged?");
      return a.citations[0]?.documentId === "zorp.md" ? a : undefined;
    }, 5_000);
    expect(answer.answerable).toBe(true);
    expect(Date.now() - finished).toBeLessThan(5_000);

    // SIGTERM with no job running: the worker stops at once (an idle parse child once held it for 30 s).
    const signalled = Date.now();
    worker.kill("SIGTERM");
    await exited;
    expect(worker.exitCode).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
  }, 60_000);

  it("without Redis: the in-process queue runs the upload and the answer cites it", async () => {
    const server = await boot({});
    const job = await upload(server.url, "zorp.md", MANUAL);
    await waitFor(async () => {
      const info = (await (await fetch(`${server.url}/jobs/${job.id}`)).json()) as { state: string };
      return info.state === "completed" ? info : undefined;
    }, 15_000);
    const answer = await ask(server.url, "How often must the zorp flux capacitor be recharged?");
    expect(answer.citations[0]!.documentId).toBe("zorp.md");
  });
});
