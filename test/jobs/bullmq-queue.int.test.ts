import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { BullMqJobQueue, startBullMqWorker, type BullMqWorkerOptions } from "../../src/adapters/bullmq-queue.js";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import { createAnswering, type Engine } from "../../src/container.js";
import type { IngestJobData, JobInfo, JobProcessor } from "../../src/ports/job-queue.js";
import { analyze } from "../../src/text/analyzer.js";
import { engineIngestJobs } from "../../ingest/processor.js";
import { openTestEngine } from "../support/temp-engine.js";
import { REDIS_URL, elfBytes, jobData, markdownManual, uniqueQueueName, waitFor } from "./support/helpers.js";

let engine: Engine;
let cleanupEngine: () => Promise<void>;
let uploads: FileUploadStore;
let queueName: string;
let queue: BullMqJobQueue;
const workers: Array<{ close(): Promise<void> }> = [];

beforeEach(async () => {
  ({ engine, cleanup: cleanupEngine } = await openTestEngine());
  uploads = new FileUploadStore(engine.dataDir);
  queueName = uniqueQueueName();
  queue = new BullMqJobQueue({ redisUrl: REDIS_URL, queueName, uploads });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await queue.bullQueue.obliterate({ force: true });
  await queue.close();
  await cleanupEngine();
});

function startWorker(processor: JobProcessor, extra: Partial<BullMqWorkerOptions> = {}): void {
  workers.push(startBullMqWorker({ redisUrl: REDIS_URL, queueName, concurrency: 1, processor, ...extra }));
}

/** The engine's real processor, counting runs per document and recording reported progress. */
function countingProcessor(): { processor: JobProcessor; runs: Map<string, number>; progress: number[] } {
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

function finished(id: string, timeoutMs = 10_000): Promise<JobInfo> {
  return waitFor(async () => {
    const info = await queue.get(id);
    return info && (info.state === "completed" || info.state === "failed") ? info : undefined;
  }, timeoutMs, `job ${id} to finish`);
}

describe("BullMQ job queue", () => {
  it("runs an uploaded document to completion with progress, after which it is searchable and cited", async () => {
    const { processor, progress } = countingProcessor();
    startWorker(processor);
    const data = await upload(markdownManual("Lumio Hub Guide", "quasarflux"), "guides/hub", "hub.md");
    const { id, deduplicated } = await queue.enqueue(data);
    expect(deduplicated).toBe(false);
    const info = await finished(id);
    expect(info).toMatchObject({ id, documentId: "guides/hub", fileName: "hub.md", state: "completed", progress: 100, attempts: 1 });
    expect(info.result?.documentIds).toEqual(["guides/hub"]);
    expect(info.finishedAt).toBeDefined();
    expect(progress.slice(0, 2)).toEqual([10, 30]);
    expect(progress.at(-1)).toBe(100);
    expect(existsSync(data.uploadPath)).toBe(false);

    const hits = engine.store.searchBm25(analyze("quasarflux procedure"), 5);
    expect(engine.store.getChunks(hits.map((h) => h.label)).map((c) => c.documentId)).toContain("guides/hub");
    const answering = await createAnswering(engine);
    const answer = await answering.answer({ question: "What is the quasarflux procedure step 3?" });
    expect(answer.citations.map((c) => c.documentId)).toContain("guides/hub");
    expect((await queue.list({ state: "completed" })).map((j) => j.id)).toEqual([id]);
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0, delayed: 0 });
  });

  it("deduplicates an identical upload while queued, but processes a re-upload after completion and a changed upload", async () => {
    const { processor, runs } = countingProcessor();
    const bytes = markdownManual("Guide", "dedup");
    const first = await upload(bytes, "guide", "guide.md");
    const second = await upload(bytes, "guide", "guide.md");
    const a = await queue.enqueue(first);
    const b = await queue.enqueue(second);
    expect(b).toEqual({ id: a.id, deduplicated: true });
    expect(existsSync(second.uploadPath)).toBe(false);
    expect(existsSync(first.uploadPath)).toBe(true);
    expect((await queue.counts()).waiting).toBe(1);

    startWorker(processor);
    expect((await finished(a.id)).state).toBe("completed");
    expect(runs.get("guide")).toBe(1);

    // BullMQ released the deduplication key on completion: the same content again is a new job (a no-op ingest).
    const again = await queue.enqueue(await upload(bytes, "guide", "guide.md"));
    expect(again.deduplicated).toBe(false);
    expect(again.id).not.toBe(a.id);
    const againInfo = await finished(again.id);
    expect(againInfo.result?.unchanged).toBe(1);
    expect(runs.get("guide")).toBe(2);

    const changed = await queue.enqueue(await upload(markdownManual("Guide", "revised", 3000), "guide", "guide.md"));
    expect(changed.deduplicated).toBe(false);
    const changedInfo = await finished(changed.id);
    expect(changedInfo.result?.unchanged).toBe(0);
    expect(runs.get("guide")).toBe(3);
    expect(engine.store.searchBm25(analyze("revised"), 3).length).toBeGreaterThan(0);
  });

  it("fails bad input at once (no retry), lists it as failed, removes the upload and marks only the document", async () => {
    const { processor, runs } = countingProcessor();
    startWorker(processor);
    const good = await queue.enqueue(await upload(markdownManual("Good", "fine"), "good", "good.md"));
    await finished(good.id);
    const labels = engine.store.allLabels();

    const bad = await upload(elfBytes(), "manual", "manual.pdf");
    const { id } = await queue.enqueue(bad);
    const info = await finished(id);
    expect(info.state).toBe("failed");
    expect(info.attempts).toBe(1);
    expect(info.error).toMatch(/ELF/);
    expect(runs.get("manual")).toBe(1);
    expect((await queue.list({ state: "failed" })).map((j) => j.id)).toEqual([id]);
    expect(existsSync(bad.uploadPath)).toBe(false);
    expect(engine.store.allLabels()).toEqual(labels);
    expect(engine.store.listDocuments().map((d) => [d.id, d.status]).sort()).toEqual([["good", "ready"], ["manual", "failed"]]);
    expect(engine.store.getDocument("default", "manual")?.lastError).toMatch(/ELF/);

    // The failure released the deduplication key too: the same upload again is a new job.
    const retry = await queue.enqueue(await upload(elfBytes(), "manual", "manual.pdf"));
    expect(retry.deduplicated).toBe(false);
    expect((await finished(retry.id)).state).toBe("failed");
  });

  it("fails a malformed payload without retry", async () => {
    startWorker(countingProcessor().processor);
    const job = await queue.bullQueue.add("junk", { uploadPath: 42 } as unknown as IngestJobData);
    const info = await waitFor(async () => ((await job.isFailed()) ? queue.bullQueue.getJob(job.id ?? "") : undefined));
    expect(info?.failedReason).toMatch(/malformed job payload/);
    expect(info?.attemptsMade).toBe(1);
  });

  it("retries a transient failure with backoff and completes", async () => {
    const { processor } = countingProcessor();
    let calls = 0;
    startWorker(async (data, progress) => {
      calls += 1;
      if (calls === 1) throw new Error("embedding endpoint timed out");
      return processor(data, progress);
    });
    const data = await upload(markdownManual("Guide", "flaky"), "guide", "guide.md");
    const { id } = await queue.enqueue(data);
    await waitFor(async () => (await queue.get(id))?.state === "delayed", 5000, "the job to back off");
    expect(existsSync(data.uploadPath)).toBe(true);
    const info = await finished(id);
    expect(info.state).toBe("completed");
    expect(info.attempts).toBe(2);
    expect(calls).toBe(2);
    expect(existsSync(data.uploadPath)).toBe(false);
  });

  it("cleans up once retries are exhausted", async () => {
    const exhausted: string[] = [];
    startWorker(async () => Promise.reject(new Error("endpoint down")), {
      onRetriesExhausted: async (data) => void exhausted.push(data.documentId),
    });
    const job = await queue.bullQueue.add("guide", await upload(markdownManual("G", "x"), "guide", "guide.md"), { attempts: 2, backoff: 10 });
    const info = await finished(job.id ?? "");
    expect(info.state).toBe("failed");
    expect(info.attempts).toBe(2);
    expect(exhausted).toEqual(["guide"]);
  });

  it("cancelForDocument removes that document's waiting jobs and their uploads", async () => {
    const mine = await upload(markdownManual("Mine", "a"), "mine", "mine.md");
    const other = await upload(markdownManual("Other", "b"), "other", "other.md");
    const m = await queue.enqueue(mine);
    const o = await queue.enqueue(other);
    expect(await queue.cancelForDocument("default", "mine")).toBe(1);
    expect(await queue.get(m.id)).toBeUndefined();
    expect((await queue.get(o.id))?.state).toBe("waiting");
    expect(existsSync(mine.uploadPath)).toBe(false);
    expect(await queue.cancelForDocument("default", "mine")).toBe(0);
    // Removing the job released its deduplication key.
    expect((await queue.enqueue(await upload(markdownManual("Mine", "a"), "mine", "mine.md"))).deduplicated).toBe(false);
  });

  it("two workers on one queue run every job exactly once", async () => {
    const runs = new Map<string, number>();
    const byWorker = [0, 0];
    const fake = (w: number): JobProcessor => async (data) => {
      runs.set(data.documentId, (runs.get(data.documentId) ?? 0) + 1);
      byWorker[w]! += 1;
      await new Promise((r) => setTimeout(r, 40));
      return { documents: 1, chunks: 1, embedded: 1, unchanged: 0, documentIds: [data.documentId] };
    };
    startWorker(fake(0));
    startWorker(fake(1));
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) ids.push((await queue.enqueue(await upload(Buffer.from(`doc ${i}`), `doc-${i}`, `doc-${i}.txt`))).id);
    for (const id of ids) expect((await finished(id)).state).toBe("completed");
    expect(runs.size).toBe(16);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(byWorker[0]).toBeGreaterThan(0);
    expect(byWorker[1]).toBeGreaterThan(0);
  });
});
