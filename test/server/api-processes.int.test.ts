// Several serving processes over one DATA_DIR, as real processes over real HTTP: separately started ones (two ports)
// and the API_PROCESSES cluster (one port, its serving processes told apart by the pid in their request logs).
import { afterEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { citedDocuments, metricSum, send, startApi, until, type ApiProcess } from "./support/api-process.js";

const QUESTION = { question: "How do I calibrate the zorblatt?" };
const DOCUMENT = {
  id: "zorblatt-guide",
  title: "Zorblatt calibration",
  text: "# Zorblatt calibration\n\nTo calibrate the zorblatt, hold the blue zorblatt button for nine seconds until the zorblatt light blinks twice.\n",
};

const running: ApiProcess[] = [];
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "groundline-procs-"));
  dirs.push(dir);
  return dir;
}

async function start(dir: string, env: Record<string, string>): Promise<ApiProcess> {
  const api = await startApi(dir, env);
  running.push(api);
  return api;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((api) => api.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid in the file name of the index snapshot the manifest names (`vectors-<time>-<pid>-<random>.hnsw`). */
function snapshotWriter(dir: string): number | undefined {
  const manifest = join(dir, "vectors.manifest.json");
  if (!existsSync(manifest)) return undefined;
  const file = (JSON.parse(readFileSync(manifest, "utf8")) as { file?: string }).file ?? "";
  return Number(/^vectors-[a-z0-9]+-(\d+)-/.exec(file)?.[1]);
}

const messages = (apis: ApiProcess[], msg: string) => apis.flatMap((api) => api.logs.filter((l) => l.msg === msg));

describe("two separately started API processes on one DATA_DIR (two ports)", () => {
  it("prepare DATA_DIR once; an upload through one is answerable in both, a delete through the other honoured in both", async () => {
    const dir = dataDir();
    // INDEX_SAVE_EVERY=1: both would write a snapshot on every follow tick, were it not for the snapshot lease.
    const env = { API_PROCESSES: "1", INDEX_SAVE_EVERY: "1" };
    const apis = await Promise.all([start(dir, env), start(dir, env)]);
    const writers = new Set<number | undefined>();
    const sampler = setInterval(() => writers.add(snapshotWriter(dir)), 200);
    const [a, b] = apis as [ApiProcess, ApiProcess];
    // Log lines (pino writes them asynchronously) may trail the "listening on" line, which is written directly; each
    // process's own lines keep their order, and its ready line comes after its first-start ingest: wait for it first.
    const ready = await until(async () => (messages(apis, "groundline ready").length === 2 ? messages(apis, "groundline ready") : undefined), 10_000, "both ready lines");
    expect(ready.map((l) => l.documents)).toEqual([44, 44]);
    // The first-start lease: one of them ingested the demo corpus, the other waited and found the store filled.
    expect(messages(apis, "ingested the demo corpus (store was empty; DEMO_CORPUS=false turns this off)")).toHaveLength(1);

    const accepted = await send(a.url, "POST", "/documents", DOCUMENT);
    expect(accepted.status).toBe(202);
    const job = (JSON.parse(accepted.body) as { jobs: Array<{ id: string }> }).jobs[0]!.id;
    await until(async () => {
      const state = (JSON.parse((await send(b.url, "GET", `/jobs/${job}`)).body) as { state: string }).state;
      return state === "completed" ? true : undefined;
    }, 30_000, "the upload's job");
    for (const api of apis) {
      await until(async () => (citedDocuments(await send(api.url, "POST", "/answer", QUESTION)).includes(DOCUMENT.id) ? true : undefined), 15_000, `a cited answer from ${api.url}`);
    }

    expect((await send(b.url, "DELETE", `/documents/${DOCUMENT.id}`)).status).toBe(204);
    for (const api of apis) {
      await until(async () => (citedDocuments(await send(api.url, "POST", "/answer", QUESTION)).includes(DOCUMENT.id) ? undefined : true), 15_000, `${api.url} to stop citing the deleted document`);
      expect((await send(api.url, "GET", `/documents/${DOCUMENT.id}`)).status).toBe(404);
    }
    clearInterval(sampler);
    writers.delete(undefined);
    // One writer throughout (the lease holder), and it is one of the two.
    expect(writers.size).toBe(1);
    expect(apis.map((api) => api.child.pid)).toContain([...writers][0]);
  }, 120_000);
});

describe("API_PROCESSES=2 (node:cluster on one port)", () => {
  const BOT = "k-bot-procs";
  const OPS = "k-ops-procs";
  const LIMIT = 8;

  it("one preparer; the rate limit is shared, not doubled; /metrics sums both; a killed serving process is replaced; SIGTERM drains all", async () => {
    const api = await start(dataDir(), {
      API_PROCESSES: "2",
      HOST: "127.0.0.1",
      API_KEYS: `bot:${BOT}:answer,ops:${OPS}:admin`,
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
    });
    const servers = await until(async () => {
      const pids = new Set(messages([api], "groundline ready").map((l) => l.pid));
      return pids.size === 2 ? pids : undefined;
    }, 5000, "the ready lines of both serving processes");
    expect(messages([api], "ingested the demo corpus (store was empty; DEMO_CORPUS=false turns this off)")).toHaveLength(1);
    expect(messages([api], "prepared DATA_DIR for the serving processes (migrations, first-start ingest)")).toHaveLength(1);
    expect(servers.has(api.child.pid)).toBe(false);

    // Fixed one-minute windows: keep the burst inside one.
    if (Date.now() % 60_000 > 50_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 200));
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 4; i++) statuses.push((await send(api.url, "POST", "/answer", QUESTION, { authorization: `Bearer ${BOT}` })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    const answeredBy = await until(async () => {
      const pids = new Set(api.logs.filter((l) => l.msg === "request" && l.route === "/answer" && l.status === 200).map((l) => l.pid));
      return pids.size === 2 ? pids : undefined;
    }, 5000, "request logs of both serving processes");
    expect([...answeredBy].sort()).toEqual([...servers].sort());

    // One completed job: each process reads the same queue, so its gauge must not be summed into 2.
    const ops = { authorization: `Bearer ${OPS}` };
    const job = (JSON.parse((await send(api.url, "POST", "/documents", DOCUMENT, ops)).body) as { jobs: Array<{ id: string }> }).jobs[0]!.id;
    // Few polls: the ops key has the same small budget (upload + polls + scrapes stay under it).
    await new Promise((r) => setTimeout(r, 2500));
    for (let poll = 0; poll < 4; poll++) {
      if ((JSON.parse((await send(api.url, "GET", `/jobs/${job}`, undefined, ops)).body) as { state: string }).state === "completed") break;
      await new Promise((r) => setTimeout(r, 1000));
    }

    // Whichever process serves the scrape, the figures are the sums over both.
    for (let scrape = 0; scrape < 2; scrape++) {
      const metrics = await send(api.url, "GET", "/metrics", undefined, ops);
      expect(metrics.status).toBe(200);
      expect(metricSum(metrics.body, "groundline_answers_total")).toBe(LIMIT);
      expect(metricSum(metrics.body, "groundline_http_request_duration_seconds_count", { route: "/answer", status: "200" })).toBe(LIMIT);
      expect(metricSum(metrics.body, "groundline_queue_jobs", { state: "completed" })).toBe(1);
      expect(metricSum(metrics.body, "groundline_ingest_jobs_enqueued_total")).toBe(1);
    }

    const victim = [...servers][0]!;
    process.kill(victim, "SIGKILL");
    const replacement = await until(async () => messages([api], "groundline ready").map((l) => l.pid).find((pid) => !servers.has(pid)), 60_000, "a replacement serving process");
    expect(messages([api], "serving process died; restarting it").map((l) => l.pid)).toEqual([victim]);
    for (let i = 0; i < 4; i++) expect((await send(api.url, "GET", "/healthz")).status).toBe(200);

    expect(await api.stop()).toBe(0);
    const shutdowns = new Set(messages([api], "shutting down").map((l) => l.pid));
    for (const pid of [api.child.pid, replacement, ...[...servers].filter((p) => p !== victim)]) expect(shutdowns.has(pid)).toBe(true);
    for (const pid of [replacement, ...servers]) expect(() => process.kill(pid as number, 0)).toThrow();
  }, 180_000);
});
