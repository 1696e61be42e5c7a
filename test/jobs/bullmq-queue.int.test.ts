import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BullMqJobQueue, startBullMqWorker, type BullMqWorkerOptions } from "../../src/adapters/bullmq-queue.js";
import { openJobLedger } from "../../src/adapters/sqlite-job-ledger.js";
import type { JobLedger } from "../../src/ports/job-ledger.js";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import type { Engine } from "../../src/container.js";
import type { IngestJobData, JobInfo, JobProcessor } from "../../src/ports/job-queue.js";
import { engineIngestJobs } from "../../ingest/engine-jobs.js";
import { openTestEngine } from "../support/temp-engine.js";
import { REDIS_URL, countingProcessor, jobData, uniqueQueueName, waitFor } from "./support/helpers.js";

let engine: Engine;
let cleanupEngine: () => Promise<void>;
let uploads: FileUploadStore;
let queueName: string;
let queue: BullMqJobQueue;
let ledgerDb: { ledger: JobLedger; close(): void };
const workers: Array<{ close(): Promise<void> }> = [];

beforeEach(async () => {
  ({ engine, cleanup: cleanupEngine } = await openTestEngine());
  uploads = new FileUploadStore(engine.dataDir);
  queueName = uniqueQueueName();
  ledgerDb = openJobLedger(engine.dataDir);
  queue = new BullMqJobQueue({ redisUrl: REDIS_URL, queueName, uploads, ledger: ledgerDb.ledger });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await queue.bullQueue.obliterate({ force: true });
  await queue.close();
  ledgerDb.close();
  await cleanupEngine();
});

function startWorker(processor: JobProcessor, extra: Partial<BullMqWorkerOptions> = {}): void {
  workers.push(startBullMqWorker({ redisUrl: REDIS_URL, queueName, concurrency: 1, processor, ledger: ledgerDb.ledger, ...extra }));
}

/** The engine's real processor, counting runs per document and recording reported progress. */
function counting(): ReturnType<typeof countingProcessor> {
  return countingProcessor(engineIngestJobs(engine, uploads).processor);
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
  it("fails a malformed payload without retry", async () => {
    startWorker(counting().processor);
    const job = await queue.bullQueue.add("junk", { uploadPath: 42 } as unknown as IngestJobData);
    const info = await waitFor(async () => ((await job.isFailed()) ? queue.bullQueue.getJob(job.id ?? "") : undefined));
    expect(info?.failedReason).toMatch(/malformed job payload/);
    expect(info?.attemptsMade).toBe(1);
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
