import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BullMqJobQueue, startBullMqWorker, type BullMqWorkerOptions } from "../../src/adapters/bullmq-queue.js";
import { openJobLedger } from "../../src/adapters/sqlite-job-ledger.js";
import type { JobLedger } from "../../src/ports/job-ledger.js";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import type { Engine } from "../../src/container.js";
import type { IngestJobData, JobProcessor } from "../../src/ports/job-queue.js";
import { engineIngestJobs } from "../../ingest/engine-jobs.js";
import { openTestEngine } from "../support/temp-engine.js";
import { REDIS_URL, countingProcessor, uniqueQueueName, waitFor } from "./support/helpers.js";

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

describe("BullMQ job queue", () => {
  it("fails a malformed payload without retry", async () => {
    startWorker(counting().processor);
    const job = await queue.bullQueue.add("junk", { uploadPath: 42 } as unknown as IngestJobData);
    const info = await waitFor(async () => ((await job.isFailed()) ? queue.bullQueue.getJob(job.id ?? "") : undefined));
    expect(info?.failedReason).toMatch(/malformed job payload/);
    expect(info?.attemptsMade).toBe(1);
  });
});
