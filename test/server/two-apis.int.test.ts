import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { startApi, type ApiProcess } from "./support/api-process.js";

/** `npm start`'s entry point on DATA_DIR with the in-process runner and a random port. */
function startTwoApiProcess(dataDir: string): Promise<ApiProcess> {
  return startApi(dataDir, { API_PROCESSES: "1", INGEST_ON_START: "false", WORKER_CONCURRENCY: "2", INDEX_SAVE_EVERY: "10", RATE_LIMIT_PER_MINUTE: "0" }, 20_000);
}

async function upload(url: string, i: number): Promise<string> {
  const form = new FormData();
  const text = `# Document ${i}\n\nThe gizmo${i} procedure: unplug the hub, hold reset for ${i % 13} seconds, then pair the remote again.\n`;
  form.append("file", new Blob([text], { type: "text/markdown" }), `doc-${i}.md`);
  const res = await fetch(`${url}/documents`, { method: "POST", body: form });
  if (res.status !== 202) throw new Error(`upload ${i}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { jobs: Array<{ id: string }> }).jobs[0]!.id;
}

async function jobState(url: string, id: string): Promise<{ state: string; attempts: number }> {
  return (await (await fetch(`${url}/jobs/${id}`)).json()) as { state: string; attempts: number };
}

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const UPLOADS = 400;

describe("two API processes over one DATA_DIR with the in-process runner", () => {
  it("400 uploads mixed with deletes: every job ends exactly once, none retried, index and store agree, deleted stays deleted", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "groundline-two-apis-"));
    const apis = await Promise.all([startTwoApiProcess(dataDir), startTwoApiProcess(dataDir)]);
    try {
      const [a, b] = apis as [ApiProcess, ApiProcess];
      const jobs = new Map<number, string>();
      const deleted = new Set<number>();
      const deletes: Array<Promise<void>> = [];
      for (let start = 0; start < UPLOADS; start += 20) {
        const batch = Array.from({ length: Math.min(20, UPLOADS - start) }, (_, k) => start + k);
        const ids = await Promise.all(batch.map((i) => upload((i % 2 ? a : b).url, i)));
        batch.forEach((i, k) => jobs.set(i, ids[k]!));
        // Every fifth document is deleted through the other process as soon as its job completed.
        for (const i of batch.filter((n) => n % 5 === 0)) {
          deletes.push((async () => {
            await until(async () => ((await jobState(a.url, jobs.get(i)!)).state === "completed" ? true : undefined), 30_000, `job of doc-${i}`);
            const res = await fetch(`${(i % 2 ? b : a).url}/documents/doc-${i}.md`, { method: "DELETE" });
            expect(res.status).toBe(204);
            deleted.add(i);
          })());
        }
      }
      await Promise.all(deletes);
      const finals = await Promise.all([...jobs.values()].map((id) =>
        until(async () => {
          const s = await jobState(b.url, id);
          return s.state === "completed" || s.state === "failed" ? s : undefined;
        }, 40_000, `job ${id}`),
      ));
      expect(finals.filter((s) => s.state !== "completed")).toEqual([]);
      expect(finals.filter((s) => s.attempts !== 1)).toEqual([]);

      // Give any stray re-run (the race this guards against) time to bring a deleted document back.
      await new Promise((r) => setTimeout(r, 1500));
      for (const i of deleted) expect((await fetch(`${a.url}/documents/doc-${i}.md`)).status).toBe(404);
      await Promise.all(apis.map((api) => api.stop()));

      const completions = apis.flatMap((api) => api.logs.filter((l) => l.msg === "job completed").map((l) => l.jobId));
      expect(completions).toHaveLength(UPLOADS);
      expect(new Set(completions).size).toBe(UPLOADS);
      expect(apis.every((api) => api.logs.some((l) => l.msg === "job completed"))).toBe(true);
      const problems = apis.flatMap((api) => api.logs.filter((l) => (l.level ?? 0) >= 40 && !/no API_KEYS/.test(l.msg ?? "")));
      expect(problems).toEqual([]);

      const engine = await openEngine(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
      try {
        expect(await engine.store.countDocuments()).toBe(UPLOADS - deleted.size);
        const labels = await engine.store.allChunkIds();
        expect(engine.vectors().size).toBe(labels.length);
        for (const label of labels) expect(engine.vectors().has(label)).toBe(true);
        for (const i of deleted) expect(await engine.store.getDocument("default", `doc-${i}.md`)).toBeUndefined();
      } finally {
        await engine.close();
      }
    } finally {
      await Promise.all(apis.map((api) => api.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
