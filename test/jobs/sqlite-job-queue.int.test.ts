import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import { SqliteJobQueue, type SqliteJobQueueOptions } from "../../src/adapters/sqlite-job-queue.js";
import type { Engine } from "../../src/container.js";
import type { IngestJobData, IngestJobResult, JobInfo, JobProcessor } from "../../src/ports/job-queue.js";
import { analyze } from "../../src/text/analyzer.js";
import { engineIngestJobs } from "../../ingest/processor.js";
import { openTestEngine } from "../support/temp-engine.js";
import { elfBytes, jobData, markdownManual, waitFor } from "./support/helpers.js";

let engine: Engine;
let cleanupEngine: () => Promise<void>;
let uploads: FileUploadStore;
const queues: SqliteJobQueue[] = [];

beforeEach(async () => {
  ({ engine, cleanup: cleanupEngine } = await openTestEngine());
  uploads = new FileUploadStore(engine.dataDir);
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
  await cleanupEngine();
});

function openQueue(options: Partial<SqliteJobQueueOptions> = {}): SqliteJobQueue {
  const queue = new SqliteJobQueue({ dataDir: engine.dataDir, backoffMs: 50, pollMs: 50, uploads, ...options });
  queues.push(queue);
  return queue;
}

function counting(): { processor: JobProcessor; runs: Map<string, number>; progress: number[] } {
  const jobs = engineIngestJobs(engine, uploads);
  const runs = new Map<string, number>();
  const progress: number[] = [];
  const processor: JobProcessor = async (data, report) => {
    runs.set(data.documentId, (runs.get(data.documentId) ?? 0) + 1);
    return jobs.processor(data, async (p) => {
      progress.push(p);
      await report(p);
    });
  };
  return { processor, runs, progress };
}

async function upload(bytes: Buffer, documentId: string, fileName: string): Promise<IngestJobData> {
  return jobData(await uploads.save(bytes, fileName), documentId, fileName);
}

function finished(queue: SqliteJobQueue, id: string): Promise<JobInfo> {
  return waitFor(async () => {
    const info = await queue.get(id);
    return info?.state === "completed" || info?.state === "failed" ? info : undefined;
  }, 10_000, `job ${id}`);
}

describe("SqliteJobQueue", () => {
  it("runs a job to completion with progress; the document is searchable and the upload gone", async () => {
    const queue = openQueue();
    const { processor, progress } = counting();
    queue.start(processor, { concurrency: 1 });
    const data = await upload(markdownManual("Guide", "nebulawidget"), "guide", "guide.md");
    const { id, deduplicated } = await queue.enqueue(data);
    expect(deduplicated).toBe(false);
    const info = await finished(queue, id);
    expect(info).toMatchObject({ id, documentId: "guide", fileName: "guide.md", state: "completed", progress: 100, attempts: 1 });
    expect(info.result?.documentIds).toEqual(["guide"]);
    expect(progress.slice(0, 2)).toEqual([10, 30]);
    expect(existsSync(data.uploadPath)).toBe(false);
    expect(engine.store.searchBm25(analyze("nebulawidget"), 3).length).toBeGreaterThan(0);
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0, delayed: 0 });
  });

  it("deduplicates while queued; re-uploads after completion and changed uploads are processed", async () => {
    const queue = openQueue();
    const { processor, runs } = counting();
    const bytes = markdownManual("Guide", "dedup");
    const first = await upload(bytes, "guide", "guide.md");
    const second = await upload(bytes, "guide", "guide.md");
    const a = await queue.enqueue(first);
    expect(await queue.enqueue(second)).toEqual({ id: a.id, deduplicated: true });
    expect(existsSync(second.uploadPath)).toBe(false);
    // Same content for another document is its own job.
    expect((await queue.enqueue(await upload(bytes, "other", "guide.md"))).deduplicated).toBe(false);

    queue.start(processor, { concurrency: 1 });
    await finished(queue, a.id);
    expect(runs.get("guide")).toBe(1);
    const again = await queue.enqueue(await upload(bytes, "guide", "guide.md"));
    expect(again.deduplicated).toBe(false);
    expect((await finished(queue, again.id)).result?.unchanged).toBe(1);
    const changed = await queue.enqueue(await upload(markdownManual("Guide", "revised", 3000), "guide", "guide.md"));
    expect((await finished(queue, changed.id)).result?.unchanged).toBe(0);
    expect(runs.get("guide")).toBe(3);
  });

  it("retries transient failures with backoff, fails bad input at once, and keeps failed jobs", async () => {
    const queue = openQueue();
    const { processor } = counting();
    let flaky = 0;
    queue.start(async (data, progress) => {
      if (data.documentId === "flaky" && ++flaky === 1) throw new Error("embedding endpoint timed out");
      return processor(data, progress);
    }, { concurrency: 2 });
    const flakyData = await upload(markdownManual("Flaky", "flaky"), "flaky", "flaky.md");
    const f = await queue.enqueue(flakyData);
    await waitFor(async () => (await queue.get(f.id))?.state === "delayed", 5000, "backoff");
    expect(existsSync(flakyData.uploadPath)).toBe(true);
    expect((await queue.get(f.id))?.error).toMatch(/timed out/);
    const done = await finished(queue, f.id);
    expect(done).toMatchObject({ state: "completed", attempts: 2 });
    expect(done.error).toBeUndefined();

    const bad = await upload(elfBytes(), "manual", "manual.pdf");
    const b = await queue.enqueue(bad);
    const failed = await finished(queue, b.id);
    expect(failed).toMatchObject({ state: "failed", attempts: 1 });
    expect(failed.error).toMatch(/ELF/);
    expect((await queue.list({ state: "failed" })).map((j) => j.id)).toEqual([b.id]);
    expect(existsSync(bad.uploadPath)).toBe(false);
    expect(engine.store.getDocument("manual")?.status).toBe("failed");
  });

  it("gives up after the configured attempts and runs the final clean-up once", async () => {
    const queue = openQueue({ attempts: 3 });
    const exhausted: string[] = [];
    let calls = 0;
    queue.start(async () => {
      calls += 1;
      throw new Error("endpoint down");
    }, { concurrency: 1, onRetriesExhausted: async (data) => void exhausted.push(data.documentId) });
    const { id } = await queue.enqueue(await upload(Buffer.from("x"), "doc", "doc.txt"));
    const info = await finished(queue, id);
    expect(info).toMatchObject({ state: "failed", attempts: 3, error: "endpoint down" });
    expect(calls).toBe(3);
    expect(exhausted).toEqual(["doc"]);
  });

  it("cancelForDocument removes waiting jobs and their uploads", async () => {
    const queue = openQueue();
    const mine = await upload(Buffer.from("mine"), "mine", "mine.txt");
    const m = await queue.enqueue(mine);
    const o = await queue.enqueue(await upload(Buffer.from("other"), "other", "other.txt"));
    expect(await queue.cancelForDocument("default", "mine")).toBe(1);
    expect(await queue.get(m.id)).toBeUndefined();
    expect((await queue.get(o.id))?.state).toBe("waiting");
    expect(existsSync(mine.uploadPath)).toBe(false);
    expect((await queue.enqueue(await upload(Buffer.from("mine"), "mine", "mine.txt"))).deduplicated).toBe(false);
  });

  it("an accepted job survives a restart before it ran", async () => {
    const first = openQueue();
    const { id } = await first.enqueue(await upload(markdownManual("Guide", "persisted"), "guide", "guide.md"));
    await first.close();
    const second = openQueue();
    expect((await second.get(id))?.state).toBe("waiting");
    second.start(counting().processor, { concurrency: 1 });
    expect((await finished(second, id)).state).toBe("completed");
  });

  it("a job left active by a SIGKILLed runner is reclaimed once its lease expired and run again", async () => {
    const queue = openQueue({ leaseMs: 500 });
    const { id } = await queue.enqueue(await upload(markdownManual("Guide", "revived"), "guide", "guide.md"));
    const output = await runChildUntilActive(engine.dataDir, 500);
    expect(output).toMatch(/active guide/);
    expect((await queue.get(id))?.state).toBe("active");
    queue.start(counting().processor, { concurrency: 1 });
    const info = await finished(queue, id);
    expect(info).toMatchObject({ state: "completed", attempts: 2 });
  });

  it("a second runner over the same DATA_DIR neither resets nor runs the first one's active job", async () => {
    const first = openQueue({ leaseMs: 400 });
    let release: (r: IngestJobResult) => void = () => undefined;
    let firstRuns = 0;
    first.start(() => {
      firstRuns += 1;
      return new Promise<IngestJobResult>((resolve) => (release = resolve));
    }, { concurrency: 1 });
    const { id } = await first.enqueue(await upload(markdownManual("Guide", "shared"), "guide", "guide.md"));
    await waitFor(async () => (await first.get(id))?.state === "active", 5000, "the job to start");

    const second = openQueue({ leaseMs: 400 });
    const { processor, runs } = counting();
    second.start(processor, { concurrency: 1 });
    // Several lease periods: the first runner's heartbeat keeps its job its own.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await second.get(id))?.state).toBe("active");
    expect(runs.get("guide")).toBeUndefined();
    release({ documents: 1, chunks: 1, embedded: 1, unchanged: 0, documentIds: ["guide"] });
    const info = await finished(second, id);
    expect(info).toMatchObject({ state: "completed", attempts: 1 });
    expect(firstRuns).toBe(1);
  });

  it("a job whose runner crashes on every attempt fails after max attempts with a clear reason and is not retried", async () => {
    const queue = openQueue({ leaseMs: 300, attempts: 2 });
    const data = await upload(markdownManual("Bomb", "crashing"), "bomb", "bomb.md");
    const { id } = await queue.enqueue(data);
    for (let crash = 0; crash < 2; crash++) expect(await runChildUntilActive(engine.dataDir, 300)).toMatch(/active bomb/);
    const { processor, runs } = counting();
    const exhausted: string[] = [];
    queue.start(processor, { concurrency: 1, onRetriesExhausted: async (d) => void exhausted.push(d.documentId) });
    const info = await finished(queue, id);
    expect(info).toMatchObject({ state: "failed", attempts: 2 });
    expect(info.error).toMatch(/the worker crashed or was killed while processing this file 2 times/);
    expect(runs.get("bomb")).toBeUndefined();
    expect(exhausted).toEqual(["bomb"]);
  });

  it("cancelForDocument cancels only jobs of the named collection", async () => {
    const queue = openQueue();
    const mine = await upload(Buffer.from("same id"), "faq.md", "faq.md");
    const theirs = { ...(await upload(Buffer.from("same id, other collection"), "faq.md", "faq.md")), collection: "secret" };
    const m = await queue.enqueue(mine);
    const t = await queue.enqueue(theirs);
    expect(await queue.cancelForDocument("default", "faq.md")).toBe(1);
    expect(await queue.get(m.id)).toBeUndefined();
    expect((await queue.get(t.id))?.state).toBe("waiting");
    expect(existsSync(theirs.uploadPath)).toBe(true);
  });

  it("a finished job's final state outlives the queue's pruning", async () => {
    const queue = openQueue({ keepCompleted: 1 });
    queue.start(counting().processor, { concurrency: 1 });
    const a = await queue.enqueue(await upload(markdownManual("A", "alpha"), "a", "a.md"));
    await finished(queue, a.id);
    const b = await queue.enqueue(await upload(markdownManual("B", "beta"), "b", "b.md"));
    await finished(queue, b.id);
    expect(await queue.get(a.id)).toBeUndefined();
    const gone = await queue.expired(a.id);
    expect(gone).toMatchObject({ id: a.id, collection: "default", documentId: "a", state: "completed" });
    expect(Date.parse(gone?.finishedAt ?? "")).not.toBeNaN();
    expect(await queue.expired("no-such-job")).toBeUndefined();
  });
});

/** Runs the child runner until it reports a job active, then SIGKILLs it (the lease is left to expire). */
function runChildUntilActive(dataDir: string, leaseMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/jobs/support/sqlite-runner-child.ts", dataDir, String(leaseMs)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      output += text;
      if (/active /.test(output)) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}
