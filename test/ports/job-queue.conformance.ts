// The behaviour both job queues (BullMQ, in-process SQLite) must share, as one suite run against each adapter.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import { createAnswering, type Engine } from "../../src/container.js";
import type { JobLedger } from "../../src/ports/job-ledger.js";
import type { IngestJobData, IngestJobResult, JobInfo, JobProcessor, JobQueue } from "../../src/ports/job-queue.js";
import { analyze } from "../../src/text/analyzer.js";
import { engineIngestJobs } from "../../ingest/engine-jobs.js";
import { openTestEngine } from "../support/temp-engine.js";
import { countingProcessor, elfBytes, jobData, markdownManual, waitFor } from "../jobs/support/helpers.js";

/** One adapter under test: its queue, the ledger it writes, and how to run and prune its jobs. */
export interface QueueUnderTest {
  queue: JobQueue;
  ledger: JobLedger;
  /**
   * Starts running jobs (one at a time) with `processor`. Called again, starts another runner on the same queue (another
   * worker, or a runner in another process over the same DATA_DIR).
   */
  run(processor: JobProcessor, options?: { onRetriesExhausted?: (data: IngestJobData, err: unknown) => Promise<void> }): void;
  /** Drops finished jobs as the queue's retention eventually does. */
  pruneFinished(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the adapter under test over a fresh engine. Every case runs with a retry policy of `attempts` runs per job
 * and a first backoff of `backoffMs` (short, so retry cases finish quickly on either queue).
 */
export type JobQueueFactory = (context: { engine: Engine; uploads: FileUploadStore; attempts: number; backoffMs: number }) => Promise<QueueUnderTest>;

/** Retry policy every adapter is opened with in the suite. */
const ATTEMPTS = 3;
const BACKOFF_MS = 50;

/**
 * Registers the behaviour every JobQueue implementation must share (states, progress, deduplication, retries,
 * cancellation, the ledger) for one adapter; adapter-specific cases (crash recovery) stay in the adapter's own file.
 */
export function describeJobQueue(name: string, open: JobQueueFactory): void {
  describe(`${name}: job queue conformance`, () => {
    let engine: Engine;
    let cleanupEngine: () => Promise<void>;
    let uploads: FileUploadStore;
    let subject: QueueUnderTest;
    let queue: JobQueue;

    beforeEach(async () => {
      ({ engine, cleanup: cleanupEngine } = await openTestEngine());
      uploads = new FileUploadStore(engine.dataDir);
      subject = await open({ engine, uploads, attempts: ATTEMPTS, backoffMs: BACKOFF_MS });
      queue = subject.queue;
    });
    afterEach(async () => {
      await subject.close();
      await cleanupEngine();
    });

    /** The engine's real processor, counting runs per document and recording reported progress. */
    function counting(): ReturnType<typeof countingProcessor> {
      return countingProcessor(engineIngestJobs(engine, uploads).processor);
    }

    async function upload(bytes: Buffer, documentId: string, fileName: string, collection = "default"): Promise<IngestJobData> {
      return jobData(await uploads.save(bytes, fileName), documentId, fileName, collection);
    }

    function finished(id: string): Promise<JobInfo> {
      return waitFor(async () => {
        const info = await queue.get(id);
        return info && (info.state === "completed" || info.state === "failed") ? info : undefined;
      }, 10_000, `job ${id} to finish`);
    }

    it("runs an upload to completion with progress; the document is searchable and cited, the upload gone", async () => {
      const { processor, progress } = counting();
      subject.run(processor);
      const data = await upload(markdownManual("Lumio Hub Guide", "quasarflux"), "guides/hub", "hub.md");
      const { id, deduplicated } = await queue.enqueue(data);
      expect(deduplicated).toBe(false);
      const info = await finished(id);
      expect(info).toMatchObject({ id, documentId: "guides/hub", fileName: "hub.md", collection: "default", state: "completed", progress: 100, attempts: 1 });
      expect(info.result?.documentIds).toEqual(["guides/hub"]);
      expect(info.finishedAt).toBeDefined();
      expect(progress.slice(0, 2)).toEqual([10, 30]);
      expect(progress.at(-1)).toBe(100);
      expect(existsSync(data.uploadPath)).toBe(false);
      const answer = await (await createAnswering(engine)).answer({ question: "What is the quasarflux procedure step 3?" });
      expect(answer.citations.map((c) => c.documentId)).toContain("guides/hub");
      expect((await queue.list({ state: "completed" })).map((j) => j.id)).toEqual([id]);
      expect(await queue.counts()).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0, delayed: 0 });
    });

    it("deduplicates while queued (same collection, document and content); re-uploads after completion and changes run", async () => {
      const { processor, runs } = counting();
      const bytes = markdownManual("Guide", "dedup");
      const first = await upload(bytes, "guide", "guide.md");
      const second = await upload(bytes, "guide", "guide.md");
      const a = await queue.enqueue(first);
      expect(await queue.enqueue(second)).toEqual({ id: a.id, deduplicated: true });
      expect(existsSync(second.uploadPath)).toBe(false);
      expect(existsSync(first.uploadPath)).toBe(true);
      // Same id and content in another collection is another document: its own job (cancelled again before it runs).
      expect((await queue.enqueue(await upload(bytes, "guide", "guide.md", "other"))).deduplicated).toBe(false);
      expect(await queue.cancelForDocument("other", "guide")).toBe(1);

      subject.run(processor);
      expect((await finished(a.id)).state).toBe("completed");
      const again = await queue.enqueue(await upload(bytes, "guide", "guide.md"));
      expect(again.deduplicated).toBe(false);
      expect((await finished(again.id)).result?.unchanged).toBe(1);
      const changed = await queue.enqueue(await upload(markdownManual("Guide", "revised", 3000), "guide", "guide.md"));
      expect((await finished(changed.id)).result?.unchanged).toBe(0);
      expect(runs.get("guide")).toBe(3);
    });

    it("fails bad input at once: listed as failed, upload removed, document row failed with the reason", async () => {
      const { processor, runs } = counting();
      subject.run(processor);
      const bad = await upload(elfBytes(), "manual", "manual.pdf");
      const { id } = await queue.enqueue(bad);
      const info = await finished(id);
      expect(info).toMatchObject({ state: "failed", attempts: 1 });
      expect(info.error).toMatch(/ELF/);
      expect(runs.get("manual")).toBe(1);
      expect((await queue.list({ state: "failed" })).map((j) => j.id)).toEqual([id]);
      expect(existsSync(bad.uploadPath)).toBe(false);
      expect(await engine.store.getDocument("default", "manual")).toMatchObject({ status: "failed", chunkCount: 0 });
      expect(await engine.store.allChunkIds()).toEqual([]);
    });

    it("retries a transient failure with backoff (delayed, upload kept) and completes", async () => {
      const { processor } = counting();
      let calls = 0;
      subject.run(async (data, progress) => {
        calls += 1;
        if (calls === 1) throw new Error("embedding endpoint timed out");
        return processor(data, progress);
      });
      const data = await upload(markdownManual("Guide", "flaky"), "guide", "guide.md");
      const { id } = await queue.enqueue(data);
      await waitFor(async () => (await queue.get(id))?.state === "delayed", 5000, "the job to back off");
      expect(existsSync(data.uploadPath)).toBe(true);
      expect((await queue.get(id))?.error).toMatch(/timed out/);
      const info = await finished(id);
      expect(info).toMatchObject({ state: "completed", attempts: 2 });
      expect(info.error).toBeUndefined();
      expect(existsSync(data.uploadPath)).toBe(false);
    });

    it("cancelForDocument removes the document's waiting jobs and uploads, only in the named collection", async () => {
      const mine = await upload(markdownManual("Mine", "a"), "mine", "mine.md");
      const theirs = await upload(markdownManual("Theirs", "b"), "mine", "mine.md", "secret");
      const m = await queue.enqueue(mine);
      const t = await queue.enqueue(theirs);
      expect(await queue.cancelForDocument("default", "mine")).toBe(1);
      expect(await queue.get(m.id)).toBeUndefined();
      expect(await queue.expired(m.id)).toBeUndefined();
      expect((await queue.get(t.id))?.state).toBe("waiting");
      expect(existsSync(mine.uploadPath)).toBe(false);
      expect(existsSync(theirs.uploadPath)).toBe(true);
      expect(await queue.cancelForDocument("default", "mine")).toBe(0);
      expect([...(await queue.pendingUploads())]).toEqual([theirs.uploadPath]);
      // Cancelling released the deduplication key.
      expect((await queue.enqueue(await upload(markdownManual("Mine", "a"), "mine", "mine.md"))).deduplicated).toBe(false);
    });

    it("a finished job's final state outlives the queue's pruning (the job ledger)", async () => {
      subject.run(counting().processor);
      const ok = await queue.enqueue(await upload(markdownManual("Guide", "ledger"), "guide", "guide.md"));
      const bad = await queue.enqueue(await upload(elfBytes(), "manual", "manual.pdf"));
      await finished(ok.id);
      await finished(bad.id);
      expect(await queue.expired(ok.id)).toBeUndefined();
      await subject.pruneFinished();
      expect(await queue.get(ok.id)).toBeUndefined();
      expect(await queue.expired(ok.id)).toMatchObject({ id: ok.id, collection: "default", documentId: "guide", state: "completed" });
      expect(Date.parse((await queue.expired(ok.id))?.finishedAt ?? "")).not.toBeNaN();
      expect(await queue.expired(bad.id)).toMatchObject({ state: "failed", error: expect.stringMatching(/ELF/) });
      expect(await queue.expired("no-such-job")).toBeUndefined();
    });

    it("a job the ledger holds as completed is never run again", async () => {
      const { processor, runs } = counting();
      const { id } = await queue.enqueue(await upload(markdownManual("Guide", "once"), "guide", "guide.md"));
      const result: IngestJobResult = { documents: 1, chunks: 3, embedded: 3, unchanged: 0, documentIds: ["guide"] };
      await subject.ledger.recordFinished(id, { state: "completed", result });
      subject.run(processor);
      expect(await finished(id)).toMatchObject({ state: "completed", result: { chunks: 3 } });
      expect(runs.get("guide")).toBeUndefined();
    });

    it("gives up after the configured attempts: failed with the last error, the final clean-up run once", async () => {
      const exhausted: string[] = [];
      let calls = 0;
      subject.run(async () => {
        calls += 1;
        throw new Error("endpoint down");
      }, { onRetriesExhausted: async (data) => void exhausted.push(data.documentId) });
      const { id } = await queue.enqueue(await upload(markdownManual("Guide", "exhausted"), "guide", "guide.md"));
      const info = await finished(id);
      expect(info).toMatchObject({ state: "failed", attempts: ATTEMPTS, error: "endpoint down" });
      expect(calls).toBe(ATTEMPTS);
      expect(exhausted).toEqual(["guide"]);
      expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 1 });
    });
    it("two runners on one queue run every job exactly once, and both take part", async () => {
      const runs = new Map<string, number>();
      const byRunner = [0, 0];
      const fake = (r: number): JobProcessor => async (data) => {
        runs.set(data.documentId, (runs.get(data.documentId) ?? 0) + 1);
        byRunner[r]! += 1;
        await new Promise((resolve) => setTimeout(resolve, 40));
        return { documents: 1, chunks: 1, embedded: 1, unchanged: 0, documentIds: [data.documentId] };
      };
      subject.run(fake(0));
      subject.run(fake(1));
      const ids: string[] = [];
      for (let i = 0; i < 16; i++) ids.push((await queue.enqueue(await upload(Buffer.from(`doc ${i}`), `doc-${i}`, `doc-${i}.txt`))).id);
      for (const id of ids) expect((await finished(id)).state).toBe("completed");
      expect(runs.size).toBe(16);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(byRunner[0]).toBeGreaterThan(0);
      expect(byRunner[1]).toBeGreaterThan(0);
    });
  });
}
