import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { JobLedger } from "../ports/job-ledger.js";
import type { EnqueueResult, ExpiredJob, IngestJobData, IngestJobResult, JobInfo, JobProcessor, JobQueue, JobState } from "../ports/job-queue.js";
import type { UploadStore } from "../ports/upload-store.js";
import { ingestJobDataSchema } from "../jobs/job-contract.js";
import { expiredFromLedger } from "../jobs/expired-job.js";
import { openJobsDatabase } from "./sqlite-jobs-db.js";
import { SqliteJobLedger, SqliteLedgerTable } from "./sqlite-job-ledger.js";
import { SqliteLease } from "./sqlite-lease.js";
import { SqliteJobRunner, type JobRow, type SqliteRunnerOptions } from "./sqlite-job-runner.js";

export type { SqliteRunnerOptions } from "./sqlite-job-runner.js";


const PENDING = "('waiting', 'delayed', 'active')";
const STATES: JobState[] = ["waiting", "active", "completed", "failed", "delayed"];
const COLLECTION = "json_extract(data, '$.collection')";

/** Where jobs.db lives, retry policy and retention. */
export interface SqliteJobQueueOptions {
  dataDir: string;
  /** Runs per job before a transient failure (or a crash) is final (default 5). */
  attempts?: number;
  /** First retry delay; doubles per attempt (default 1000 ms). */
  backoffMs?: number;
  /** How often the runner looks for due jobs besides being woken by enqueue (default 1000 ms). */
  pollMs?: number;
  /** Runner lease: a runner silent this long counts as dead and its active jobs are reclaimed (default 30000 ms). */
  leaseMs?: number;
  /** Completed jobs kept: at most this many, none older than a day (default 1000); the job ledger keeps the rest. */
  keepCompleted?: number;
  /** When given, uploads of jobs the queue discards (deduplicated enqueues, cancelled jobs) are removed. */
  uploads?: Pick<UploadStore, "remove">;
}

/**
 * The embedded job queue (no Redis): jobs persisted in `${dataDir}/jobs.db` and run in-process. Same states and
 * rules as the BullMQ transport: a job identical to one still waiting, backing off or running (same collection,
 * document and content hash) is deduplicated; transient failures retry with exponential backoff (the `delayed`
 * state); bad input fails at once; failed jobs are kept. Every accepted job and its final state is written to the
 * job ledger in the same transaction, so a pruned job still answers its final state. Several API processes may run
 * over one DATA_DIR: see {@link SqliteJobRunner} for how their runners share the jobs.
 */
export class SqliteJobQueue implements JobQueue {
  private readonly db: Database.Database;
  readonly ledger: JobLedger;
  /** The ledger's table on this queue's connection: written in the same transactions as the jobs. */
  private readonly ledgerTable: SqliteLedgerTable;
  private runner: SqliteJobRunner | undefined;
  private closed = false;

  constructor(private readonly options: SqliteJobQueueOptions) {
    // Its tables are created (and old files migrated) by the opener, once, under the write lock.
    this.db = openJobsDatabase(options.dataDir);
    this.ledgerTable = new SqliteLedgerTable(this.db);
    this.ledger = new SqliteJobLedger(this.ledgerTable);
  }

  async enqueue(data: IngestJobData): Promise<EnqueueResult> {
    const outcome = this.db.transaction((): EnqueueResult => {
      const existing = this.db
        .prepare(`SELECT id FROM jobs WHERE document_id = ? AND content_hash = ? AND ${COLLECTION} = ? AND state IN ${PENDING} ORDER BY seq LIMIT 1`)
        .get(data.documentId, data.contentHash, data.collection) as { id: string } | undefined;
      if (existing) return { id: existing.id, deduplicated: true };
      const id = randomUUID();
      const now = Date.now();
      this.db
        .prepare(`INSERT INTO jobs (id, document_id, content_hash, data, state, max_attempts, run_at, created_at)
          VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?)`)
        .run(id, data.documentId, data.contentHash, JSON.stringify(data), this.options.attempts ?? 5, now, now);
      this.ledgerTable.recordAccepted(id, data, now);
      return { id, deduplicated: false };
    }).immediate();
    if (outcome.deduplicated) await this.options.uploads?.remove(data.uploadPath);
    else this.runner?.wake();
    return outcome;
  }

  async get(id: string): Promise<JobInfo | undefined> {
    const row = this.db.prepare("SELECT * FROM jobs WHERE id = ?").get(id) as JobRow | undefined;
    return row ? toJobInfo(row) : undefined;
  }

  async list(options: { state?: JobState; limit?: number } = {}): Promise<JobInfo[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const rows = (options.state
      ? this.db.prepare("SELECT * FROM jobs WHERE state = ? ORDER BY seq DESC LIMIT ?").all(options.state, limit)
      : this.db.prepare("SELECT * FROM jobs ORDER BY seq DESC LIMIT ?").all(limit)) as JobRow[];
    return rows.map(toJobInfo);
  }

  async cancelForDocument(collection: string, documentId: string): Promise<number> {
    const rows = this.db.transaction(() => {
      const found = this.db
        .prepare(`SELECT id, data FROM jobs WHERE document_id = ? AND ${COLLECTION} = ? AND state IN ('waiting', 'delayed')`)
        .all(documentId, collection) as Array<{ id: string; data: string }>;
      const del = this.db.prepare("DELETE FROM jobs WHERE id = ?");
      for (const r of found) {
        del.run(r.id);
        // A cancelled job is forgotten, not failed: it answers 404 like before it existed.
        this.ledgerTable.forget(r.id);
      }
      return found;
    }).immediate();
    for (const r of rows) {
      const data = ingestJobDataSchema.safeParse(JSON.parse(r.data));
      if (data.success) await this.options.uploads?.remove(data.data.uploadPath);
    }
    return rows.length;
  }

  async pendingUploads(): Promise<ReadonlySet<string>> {
    const rows = this.db.prepare(`SELECT json_extract(data, '$.uploadPath') AS path FROM jobs WHERE state IN ${PENDING}`).all() as Array<{ path: string | null }>;
    return new Set(rows.flatMap((r) => (r.path ? [r.path] : [])));
  }

  async expired(id: string): Promise<ExpiredJob | undefined> {
    if (await this.get(id)) return undefined;
    return expiredFromLedger(this.ledger, id);
  }

  async counts(): Promise<Record<JobState, number>> {
    const out = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 };
    const rows = this.db.prepare("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").all() as Array<{ state: JobState; n: number }>;
    for (const r of rows) if (STATES.includes(r.state)) out[r.state] = r.n;
    return out;
  }

  /**
   * Starts running jobs in this process, alongside any other runner over the same DATA_DIR. Active jobs of
   * runners whose lease expired (a process that died) are handed back; a live runner's jobs are left alone.
   */
  start(processor: JobProcessor, options: SqliteRunnerOptions): void {
    if (this.runner) throw new Error("the job runner is already started");
    if (this.closed) throw new Error("the job queue is closed");
    this.runner = new SqliteJobRunner(this.db, this.ledgerTable, new SqliteLease(this.db), processor, options, {
      backoffMs: this.options.backoffMs ?? 1000,
      pollMs: this.options.pollMs ?? 1000,
      leaseMs: this.options.leaseMs ?? 30_000,
      keepCompleted: this.options.keepCompleted ?? 1000,
    });
    this.runner.start();
  }

  /** Stops taking jobs, waits for running ones to finish, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.runner?.stop();
    this.db.close();
  }
}

function toJobInfo(row: JobRow): JobInfo {
  const data = ingestJobDataSchema.safeParse(JSON.parse(row.data));
  return {
    id: row.id,
    documentId: data.success ? data.data.documentId : "",
    fileName: data.success ? data.data.fileName : "",
    collection: data.success ? data.data.collection : "",
    state: row.state,
    progress: row.progress,
    attempts: row.attempts,
    ...(row.result !== null ? { result: JSON.parse(row.result) as IngestJobResult } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.finished_at !== null ? { finishedAt: new Date(row.finished_at).toISOString() } : {}),
  };
}
