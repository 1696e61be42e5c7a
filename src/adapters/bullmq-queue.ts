import { randomUUID } from "node:crypto";
import { Queue, UnrecoverableError, Worker, type Job, type JobType } from "bullmq";
import { Redis } from "ioredis";
import { TransientError, errorMessage } from "../errors.js";
import type { EnqueueResult, IngestJobData, IngestJobResult, JobInfo, JobProcessor, JobQueue, JobState } from "../ports/job-queue.js";
import type { UploadStore } from "../ports/upload-store.js";
import { ingestJobDataSchema, isPermanentFailure, type JobLogger } from "../jobs/job-contract.js";

type IngestJob = Job<IngestJobData, IngestJobResult, string>;

/** Job options every ingestion job gets: retries with exponential backoff, failed jobs kept for inspection. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: { age: 86_400, count: 1000 },
  removeOnFail: false,
} as const;

/** BullMQ's names for each of our states ("prioritized" jobs are waiting too). */
const BULL_TYPES: Record<JobState, JobType[]> = {
  waiting: ["waiting", "prioritized", "waiting-children"],
  active: ["active"],
  completed: ["completed"],
  failed: ["failed"],
  delayed: ["delayed"],
};
const STATES = Object.keys(BULL_TYPES) as JobState[];
const PAGE = 500;

/** An ioredis connection; BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must not time out). */
export function redisConnection(url: string, role: "queue" | "worker"): Redis {
  // The API side fails fast (a 503) when Redis is down instead of holding requests open.
  return new Redis(url, { maxRetriesPerRequest: role === "worker" ? null : 3 });
}

/** BullMQ deduplication id: one live job per document and upload content. */
export function deduplicationId(data: Pick<IngestJobData, "documentId" | "contentHash">): string {
  return `${data.documentId}:${data.contentHash}`;
}

/** Where the queue lives and what it may clean up. */
export interface BullMqJobQueueOptions {
  redisUrl: string;
  queueName: string;
  /** When given, uploads of jobs the queue discards (deduplicated enqueues, cancelled jobs) are removed. */
  uploads?: Pick<UploadStore, "remove">;
  /** Longest wait for Redis per call before it fails as unavailable (default 5000 ms). */
  timeoutMs?: number;
}

/**
 * BullMQ (Redis) transport for ingestion jobs. Jobs are named by their document id (so a DELETE can find the
 * document's queued jobs) and deduplicated on `documentId:contentHash` with BullMQ's `deduplication` option:
 * without a ttl the key is held while the job waits, runs or backs off, and BullMQ releases it when the job
 * completes, finally fails or is removed, so a later identical upload (a revert, a retry) is processed again.
 */
export class BullMqJobQueue implements JobQueue {
  private readonly connection: Redis;
  private readonly queue: Queue<IngestJobData, IngestJobResult, string>;

  constructor(private readonly options: BullMqJobQueueOptions) {
    this.connection = redisConnection(options.redisUrl, "queue");
    this.queue = new Queue<IngestJobData, IngestJobResult, string>(options.queueName, {
      connection: this.connection,
      defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, backoff: { ...DEFAULT_JOB_OPTIONS.backoff } },
    });
    // Without a listener an 'error' event would be thrown; failures surface on the calls instead.
    this.queue.on("error", () => undefined);
  }

  /** The underlying BullMQ queue (tests obliterate it). */
  get bullQueue(): Queue<IngestJobData, IngestJobResult, string> {
    return this.queue;
  }

  async enqueue(data: IngestJobData): Promise<EnqueueResult> {
    const jobId = randomUUID();
    const job = await this.call(() =>
      this.queue.add(data.documentId, data, { jobId, deduplication: { id: deduplicationId(data) } }),
    );
    // BullMQ hands back the job already holding the deduplication key instead of adding ours.
    const deduplicated = job.id !== jobId;
    if (deduplicated) await this.options.uploads?.remove(data.uploadPath);
    return { id: job.id ?? jobId, deduplicated };
  }

  async get(id: string): Promise<JobInfo | undefined> {
    // State first, then the job: read the other way round, a job finishing in between showed "completed" with the
    // hash read while it was still active (no result). This order can only show a state older than the data.
    const bullState = await this.call(() => this.queue.getJobState(id));
    const job = await this.call(() => this.queue.getJob(id));
    if (!job) return undefined;
    const state = fromBullState(bullState);
    return state ? toJobInfo(job, state) : undefined;
  }

  async list(options: { state?: JobState; limit?: number } = {}): Promise<JobInfo[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const states = options.state ? [options.state] : STATES;
    const infos: JobInfo[] = [];
    for (const state of states) {
      const jobs = await this.call(() => this.queue.getJobs(BULL_TYPES[state], 0, limit - 1, false));
      infos.push(...jobs.map((job) => toJobInfo(job, state)));
    }
    return infos.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  async cancelForDocument(collection: string, documentId: string): Promise<number> {
    const pending: IngestJob[] = [];
    for (const type of ["waiting", "prioritized", "delayed"] as const) {
      for (let start = 0; ; start += PAGE) {
        const jobs = await this.call(() => this.queue.getJobs(type, start, start + PAGE - 1, true));
        pending.push(...jobs.filter((j) => j.name === documentId && j.data.collection === collection));
        if (jobs.length < PAGE) break;
      }
    }
    let removed = 0;
    for (const job of pending) {
      // 0 means the job was picked up (or finished) meanwhile; a running job is not cancelled.
      const code = await this.call(() => this.queue.remove(job.id ?? "")).catch(() => 0);
      if (code !== 1) continue;
      removed += 1;
      await this.options.uploads?.remove(job.data.uploadPath);
    }
    return removed;
  }

  async counts(): Promise<Record<JobState, number>> {
    const raw = await this.call(() => this.queue.getJobCounts(...STATES.flatMap((s) => BULL_TYPES[s])));
    const out = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 };
    for (const state of STATES) for (const type of BULL_TYPES[state]) out[state] += raw[type] ?? 0;
    return out;
  }

  async close(): Promise<void> {
    if (this.connection.status === "ready") {
      await this.queue.close();
      await this.connection.quit().catch(() => undefined);
    } else {
      // BullMQ would wait for a connection that may never come back.
      this.connection.disconnect();
      await this.queue.close().catch(() => undefined);
    }
  }

  /**
   * Runs a Redis operation, failing as unavailable (HTTP 503) on any Redis error or when Redis does not answer in
   * time: BullMQ itself waits for a lost connection indefinitely, which would hold API requests open.
   */
  private async call<T>(op: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.options.timeoutMs ?? 5000;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([op(), timeout]);
    } catch (err) {
      throw new TransientError(`job queue unavailable: ${errorMessage(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}

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
  });
  worker.on("error", (err) => log?.error({ err: errorMessage(err) }, "job worker error"));
  worker.on("completed", (job, result) => log?.info({ jobId: job.id, documentId: job.name, chunks: result.chunks }, "job completed"));
  worker.on("failed", (job, err) =>
    log?.warn({ jobId: job?.id, documentId: job?.name, attempt: job?.attemptsMade, err: err.message }, "job failed"),
  );
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
  try {
    return await options.processor(data, (percent) => job.updateProgress(clampPercent(percent)));
  } catch (err) {
    if (isPermanentFailure(err)) throw new UnrecoverableError(errorMessage(err));
    // Same rule BullMQ applies when deciding whether to retry (attemptsMade counts finished attempts).
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      await options.onRetriesExhausted?.(data, err).catch((e: unknown) =>
        options.logger?.error({ jobId: job.id, err: errorMessage(e) }, "clean-up after final failure failed"),
      );
    }
    throw err;
  }
}

function toJobInfo(job: IngestJob, state: JobState): JobInfo {
  return {
    id: job.id ?? "",
    documentId: job.data.documentId,
    fileName: job.data.fileName,
    collection: job.data.collection,
    state,
    progress: typeof job.progress === "number" ? job.progress : 0,
    attempts: Math.max(job.attemptsMade, job.attemptsStarted),
    ...(state === "completed" && job.returnvalue ? { result: job.returnvalue } : {}),
    // A completed job's failedReason is from an earlier, retried attempt.
    ...(job.failedReason && state !== "completed" ? { error: job.failedReason } : {}),
    createdAt: new Date(job.timestamp).toISOString(),
    ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
  };
}

function fromBullState(state: string): JobState | undefined {
  return STATES.find((s) => (BULL_TYPES[s] as string[]).includes(state));
}

function clampPercent(percent: number): number {
  return Math.max(0, Math.min(100, Math.round(percent)));
}
