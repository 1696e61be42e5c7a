import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { errorMessage } from "../errors.js";
import type { EnqueueResult, IngestJobData, IngestJobResult, JobInfo, JobProcessor, JobQueue, JobState } from "../ports/job-queue.js";
import type { UploadStore } from "../ports/upload-store.js";
import { ingestJobDataSchema, isPermanentFailure, type JobLogger } from "../jobs/job-contract.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  document_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  data TEXT NOT NULL,
  state TEXT NOT NULL,
  progress INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  run_at INTEGER NOT NULL,
  lease TEXT,
  result TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_runnable ON jobs (state, run_at, seq);
CREATE INDEX IF NOT EXISTS jobs_document ON jobs (document_id, content_hash, state);
`;

const PENDING = "('waiting', 'delayed', 'active')";
const STATES: JobState[] = ["waiting", "active", "completed", "failed", "delayed"];

interface JobRow {
  id: string;
  data: string;
  state: JobState;
  progress: number;
  attempts: number;
  max_attempts: number;
  result: string | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}

/** Where jobs.db lives, retry policy and retention. */
export interface SqliteJobQueueOptions {
  dataDir: string;
  /** Runs per job before a transient failure is final (default 5). */
  attempts?: number;
  /** First retry delay; doubles per attempt (default 1000 ms). */
  backoffMs?: number;
  /** How often the runner looks for due jobs besides being woken by enqueue (default 1000 ms). */
  pollMs?: number;
  /** Completed jobs kept: at most this many, none older than a day (default 1000). */
  keepCompleted?: number;
  /** When given, uploads of jobs the queue discards (deduplicated enqueues, cancelled jobs) are removed. */
  uploads?: Pick<UploadStore, "remove">;
}

/** How the in-process runner works through jobs. */
export interface SqliteRunnerOptions {
  concurrency: number;
  /** Called once when a job fails on its last allowed attempt with a transient error (final clean-up). */
  onRetriesExhausted?: (data: IngestJobData, err: unknown) => Promise<void>;
  logger?: JobLogger;
}

interface Runner {
  processor: JobProcessor;
  options: SqliteRunnerOptions;
  running: Set<Promise<void>>;
  timer: NodeJS.Timeout | undefined;
  stopping: boolean;
}

/**
 * The embedded job queue (no Redis): jobs persisted in `${dataDir}/jobs.db` and run in-process. Same states and
 * rules as the BullMQ transport: a job identical to one still waiting, backing off or running (same document and
 * content hash) is deduplicated; transient failures retry with exponential backoff (the `delayed` state); bad
 * input fails at once; failed jobs are kept. One runner per DATA_DIR: `start` hands jobs a crashed process left
 * `active` back to `waiting`, so an accepted upload is never lost.
 */
export class SqliteJobQueue implements JobQueue {
  private readonly db: Database.Database;
  private runner: Runner | undefined;
  private closed = false;

  constructor(private readonly options: SqliteJobQueueOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(join(options.dataDir, "jobs.db"));
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("journal_mode = WAL");
    // FULL: an accepted (202) job must survive power loss, not only a process crash.
    this.db.pragma("synchronous = FULL");
    this.db.exec(SCHEMA);
  }

  async enqueue(data: IngestJobData): Promise<EnqueueResult> {
    const outcome = this.db.transaction((): EnqueueResult => {
      const existing = this.db
        .prepare(`SELECT id FROM jobs WHERE document_id = ? AND content_hash = ? AND state IN ${PENDING} ORDER BY seq LIMIT 1`)
        .get(data.documentId, data.contentHash) as { id: string } | undefined;
      if (existing) return { id: existing.id, deduplicated: true };
      const id = randomUUID();
      const now = Date.now();
      this.db
        .prepare(`INSERT INTO jobs (id, document_id, content_hash, data, state, max_attempts, run_at, created_at)
          VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?)`)
        .run(id, data.documentId, data.contentHash, JSON.stringify(data), this.options.attempts ?? 5, now, now);
      return { id, deduplicated: false };
    }).immediate();
    if (outcome.deduplicated) await this.options.uploads?.remove(data.uploadPath);
    else this.wake();
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
        .prepare("SELECT id, data FROM jobs WHERE document_id = ? AND json_extract(data, '$.collection') = ? AND state IN ('waiting', 'delayed')")
        .all(documentId, collection) as Array<{ id: string; data: string }>;
      const del = this.db.prepare("DELETE FROM jobs WHERE id = ?");
      for (const r of found) del.run(r.id);
      return found;
    }).immediate();
    for (const r of rows) {
      const data = ingestJobDataSchema.safeParse(JSON.parse(r.data));
      if (data.success) await this.options.uploads?.remove(data.data.uploadPath);
    }
    return rows.length;
  }

  async counts(): Promise<Record<JobState, number>> {
    const out = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 };
    const rows = this.db.prepare("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").all() as Array<{ state: JobState; n: number }>;
    for (const r of rows) if (STATES.includes(r.state)) out[r.state] = r.n;
    return out;
  }

  /**
   * Starts running jobs in this process. Jobs left `active` by a process that died are handed back first.
   * Only one runner per DATA_DIR: a second one would take over the first one's running jobs.
   */
  start(processor: JobProcessor, options: SqliteRunnerOptions): void {
    if (this.runner) throw new Error("the job runner is already started");
    if (this.closed) throw new Error("the job queue is closed");
    this.db.prepare("UPDATE jobs SET state = 'waiting', lease = NULL, run_at = ? WHERE state = 'active'").run(Date.now());
    this.runner = { processor, options, running: new Set(), timer: undefined, stopping: false };
    this.wake();
  }

  /** Stops taking jobs, waits for running ones to finish, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const runner = this.runner;
    if (runner) {
      runner.stopping = true;
      clearTimeout(runner.timer);
      await Promise.all(runner.running);
    }
    this.db.close();
  }

  private wake(): void {
    // Deferred so enqueue returns before any processing starts.
    if (this.runner && !this.runner.stopping) setImmediate(() => this.pump());
  }

  private pump(): void {
    const runner = this.runner;
    if (!runner || runner.stopping) return;
    while (runner.running.size < runner.options.concurrency) {
      const claimed = this.claim();
      if (!claimed) break;
      const run: Promise<void> = this.run(runner, claimed.row, claimed.lease).finally(() => {
        runner.running.delete(run);
        this.pump();
      });
      runner.running.add(run);
    }
    this.schedule(runner);
  }

  private schedule(runner: Runner): void {
    clearTimeout(runner.timer);
    const poll = this.options.pollMs ?? 1000;
    const next = this.db.prepare("SELECT MIN(run_at) AS at FROM jobs WHERE state IN ('waiting', 'delayed')").get() as { at: number | null };
    const wait = next.at === null ? poll : Math.min(poll, Math.max(5, next.at - Date.now()));
    runner.timer = setTimeout(() => this.pump(), wait);
    runner.timer.unref();
  }

  /** Atomically takes the next due job; the lease makes a late finish of a superseded run a no-op. */
  private claim(): { row: JobRow; lease: string } | undefined {
    return this.db.transaction(() => {
      const row = this.db
        .prepare("SELECT * FROM jobs WHERE state IN ('waiting', 'delayed') AND run_at <= ? ORDER BY run_at, seq LIMIT 1")
        .get(Date.now()) as JobRow | undefined;
      if (!row) return undefined;
      const lease = randomUUID();
      this.db.prepare("UPDATE jobs SET state = 'active', lease = ?, attempts = attempts + 1, progress = 0 WHERE id = ?").run(lease, row.id);
      return { row: { ...row, state: "active" as const, attempts: row.attempts + 1 }, lease };
    }).immediate();
  }

  private async run(runner: Runner, row: JobRow, lease: string): Promise<void> {
    const log = runner.options.logger;
    const parsed = ingestJobDataSchema.safeParse(JSON.parse(row.data));
    if (!parsed.success) return this.finishFailed(row.id, lease, "malformed job payload");
    const data = parsed.data;
    try {
      const result = await runner.processor(data, (p) => this.setProgress(row.id, lease, p));
      this.finishCompleted(row.id, lease, result);
      log?.info({ jobId: row.id, documentId: data.documentId, chunks: result.chunks }, "job completed");
    } catch (err) {
      const message = errorMessage(err);
      log?.warn({ jobId: row.id, documentId: data.documentId, attempt: row.attempts, err: message }, "job failed");
      if (isPermanentFailure(err)) return this.finishFailed(row.id, lease, message);
      if (row.attempts < row.max_attempts) return this.retryLater(row, lease, message);
      this.finishFailed(row.id, lease, message);
      await runner.options.onRetriesExhausted?.(data, err).catch((e: unknown) =>
        log?.error({ jobId: row.id, err: errorMessage(e) }, "clean-up after final failure failed"),
      );
    }
  }

  private setProgress(id: string, lease: string, percent: number): void {
    if (!this.db.open) return;
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    this.db.prepare("UPDATE jobs SET progress = ? WHERE id = ? AND lease = ?").run(p, id, lease);
  }

  private finishCompleted(id: string, lease: string, result: IngestJobResult): void {
    const now = Date.now();
    this.db.transaction(() => {
      this.db
        .prepare(`UPDATE jobs SET state = 'completed', progress = 100, result = ?, error = NULL, lease = NULL, finished_at = ?
          WHERE id = ? AND lease = ?`)
        .run(JSON.stringify(result), now, id, lease);
      // Same retention as the BullMQ queue: completed jobs for a day, at most `keepCompleted` of them.
      this.db
        .prepare(`DELETE FROM jobs WHERE state = 'completed' AND (finished_at < ? OR seq NOT IN
          (SELECT seq FROM jobs WHERE state = 'completed' ORDER BY finished_at DESC, seq DESC LIMIT ?))`)
        .run(now - 86_400_000, this.options.keepCompleted ?? 1000);
    }).immediate();
  }

  private finishFailed(id: string, lease: string, message: string): void {
    this.db
      .prepare("UPDATE jobs SET state = 'failed', error = ?, lease = NULL, finished_at = ? WHERE id = ? AND lease = ?")
      .run(message, Date.now(), id, lease);
  }

  private retryLater(row: JobRow, lease: string, message: string): void {
    const delay = (this.options.backoffMs ?? 1000) * 2 ** (row.attempts - 1);
    this.db
      .prepare("UPDATE jobs SET state = 'delayed', error = ?, lease = NULL, run_at = ? WHERE id = ? AND lease = ?")
      .run(message, Date.now() + delay, row.id, lease);
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
