import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { flateBombPdf, manyPagesPdf, oneLineText } from "../support/hostile-files.js";
import { probeHealth, startServerProcess, uploadFile, waitForJob, type ServerProcess } from "../support/server-process.js";

// Finding 5 and 6 of issue #10, end to end: the API in its own process, files uploaded over HTTP, /healthz probed
// every 100 ms throughout. A hostile file fails its job for good with a clear reason; the API stays up and responsive.
const REDIS_URL = "redis://127.0.0.1:6379";
const HEALTH_BUDGET_MS = 2000;

let bomb: Buffer;
let servers: ServerProcess[] = [];
beforeAll(async () => {
  bomb = await flateBombPdf(600 * 1024 * 1024);
}, 60_000);
afterEach(async () => {
  for (const s of servers) await s.stop();
  servers = [];
});
afterAll(() => undefined);

async function boot(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess(env);
  servers.push(server);
  return server;
}

describe.each([
  ["the embedded queue", {}],
  ["BullMQ on Redis", { REDIS_URL, QUEUE_NAME: `test-bomb-${randomUUID()}` }],
])("a 600 MB flate-bomb PDF under %s", (_name, env) => {
  it("fails its job for good, naming the file and the limit, while the API stays up and answers /healthz within 2 s", async () => {
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const server = await boot(env);
    const probes = probeHealth(server.url);
    const jobId = await uploadFile(server.url, "bomb.pdf", bomb, "application/pdf");
    const job = await waitForJob(server.url, jobId, 90_000);
    const latencies = await probes.stop();
    expect(server.alive()).toBe(true);
    expect(job.state).toBe("failed");
    expect(job.error).toMatch(/bomb\.pdf/);
    expect(job.error).toMatch(/PARSE_MAX_(INFLATED_BYTES|RSS_MB|HEAP_MB)/);
    expect(job.attempts).toBe(1);
    expect(Math.max(...latencies)).toBeLessThan(HEALTH_BUDGET_MS);
    // The document is not searchable and the service still ingests good files.
    const ok = await uploadFile(server.url, "fine.md", Buffer.from("# Fan\n\nThe fan must be cleaned every month.\n"), "text/markdown");
    expect((await waitForJob(server.url, ok, 60_000)).state).toBe("completed");
  }, 180_000);
});

describe("large but legitimate uploads do not block the API", () => {
  it("a 5,000-page PDF and a 10 MB one-line text are ingested while every /healthz answers within 2 s", async () => {
    // The default PARSE_TIMEOUT_MS (60 s) parses this PDF in ~10 s on an idle machine; test files run in parallel here,
    // and what this test measures is the API's responsiveness, not the parse time.
    const server = await boot({ PARSE_TIMEOUT_MS: "300000" });
    const pdf = await manyPagesPdf(5000);
    const text = oneLineText(10 * 1024 * 1024);
    const probes = probeHealth(server.url);
    const [pdfJob, textJob] = [await uploadFile(server.url, "long-manual.pdf", pdf, "application/pdf"), await uploadFile(server.url, "one-line.txt", text, "text/plain")];
    const results = [await waitForJob(server.url, pdfJob, 300_000), await waitForJob(server.url, textJob, 300_000)];
    const latencies = await probes.stop();
    expect(server.alive()).toBe(true);
    expect(results.map((r) => `${r.state} ${r.error ?? ""}`.trim())).toEqual(["completed", "completed"]);
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(HEALTH_BUDGET_MS);
    // Both are stored whole: the text's ~10k chunks (written by the parse child) and every page of the PDF.
    const stored = (await (await fetch(`${server.url}/documents/one-line.txt`)).json()) as { status: string; chunkCount: number };
    expect(stored).toMatchObject({ status: "ready" });
    expect(stored.chunkCount).toBeGreaterThan(5000);
    const manual = (await (await fetch(`${server.url}/documents/long-manual.pdf`)).json()) as { status: string; pages: number };
    expect(manual).toMatchObject({ status: "ready", pages: 5000 });
  }, 600_000);
});
