import { UnrecoverableError, Worker } from "bullmq";
import { errorMessage } from "../errors.js";
import type { IngestJobData, IngestJobResult, JobProcessor } from "../ports/job-queue.js";
import type { JobLedger } from "../ports/job-ledger.js";
import { crashedTooOftenMessage, ingestJobDataSchema, isPermanentFailure, type JobLogger } from "../jobs/job-contract.js";
import { CRASH_REASONS, DEFAULT_JOB_OPTIONS, crashCount, redisConnection, type IngestJob } from "./bullmq-common.js";

/** A worker's queue, processor and BullMQ lock settings (short locks only in tests). */
export interface BullMqWorkerOptions {
  redisUrl: string;
  queueName: string;
  concurrency: number;
  processor: JobProcessor;
  logger?: JobLogger;
  /** Called once when a job fails on its last allowed attempt with a transient error (final clean-up). */
  onRetriesExhausted?: (data: IngestJobData, err: unknown) => Promise<void>;
  /** Lock time before a silent worker's job counts as stalled (BullMQ default 30 s). */
  lockDuration?: number;
  /** How often stalled jobs are looked for (BullMQ default 30 s). */
  stalledInterval?: number;
  /** Stalls tolerated before a job fails (BullMQ default 1). */
  maxStalledCount?: number;
  /** Job ledger of the DATA_DIR: final states are recorded there, and a job it holds as completed is not run again. */
  ledger?: JobLedger;
}

/**
 * Runs `processor` on the queue's jobs. Permanent failures (bad input, malformed payload) become BullMQ
 * `UnrecoverableError`s so they fail at once; anything else is rethrown and retried with backoff. `close()` waits
 * for running jobs to finish.
 */
export function startBullMqWorker(options: BullMqWorkerOptions): { close(): Promise<void> } {
  const connection = redisConnection(options.redisUrl, "worker");
  const log = options.logger;
  const worker = new Worker<IngestJobData, IngestJobResult, string>(options.queueName, (job) => runJob(job, options), {
    connection,
    concurrency: options.concurrency,
    ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
    ...(options.maxStalledCount !== undefined ? { maxStalledCount: options.maxStalledCount } : {}),
    // Attempts count when a job starts, so a job whose worker dies every time (stalls) cannot loop forever.
    maxStartedAttempts: DEFAULT_JOB_OPTIONS.attempts,
  });
  worker.on("error", (err) => log?.error({ err: errorMessage(err) }, "job worker error"));
  worker.on("completed", (job, result) => log?.info({ jobId: job.id, documentId: job.name, chunks: result.chunks }, "job completed"));
  worker.on("failed", (job, err) => {
    log?.warn({ jobId: job?.id, documentId: job?.name, attempt: job?.attemptsMade, err: err.message }, "job failed");
    if (job && CRASH_REASONS.test(err.message)) void finishCrashed(job, options);
  });
  worker.on("stalled", (jobId) => log?.warn({ jobId }, "job stalled; it will be retried"));
  return {
    close: async () => {
      await worker.close();
      await connection.quit().catch(() => undefined);
    },
  };
}

async function runJob(job: IngestJob, options: BullMqWorkerOptions): Promise<IngestJobResult> {
  const parsed = ingestJobDataSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed job payload: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const data = parsed.data;
  const id = job.id ?? "";
  // A run that completed (and was recorded) before its worker died is delivered again as stalled: never re-run it,
  // its documents may have been deleted since.
  const known = await options.ledger?.get(id);
  if (known?.state === "completed" && known.result) return known.result;
  try {
    const result = await options.processor(data, (percent) => job.updateProgress(clampPercent(percent)));
    await options.ledger?.recordFinished(id, { state: "completed", result });
    return result;
  } catch (err) {
    const message = errorMessage(err);
    if (isPermanentFailure(err)) {
      await options.ledger?.recordFinished(id, { state: "failed", error: message });
      throw new UnrecoverableError(message);
    }
    // Same rule BullMQ applies when deciding whether to retry (attemptsMade counts finished attempts).
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      await options.ledger?.recordFinished(id, { state: "failed", error: message });
      await cleanUp(options, id, data, err);
    }
    throw err;
  }
}

/** Final bookkeeping for a job BullMQ failed because its workers kept dying under it. */
async function finishCrashed(job: IngestJob, options: BullMqWorkerOptions): Promise<void> {
  const message = crashedTooOftenMessage(crashCount(job));
  await options.ledger?.recordFinished(job.id ?? "", { state: "failed", error: message });
  const parsed = ingestJobDataSchema.safeParse(job.data);
  if (parsed.success) await cleanUp(options, job.id ?? "", parsed.data, new Error(message));
}

async function cleanUp(options: BullMqWorkerOptions, id: string, data: IngestJobData, err: unknown): Promise<void> {
  await options.onRetriesExhausted?.(data, err).catch((e: unknown) =>
    options.logger?.error({ jobId: id, err: errorMessage(e) }, "clean-up after final failure failed"),
  );
}

function clampPercent(percent: number): number {
  return Math.max(0, Math.min(100, Math.round(percent)));
}
