import type Database from "better-sqlite3";
import { LEDGER_SCHEMA, openJobsDatabase } from "./sqlite-jobs-db.js";
import type { FinalJobState, JobLedger, LedgerEntry } from "../ports/job-ledger.js";
import type { IngestJobData } from "../ports/job-queue.js";
import { ledgerRowToEntry, type LedgerRow } from "./state-rows.js";


/**
 * The job ledger's SQLite table (`job_ledger` in jobs.db). Calls are synchronous, so the in-process queue records a
 * final state in the same transaction as the job row itself; `SqliteJobLedger` is the port over it.
 */
export class SqliteLedgerTable {
  constructor(private readonly db: Database.Database) {
    db.exec(LEDGER_SCHEMA);
  }

  recordAccepted(id: string, data: IngestJobData, createdAt = Date.now()): void {
    this.db
      .prepare(`INSERT OR IGNORE INTO job_ledger (id, collection, document_id, file_name, upload_path, data, state, created_at)
        VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?)`)
      .run(id, data.collection, data.documentId, data.fileName, data.uploadPath, JSON.stringify(data), createdAt);
  }

  recordFinished(id: string, final: FinalJobState, finishedAt = Date.now()): void {
    const result = final.state === "completed" ? JSON.stringify(final.result) : null;
    const error = final.state === "failed" ? final.error : null;
    // A completed job stays completed: a late failure report (a stalled duplicate run) must not overwrite it.
    this.db
      .prepare("UPDATE job_ledger SET state = ?, result = ?, error = ?, finished_at = ? WHERE id = ? AND state != 'completed'")
      .run(final.state, result, error, finishedAt, id);
  }

  get(id: string): LedgerEntry | undefined {
    const row = this.db.prepare("SELECT * FROM job_ledger WHERE id = ?").get(id) as LedgerRow | undefined;
    return row ? ledgerRowToEntry(row) : undefined;
  }

  unfinished(acceptedBefore: number, limit: number): LedgerEntry[] {
    const rows = this.db
      .prepare("SELECT * FROM job_ledger WHERE state = 'waiting' AND created_at < ? ORDER BY created_at LIMIT ?")
      .all(acceptedBefore, limit) as LedgerRow[];
    return rows.flatMap((r) => ledgerRowToEntry(r) ?? []);
  }

  findByUpload(uploadPath: string): LedgerEntry | undefined {
    const row = this.db
      .prepare("SELECT * FROM job_ledger WHERE upload_path = ? ORDER BY state = 'waiting' DESC, created_at DESC LIMIT 1")
      .get(uploadPath) as LedgerRow | undefined;
    return row ? ledgerRowToEntry(row) : undefined;
  }

  failIfUnfinished(id: string, error: string): boolean {
    return this.db
      .prepare("UPDATE job_ledger SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state = 'waiting'")
      .run(error, Date.now(), id).changes > 0;
  }

  forget(id: string): void {
    this.db.prepare("DELETE FROM job_ledger WHERE id = ?").run(id);
  }

  prune(before: number): number {
    return this.db.prepare("DELETE FROM job_ledger WHERE state != 'waiting' AND finished_at < ?").run(before).changes;
  }
}

/** The JobLedger port over the synchronous table (each call completes before its promise is returned). */
export class SqliteJobLedger implements JobLedger {
  constructor(readonly table: SqliteLedgerTable) {}
  async recordAccepted(id: string, data: IngestJobData, createdAt?: number): Promise<void> { this.table.recordAccepted(id, data, createdAt); }
  async recordFinished(id: string, final: FinalJobState, finishedAt?: number): Promise<void> { this.table.recordFinished(id, final, finishedAt); }
  async get(id: string): Promise<LedgerEntry | undefined> { return this.table.get(id); }
  async unfinished(acceptedBefore: number, limit: number): Promise<LedgerEntry[]> { return this.table.unfinished(acceptedBefore, limit); }
  async findByUpload(uploadPath: string): Promise<LedgerEntry | undefined> { return this.table.findByUpload(uploadPath); }
  async failIfUnfinished(id: string, error: string): Promise<boolean> { return this.table.failIfUnfinished(id, error); }
  async forget(id: string): Promise<void> { this.table.forget(id); }
  async prune(before: number): Promise<number> { return this.table.prune(before); }
}

/** The job ledger of `${dataDir}/jobs.db` on its own connection (BullMQ workers and API); close it when done. */
export function openJobLedger(dataDir: string): { ledger: JobLedger; close(): void } {
  const db = openJobsDatabase(dataDir);
  return { ledger: new SqliteJobLedger(new SqliteLedgerTable(db)), close: () => db.close() };
}
