import type { IngestJobData, IngestJobResult, JobState } from "./job-queue.js";

/** A job's entry in the ledger: what was accepted and, once known, how it ended. */
export interface LedgerEntry {
  id: string;
  collection: string;
  documentId: string;
  fileName: string;
  /** `waiting` until the job finished (the ledger does not follow progress), then its final state. */
  state: Extract<JobState, "waiting" | "completed" | "failed">;
  data: IngestJobData;
  result?: IngestJobResult;
  error?: string;
  createdAt: string;
  finishedAt?: string;
}

/** Final outcome of a job. */
export type FinalJobState = { state: "completed"; result: IngestJobResult } | { state: "failed"; error: string };

/**
 * The durable record of accepted jobs and their final states. It outlives the queue's own retention (BullMQ and
 * the in-process queue prune finished jobs) and a queue that lost its data (Redis restarted without persistence):
 * `GET /jobs/:id` answers an expired job's final state from it, reconciliation re-queues or fails what the queue
 * lost, and a runner consults it so a job already completed is never run again. Async so a shared database (PostgreSQL,
 * for workers on several machines) fits as well as the in-process queue's SQLite table.
 */
export interface JobLedger {
  /** Records an accepted job (before it is handed to the queue). */
  recordAccepted(id: string, data: IngestJobData, createdAt?: number): Promise<void>;
  /** Records the final state; a later record for the same job overwrites it (a completed job stays completed). */
  recordFinished(id: string, final: FinalJobState, finishedAt?: number): Promise<void>;
  get(id: string): Promise<LedgerEntry | undefined>;
  /** Jobs still recorded as waiting, accepted before `acceptedBefore` (epoch ms), oldest first. */
  unfinished(acceptedBefore: number, limit: number): Promise<LedgerEntry[]>;
  /** The unfinished job that references this upload, if any. */
  findByUpload(uploadPath: string): Promise<LedgerEntry | undefined>;
  /** Marks an unfinished job failed; false when it had finished meanwhile (another process got there first). */
  failIfUnfinished(id: string, error: string): Promise<boolean>;
  /** Forgets a job that never was (deduplicated or cancelled before it ran). */
  forget(id: string): Promise<void>;
  /** Forgets finished jobs that ended before `before` (epoch ms). Returns how many. */
  prune(before: number): Promise<number>;
}
