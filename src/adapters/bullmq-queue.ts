import { randomUUID } from "node:crypto";
import { Queue, type JobType } from "bullmq";
import type { Redis } from "ioredis";
import { TransientError, errorMessage } from "../errors.js";
import type { EnqueueResult, ExpiredJob, IngestJobData, IngestJobResult, JobInfo, JobQueue, JobState } from "../ports/job-queue.js";
import type { JobLedger } from "../ports/job-ledger.js";
import type { UploadStore } from "../ports/upload-store.js";
import { crashedTooOftenMessage } from "../jobs/job-contract.js";
import { expiredFromLedger } from "../jobs/expired-job.js";
import { CRASH_REASONS, DEFAULT_JOB_OPTIONS, crashCount, redisConnection, type IngestJob } from "./bullmq-common.js";

export { DEFAULT_JOB_OPTIONS, redisConnection } from "./bullmq-common.js";
// The worker lives in its own module; re-exported so callers keep one import for the BullMQ transport.
export { startBullMqWorker, type BullMqWorkerOptions } from "./bullmq-worker.js";

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
/** BullMQ deduplication id: one live job per document (collection and id) and upload content. */
export function deduplicationId(data: Pick<IngestJobData, "collection" | "documentId" | "contentHash">): string {
  return `${data.collection}:${data.documentId}:${data.contentHash}`;
}
/** Where the queue lives and what it may clean up. */
export interface BullMqJobQueueOptions {
  redisUrl: string;
  queueName: string;
  /** When given, uploads of jobs the queue discards (deduplicated enqueues, cancelled jobs) are removed. */
  uploads?: Pick<UploadStore, "remove">;
  /** Longest wait for Redis per call before it fails as unavailable (default 5000 ms). */
  timeoutMs?: number;
  /** Where accepted jobs and final states are recorded, so they outlive BullMQ's pruning and a Redis flush. */
  ledger?: JobLedger;
  /** Runs per job before a transient failure is final (default 5). */
  attempts?: number;
  /** First retry delay; doubles per attempt (default 1000 ms). */
  backoffMs?: number;
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
      defaultJobOptions: {
        ...DEFAULT_JOB_OPTIONS,
        attempts: options.attempts ?? DEFAULT_JOB_OPTIONS.attempts,
        backoff: { ...DEFAULT_JOB_OPTIONS.backoff, delay: options.backoffMs ?? DEFAULT_JOB_OPTIONS.backoff.delay },
      },
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
    const ledger = this.options.ledger;
    // Recorded first: a job Redis accepted but the ledger did not know could never be reconciled.
    await ledger?.recordAccepted(jobId, data);
    let job: IngestJob;
    try {
      job = await this.call(() => this.queue.add(data.documentId, data, { jobId, deduplication: { id: deduplicationId(data) } }));
    } catch (err) {
      await ledger?.forget(jobId).catch(() => undefined);
      throw err;
    }
    // BullMQ hands back the job already holding the deduplication key instead of adding ours.
    const deduplicated = job.id !== jobId;
    if (deduplicated) {
      await ledger?.forget(jobId);
      await this.options.uploads?.remove(data.uploadPath);
    }
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
      if (job.id) await this.options.ledger?.forget(job.id);
      await this.options.uploads?.remove(job.data.uploadPath);
    }
    return removed;
  }

  async pendingUploads(): Promise<ReadonlySet<string>> {
    const paths = new Set<string>();
    for (const state of ["waiting", "delayed", "active"] as const) {
      for (let start = 0; ; start += PAGE) {
        const jobs = await this.call(() => this.queue.getJobs(BULL_TYPES[state], start, start + PAGE - 1, true));
        for (const job of jobs) if (typeof job.data?.uploadPath === "string") paths.add(job.data.uploadPath);
        if (jobs.length < PAGE) break;
      }
    }
    return paths;
  }

  async expired(id: string): Promise<ExpiredJob | undefined> {
    const ledger = this.options.ledger;
    if (!ledger) return undefined;
    if (await this.call(() => this.queue.getJob(id))) return undefined;
    return expiredFromLedger(ledger, id);
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
    ...(job.failedReason && state !== "completed" ? { error: describeFailure(job) } : {}),
    createdAt: new Date(job.timestamp).toISOString(),
    ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
  };
}

/** BullMQ's terse crash reasons, said the way our own runner says them. */
function describeFailure(job: IngestJob): string {
  return CRASH_REASONS.test(job.failedReason) ? crashedTooOftenMessage(crashCount(job)) : job.failedReason;
}

function fromBullState(state: string): JobState | undefined {
  return STATES.find((s) => (BULL_TYPES[s] as string[]).includes(state));
}
