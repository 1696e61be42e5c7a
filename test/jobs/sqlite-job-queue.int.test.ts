import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
    expect(engine.store.getDocument("default", "manual")?.status).toBe("failed");
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

  it("a job left active by a dead runner is run again at start, and the dead run's late finish is ignored", async () => {
    const crashed = openQueue();
    let release: (r: IngestJobResult) => void = () => undefined;
    crashed.start(() => new Promise<IngestJobResult>((resolve) => (release = resolve)), { concurrency: 1 });
    const { id } = await crashed.enqueue(await upload(markdownManual("Guide", "revived"), "guide", "guide.md"));
    await waitFor(async () => (await crashed.get(id))?.state === "active", 5000, "the job to start");

    const restarted = openQueue();
    restarted.start(counting().processor, { concurrency: 1 });
    const info = await finished(restarted, id);
    expect(info).toMatchObject({ state: "completed", attempts: 2 });
    release({ documents: 0, chunks: 0, embedded: 0, unchanged: 0, documentIds: ["bogus"] });
    await new Promise((r) => setTimeout(r, 50));
    expect((await restarted.get(id))?.result?.documentIds).toEqual(["guide"]);
  });
});
