import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, utimesSync } from "node:fs";
import { BullMqJobQueue } from "../../src/adapters/bullmq-queue.js";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import { openJobLedger } from "../../src/adapters/sqlite-job-ledger.js";
import { SqliteJobQueue } from "../../src/adapters/sqlite-job-queue.js";
import type { Engine } from "../../src/container.js";
import type { JobLedger } from "../../src/ports/job-ledger.js";
import { reconcileJobs, LOST_BY_QUEUE } from "../../src/jobs/reconcile.js";
import { openTestEngine } from "../support/temp-engine.js";
import { REDIS_URL, jobData, markdownManual, uniqueQueueName } from "./support/helpers.js";

let engine: Engine;
let cleanupEngine: () => Promise<void>;
let uploads: FileUploadStore;
let ledgerDb: { ledger: JobLedger; close(): void };

beforeEach(async () => {
  ({ engine, cleanup: cleanupEngine } = await openTestEngine());
  uploads = new FileUploadStore(engine.dataDir);
  ledgerDb = openJobLedger(engine.dataDir);
});
afterEach(async () => {
  ledgerDb.close();
  await cleanupEngine();
});

describe("job reconciliation", () => {
  it("after Redis lost its jobs: lost jobs fail with the reason, their uploads are re-queued, stray uploads removed", async () => {
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, queueName: uniqueQueueName(), uploads, ledger: ledgerDb.ledger });
    try {
      const lostUpload = await uploads.save(markdownManual("Lost", "lost"), "lost.md");
      const lost = await queue.enqueue(jobData(lostUpload, "lost", "lost.md"));
      const goneUpload = await uploads.save(markdownManual("Gone", "gone"), "gone.md");
      const gone = await queue.enqueue(jobData(goneUpload, "gone", "gone.md"));
      // What a Redis restart without persistence leaves: the queue is empty, the uploads are still on disk.
      await queue.bullQueue.obliterate({ force: true });
      await uploads.remove(goneUpload.path);
      const stray = await uploads.save(Buffer.from("never queued"), "stray.txt");
      // Older than any grace: a file's mtime has sub-millisecond precision, so one saved in the same millisecond as
      // the reconciliation's cutoff (graceMs 0) could count as fresh.
      const minuteAgo = new Date(Date.now() - 60_000);
      utimesSync(stray.path, minuteAgo, minuteAgo);
      const report = await reconcileJobs({ queue, ledger: ledgerDb.ledger, uploads, graceMs: 0 });
      expect(report).toMatchObject({ lost: 2, requeued: 1, removedUploads: 1 });
      expect(existsSync(stray.path)).toBe(false);
      expect(existsSync(lostUpload.path)).toBe(true);
      expect(await queue.expired(gone.id)).toMatchObject({ state: "failed", error: expect.stringContaining(LOST_BY_QUEUE) });
      expect(await queue.expired(lost.id)).toMatchObject({ state: "failed", error: expect.stringContaining("re-queued as job") });
      const requeued = (await queue.list()).filter((j) => j.documentId === "lost");
      expect(requeued).toHaveLength(1);
      expect(requeued[0]?.state).toBe("waiting");
      // A second pass (or a second API process) changes nothing.
      expect(await reconcileJobs({ queue, ledger: ledgerDb.ledger, uploads, graceMs: 0 })).toMatchObject({ lost: 0, requeued: 0, removedUploads: 0 });
    } finally {
      await queue.bullQueue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("never touches fresh uploads or uploads of jobs still queued (in-process queue)", async () => {
    const queue = new SqliteJobQueue({ dataDir: engine.dataDir, uploads });
    try {
      const queued = await uploads.save(markdownManual("Queued", "queued"), "queued.md");
      await queue.enqueue(jobData(queued, "queued", "queued.md"));
      const fresh = await uploads.save(Buffer.from("being uploaded"), "fresh.txt");
      const old = await uploads.save(Buffer.from("left by a crash"), "old.txt");
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(old.path, hourAgo, hourAgo);
      utimesSync(queued.path, hourAgo, hourAgo);
      const report = await reconcileJobs({ queue, ledger: queue.ledger, uploads, graceMs: 60_000 });
      expect(report).toMatchObject({ lost: 0, requeued: 0, removedUploads: 1 });
      expect(existsSync(queued.path)).toBe(true);
      expect(existsSync(fresh.path)).toBe(true);
      expect(existsSync(old.path)).toBe(false);
    } finally {
      await queue.close();
    }
  });
});
