// PostgreSQL or Redis down while the service runs: /readyz says which, writes get 503 problem+json with Retry-After,
// answers keep coming from the in-memory indexes, and everything recovers without a restart. The outage is real for
// the service: it reaches PostgreSQL and Redis through TCP proxies the test cuts (open connections reset, new ones
// refused) and restores, so the machine's shared servers never stop.
import { randomBytes, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { testConfig } from "../support/temp-engine.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { dropSchema } from "../ports/pg-harness.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  const pending = cleanups.splice(0).reverse();
  for (const c of pending) await c();
});

interface Setup { server: RunningServer; pg: TcpProxy; redis: TcpProxy }

async function boot(): Promise<Setup> {
  const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
  cleanups.push(() => dropSchema(schema));
  const pg = await startTcpProxy(5432);
  const redis = await startTcpProxy(6379);
  cleanups.push(async () => { await pg.close(); await redis.close(); });
  const config = testConfig({
    PORT: "0", INGEST_ON_START: "false", RATE_LIMIT_PER_MINUTE: "0",
    DATABASE_URL: `postgres://postgres@127.0.0.1:${pg.port}/postgres`, DATABASE_SCHEMA: schema,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`, QUEUE_NAME: `test-outage-${randomUUID()}`,
  });
  const server = await startServer(config, pino({ level: "silent" }));
  cleanups.push(async () => {
    pg.restore(); redis.restore();
    await server.close();
    rmSync(config.DATA_DIR, { recursive: true, force: true });
  });
  return { server, pg, redis };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function uploadForm(name: string, text: string): FormData {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "text/markdown" }), name);
  return form;
}

async function uploadAndWait(url: string, name: string, text: string): Promise<void> {
  const res = await fetch(`${url}/documents`, { method: "POST", body: uploadForm(name, text) });
  expect(res.status).toBe(202);
  const job = ((await res.json()) as { jobs: Array<{ id: string }> }).jobs[0]!;
  const state = await waitFor(async () => {
    const s = ((await (await fetch(`${url}/jobs/${job.id}`)).json()) as { state: string }).state;
    return s === "completed" || s === "failed" ? s : undefined;
  }, 30_000, `job of ${name}`);
  expect(state).toBe("completed");
}

async function ask(url: string, question: string): Promise<{ status: number; cited: string[] }> {
  const res = await fetch(`${url}/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  const body = (await res.json()) as { citations?: Array<{ documentId: string }> };
  return { status: res.status, cited: (body.citations ?? []).map((c) => c.documentId) };
}

async function readiness(url: string): Promise<{ status: number; down: string[] }> {
  const res = await fetch(`${url}/readyz`);
  const body = (await res.json()) as { down?: string[] };
  return { status: res.status, down: body.down ?? [] };
}

/** Every write route answers 503 dependency-unavailable with Retry-After, naming `dependency`. */
async function expectWritesRefused(url: string, dependency: string): Promise<void> {
  const writes: Array<[string, RequestInit]> = [
    ["/documents", { method: "POST", body: uploadForm("late.md", "# Late\n\nToo late.\n") }],
    ["/documents/zorp.md", { method: "DELETE" }],
    ["/curated", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: "How?", answer: "Like this." }) }],
  ];
  for (const [path, init] of writes) {
    const res = await fetch(`${url}${path}`, init);
    expect(res.status, `${init.method} ${path}`).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const problem = (await res.json()) as { type: string; dependencies: string[] };
    expect(problem.type).toMatch(/dependency-unavailable$/);
    expect(problem.dependencies).toContain(dependency);
  }
}

const ZORP = "# Zorp Manual\n\n## Flux capacitor\n\nThe zorp flux capacitor must be recharged every 88 days with the blue cable.\n";
const QUESTION = "How often must the zorp flux capacitor be recharged?";

describe("outages of PostgreSQL and Redis", () => {
  it("PostgreSQL down: not ready, writes 503, answers served from memory; back up: ready and writable without a restart", async () => {
    const { server, pg } = await boot();
    // Never asked before the outage: its passages were remembered when the index took the document in.
    await uploadAndWait(server.url, "zorp.md", ZORP);

    pg.cut();
    await waitFor(async () => { const r = await readiness(server.url); return r.status === 503 && r.down.includes("postgres") ? r : undefined; }, 10_000, "not ready");
    await expectWritesRefused(server.url, "postgres");
    const during = await ask(server.url, QUESTION);
    expect(during.status).toBe(200);
    expect(during.cited).toContain("zorp.md");

    pg.restore();
    await waitFor(async () => ((await readiness(server.url)).status === 200 ? true : undefined), 15_000, "ready again");
    await uploadAndWait(server.url, "quux.md", "# Quux\n\n## Descaling\n\nDescale the quux kettle monthly with citric acid.\n");
    await waitFor(async () => ((await ask(server.url, "How do I descale the quux kettle?")).cited.includes("quux.md") ? true : undefined), 10_000, "quux answered");
  }, 90_000);

  it("Redis down: not ready, writes 503, answers served; back up: ready and uploads run without a restart", async () => {
    const { server, redis } = await boot();
    await uploadAndWait(server.url, "zorp.md", ZORP);

    redis.cut();
    await waitFor(async () => { const r = await readiness(server.url); return r.status === 503 && r.down.includes("redis") ? r : undefined; }, 10_000, "not ready");
    await expectWritesRefused(server.url, "redis");
    const during = await ask(server.url, QUESTION);
    expect(during.status).toBe(200);
    expect(during.cited).toContain("zorp.md");

    redis.restore();
    await waitFor(async () => ((await readiness(server.url)).status === 200 ? true : undefined), 15_000, "ready again");
    await uploadAndWait(server.url, "quux.md", "# Quux\n\n## Descaling\n\nDescale the quux kettle monthly with citric acid.\n");
  }, 90_000);
});
