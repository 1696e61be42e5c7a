import { errorMessage } from "../errors.js";
import type { JobLedger } from "../ports/job-ledger.js";
import type { JobQueue } from "../ports/job-queue.js";
import type { UploadStore } from "../ports/upload-store.js";
import type { JobLogger } from "./job-contract.js";

/** The reason recorded on a job its queue no longer knows although it never finished. */
export const LOST_BY_QUEUE = "lost by the queue (was Redis restarted without persistence?)";

/** Finished jobs stay in the ledger (and answer 410) this long. */
const LEDGER_RETENTION_MS = 30 * 86_400_000;
const BATCH = 500;

export interface ReconcileDeps {
  queue: Pick<JobQueue, "get" | "enqueue" | "pendingUploads">;
  ledger: JobLedger;
  uploads: Pick<UploadStore, "list" | "remove">;
  /**
   * Anything younger than this is left alone: an upload is saved before its job is enqueued, and a job is recorded
   * in the ledger just before the queue accepts it, so a young upload or job may simply be mid-way.
   */
  graceMs: number;
  logger?: JobLogger;
}

export interface ReconcileReport {
  /** Jobs the ledger expected the queue to hold and it did not (now failed with {@link LOST_BY_QUEUE}). */
  lost: number;
  /** Of those, how many had their upload re-queued as a new job. */
  requeued: number;
  /** Uploads no pending job references, removed. */
  removedUploads: number;
}

/**
 * Brings the job ledger, the queue and `uploads/` back into agreement (on start and periodically): a job the queue
 * lost is failed with the reason, and its upload, when still there, is queued again as a new job; an upload no
 * pending job references is removed. Safe to run from several processes at once: marking a job failed is a
 * compare-and-set, so exactly one of them re-queues it, and the queue deduplicates the rest.
 */
export async function reconcileJobs(deps: ReconcileDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { lost: 0, requeued: 0, removedUploads: 0 };
  const cutoff = Date.now() - deps.graceMs;
  const existing = new Set((await deps.uploads.list()).map((u) => u.path));
  for (const entry of await deps.ledger.unfinished(cutoff, BATCH)) {
    if (await deps.queue.get(entry.id)) continue;
    // Claimed first with a placeholder, so that of several reconciling processes only one re-queues the upload.
    if (!(await deps.ledger.failIfUnfinished(entry.id, LOST_BY_QUEUE))) continue;
    report.lost += 1;
    if (!existing.has(entry.data.uploadPath)) {
      deps.logger?.warn({ jobId: entry.id, documentId: entry.documentId }, "job lost by the queue; its upload is gone too");
      continue;
    }
    const again = await deps.queue.enqueue(entry.data);
    await deps.ledger.recordFinished(entry.id, { state: "failed", error: `${LOST_BY_QUEUE}; its upload was re-queued as job ${again.id}` });
    report.requeued += 1;
    deps.logger?.warn({ jobId: entry.id, requeuedAs: again.id, documentId: entry.documentId }, "job lost by the queue; re-queued");
  }
  report.removedUploads = await removeOrphanUploads(deps, cutoff);
  await deps.ledger.prune(Date.now() - LEDGER_RETENTION_MS);
  return report;
}

async function removeOrphanUploads(deps: ReconcileDeps, cutoff: number): Promise<number> {
  // Read after the re-queueing above, so uploads just handed back to the queue count as pending.
  const pending = await deps.queue.pendingUploads();
  let removed = 0;
  for (const upload of await deps.uploads.list()) {
    if (upload.modifiedAt >= cutoff || pending.has(upload.path)) continue;
    // A job accepted but not yet visible in the queue (ledger first, then queue) still owns its upload.
    if ((await deps.ledger.findByUpload(upload.path))?.state === "waiting") continue;
    await deps.uploads.remove(upload.path);
    removed += 1;
  }
  if (removed > 0) deps.logger?.warn({ removed }, "removed uploads that no job references");
  return removed;
}

/** Runs {@link reconcileJobs} now and every `intervalMs`; errors are logged and remembered for /readyz. */
export function startReconciliation(deps: ReconcileDeps, intervalMs: number): { healthy(): boolean; close(): Promise<void> } {
  let ok = true;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = reconcileJobs(deps).then(
      () => void (ok = true),
      (err: unknown) => {
        ok = false;
        deps.logger?.error({ err: errorMessage(err) }, "job reconciliation failed");
      },
    );
  };
  run();
  const timer = setInterval(() => void running.then(run), intervalMs);
  timer.unref();
  return {
    healthy: () => ok,
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
