import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { errorMessage } from "../errors.js";
import type { SqliteLedgerTable } from "./sqlite-job-ledger.js";
import type { Lease } from "../ports/lease.js";
import type { IngestJobData, IngestJobResult, JobProcessor, JobState } from "../ports/job-queue.js";
import { crashedTooOftenMessage, ingestJobDataSchema, isPermanentFailure, type JobLogger } from "../jobs/job-contract.js";

/** A row of the `jobs` table. */
export interface JobRow {
  seq: number;
  id: string;
  data: string;
  state: JobState;
  progress: number;
  attempts: number;
  max_attempts: number;
  runner: string | null;
  result: string | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}

/** How the in-process runner works through jobs. */
export interface SqliteRunnerOptions {
  concurrency: number;
  /** Called once when a job fails on its last allowed attempt with a transient error or crash (final clean-up). */
  onRetriesExhausted?: (data: IngestJobData, err: unknown) => Promise<void>;
  logger?: JobLogger;
}

/** Queue settings the runner needs. */
export interface RunnerSettings {
  backoffMs: number;
  pollMs: number;
  leaseMs: number;
  keepCompleted: number;
}

/** Name of the lease a runner holds while it lives; its active jobs are its own until the lease expires. */
export function runnerLeaseName(holder: string): string {
  return `job-runner:${holder}`;
}

/**
 * Runs the jobs of one jobs.db in this process. Several runners (API processes over one DATA_DIR) may share the
 * database: a job is claimed in an IMMEDIATE transaction, so exactly one runner takes it, and stamped with the
 * runner's id. Each runner holds a lease renewed by a heartbeat; only active jobs whose runner's lease expired
 * (the process died) are handed back — a live runner's jobs are never reset. Attempts count at claim, so a crash
 * counts: a reclaimed job that used up its attempts fails with a clear reason instead of crashing again forever.
 */
export class SqliteJobRunner {
  private readonly holder = randomUUID();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: SqliteLedgerTable,
    private readonly lease: Lease,
    private readonly processor: JobProcessor,
    private readonly options: SqliteRunnerOptions,
    private readonly settings: RunnerSettings,
  ) {}

  start(): void {
    this.lease.acquire(runnerLeaseName(this.holder), this.holder, this.settings.leaseMs);
    this.heartbeat = setInterval(() => this.beat(), Math.max(10, Math.floor(this.settings.leaseMs / 3)));
    this.heartbeat.unref();
    this.beat();
  }

  /** Stops claiming, waits for running jobs, then gives the lease up. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    await Promise.all(this.running);
    if (this.db.open) this.lease.release(runnerLeaseName(this.holder), this.holder);
  }

  wake(): void {
    // Deferred so enqueue returns before any processing starts.
    if (!this.stopping) setImmediate(() => this.pump());
  }

  private beat(): void {
    if (this.stopping || !this.db.open) return;
    try {
      const name = runnerLeaseName(this.holder);
      // A lost lease (this process stalled past it) is simply taken again; jobs reclaimed meanwhile are no longer ours.
      if (!this.lease.renew(name, this.holder, this.settings.leaseMs)) this.lease.acquire(name, this.holder, this.settings.leaseMs);
      this.reclaim();
    } catch (err) {
      this.options.logger?.error({ err: errorMessage(err) }, "job runner heartbeat failed");
    }
    this.wake();
  }

  /** Hands back active jobs of runners whose lease expired; fails those that used up their attempts. */
  private reclaim(): void {
    const exhausted = this.db.transaction(() => {
      const rows = this.db.prepare("SELECT * FROM jobs WHERE state = 'active'").all() as JobRow[];
      const dead = rows.filter((r) => r.runner !== this.holder && (r.runner === null || this.lease.holder(runnerLeaseName(r.runner)) !== r.runner));
      const out: Array<{ row: JobRow; message: string }> = [];
      for (const row of dead) {
        if (row.attempts >= row.max_attempts) {
          const message = crashedTooOftenMessage(row.attempts);
          this.finishFailedNow(row.id, null, message);
          out.push({ row, message });
        } else {
          this.db.prepare("UPDATE jobs SET state = 'waiting', lease = NULL, runner = NULL, run_at = ? WHERE id = ? AND state = 'active'").run(Date.now(), row.id);
        }
      }
      return out;
    }).immediate();
    for (const { row, message } of exhausted) {
      this.options.logger?.warn({ jobId: row.id, attempts: row.attempts }, "job failed: its runner crashed on every attempt");
      const data = ingestJobDataSchema.safeParse(JSON.parse(row.data));
      if (data.success) void this.exhausted(row.id, data.data, new Error(message));
    }
  }

  private pump(): void {
    if (this.stopping || !this.db.open) return;
    while (this.running.size < this.options.concurrency) {
      const claimed = this.claim();
      if (!claimed) break;
      const run: Promise<void> = this.run(claimed.row, claimed.lease).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const next = this.db.prepare("SELECT MIN(run_at) AS at FROM jobs WHERE state IN ('waiting', 'delayed')").get() as { at: number | null };
    const poll = this.settings.pollMs;
    const wait = next.at === null ? poll : Math.min(poll, Math.max(5, next.at - Date.now()));
    this.timer = setTimeout(() => this.pump(), wait);
    this.timer.unref();
  }

  /** Atomically takes the next due job; the per-claim lease token makes a late finish of a superseded run a no-op. */
  private claim(): { row: JobRow; lease: string } | undefined {
    return this.db.transaction(() => {
      const row = this.db
        .prepare("SELECT * FROM jobs WHERE state IN ('waiting', 'delayed') AND run_at <= ? ORDER BY run_at, seq LIMIT 1")
        .get(Date.now()) as JobRow | undefined;
      if (!row) return undefined;
      const lease = randomUUID();
      this.db
        .prepare("UPDATE jobs SET state = 'active', lease = ?, runner = ?, attempts = attempts + 1, progress = 0 WHERE id = ?")
        .run(lease, this.holder, row.id);
      return { row: { ...row, state: "active" as const, attempts: row.attempts + 1 }, lease };
    }).immediate();
  }

  private async run(row: JobRow, lease: string): Promise<void> {
    const log = this.options.logger;
    const parsed = ingestJobDataSchema.safeParse(JSON.parse(row.data));
    if (!parsed.success) return void this.finishFailed(row.id, lease, "malformed job payload");
    const data = parsed.data;
    // A job the ledger already holds as completed is never run again (its documents may have been deleted since).
    const known = this.ledger.get(row.id);
    if (known?.state === "completed" && known.result) return this.finishCompleted(row.id, lease, known.result);
    try {
      const result = await this.processor(data, (p) => this.setProgress(row.id, lease, p));
      this.finishCompleted(row.id, lease, result);
      log?.info({ jobId: row.id, documentId: data.documentId, attempt: row.attempts, chunks: result.chunks }, "job completed");
    } catch (err) {
      const message = errorMessage(err);
      log?.warn({ jobId: row.id, documentId: data.documentId, attempt: row.attempts, err: message }, "job failed");
      if (isPermanentFailure(err)) return void this.finishFailed(row.id, lease, message);
      if (row.attempts < row.max_attempts) return this.retryLater(row, lease, message);
      if (this.finishFailed(row.id, lease, message)) await this.exhausted(row.id, data, err);
    }
  }

  private async exhausted(id: string, data: IngestJobData, err: unknown): Promise<void> {
    await this.options.onRetriesExhausted?.(data, err).catch((e: unknown) =>
      this.options.logger?.error({ jobId: id, err: errorMessage(e) }, "clean-up after final failure failed"),
    );
  }

  private setProgress(id: string, lease: string, percent: number): void {
    if (!this.db.open) return;
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    this.db.prepare("UPDATE jobs SET progress = ? WHERE id = ? AND lease = ?").run(p, id, lease);
  }

  private finishCompleted(id: string, lease: string, result: IngestJobResult): void {
    if (!this.db.open) return;
    const now = Date.now();
    this.db.transaction(() => {
      const changed = this.db
        .prepare(`UPDATE jobs SET state = 'completed', progress = 100, result = ?, error = NULL, lease = NULL, runner = NULL, finished_at = ?
          WHERE id = ? AND lease = ?`)
        .run(JSON.stringify(result), now, id, lease).changes;
      if (changed > 0) this.ledger.recordFinished(id, { state: "completed", result }, now);
      // Same retention as the BullMQ queue: completed jobs for a day, at most `keepCompleted` of them.
      this.db
        .prepare(`DELETE FROM jobs WHERE state = 'completed' AND (finished_at < ? OR seq NOT IN
          (SELECT seq FROM jobs WHERE state = 'completed' ORDER BY finished_at DESC, seq DESC LIMIT ?))`)
        .run(now - 86_400_000, this.settings.keepCompleted);
    }).immediate();
  }

  /** Final failure of this run; false when the run was superseded (its lease token no longer matches). */
  private finishFailed(id: string, lease: string, message: string): boolean {
    if (!this.db.open) return false;
    return this.db.transaction(() => this.finishFailedNow(id, lease, message)).immediate();
  }

  private finishFailedNow(id: string, lease: string | null, message: string): boolean {
    const now = Date.now();
    const changed = this.db
      .prepare(`UPDATE jobs SET state = 'failed', error = ?, lease = NULL, runner = NULL, finished_at = ?
        WHERE id = ? AND state = 'active' AND (lease = ? OR ? IS NULL)`)
      .run(message, now, id, lease, lease).changes;
    if (changed > 0) this.ledger.recordFinished(id, { state: "failed", error: message }, now);
    return changed > 0;
  }

  private retryLater(row: JobRow, lease: string, message: string): void {
    if (!this.db.open) return;
    const delay = this.settings.backoffMs * 2 ** (row.attempts - 1);
    this.db
      .prepare("UPDATE jobs SET state = 'delayed', error = ?, lease = NULL, runner = NULL, run_at = ? WHERE id = ? AND lease = ?")
      .run(message, Date.now() + delay, row.id, lease);
  }
}
