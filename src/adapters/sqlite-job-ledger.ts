import type Database from "better-sqlite3";
import { openJobsDatabase } from "./sqlite-jobs-db.js";
import type { FinalJobState, JobLedger, LedgerEntry } from "../ports/job-ledger.js";
import type { IngestJobData, IngestJobResult } from "../ports/job-queue.js";
import { ingestJobDataSchema } from "../jobs/job-contract.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS job_ledger (
  id TEXT PRIMARY KEY,
  collection TEXT NOT NULL,
  document_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  upload_path TEXT NOT NULL,
  data TEXT NOT NULL,
  state TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS job_ledger_unfinished ON job_ledger (state, created_at);
CREATE INDEX IF NOT EXISTS job_ledger_upload ON job_ledger (upload_path);
CREATE INDEX IF NOT EXISTS job_ledger_finished ON job_ledger (finished_at);
`;

interface Row {
  id: string;
  data: string;
  state: LedgerEntry["state"];
  result: string | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}

/**
 * The job ledger in a SQLite table (`job_ledger` in jobs.db). Calls are synchronous, so the in-process queue
 * records a final state in the same transaction as the job row itself.
 */
export class SqliteJobLedger implements JobLedger {
  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
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
    const row = this.db.prepare("SELECT * FROM job_ledger WHERE id = ?").get(id) as Row | undefined;
    return row ? toEntry(row) : undefined;
  }

  unfinished(acceptedBefore: number, limit: number): LedgerEntry[] {
    const rows = this.db
      .prepare("SELECT * FROM job_ledger WHERE state = 'waiting' AND created_at < ? ORDER BY created_at LIMIT ?")
      .all(acceptedBefore, limit) as Row[];
    return rows.flatMap((r) => toEntry(r) ?? []);
  }

  findByUpload(uploadPath: string): LedgerEntry | undefined {
    const row = this.db
      .prepare("SELECT * FROM job_ledger WHERE upload_path = ? ORDER BY state = 'waiting' DESC, created_at DESC LIMIT 1")
      .get(uploadPath) as Row | undefined;
    return row ? toEntry(row) : undefined;
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

function toEntry(row: Row): LedgerEntry | undefined {
  const parsed = ingestJobDataSchema.safeParse(JSON.parse(row.data));
  if (!parsed.success) return undefined;
  const data = parsed.data;
  return {
    id: row.id,
    collection: data.collection,
    documentId: data.documentId,
    fileName: data.fileName,
    state: row.state,
    data,
    ...(row.result !== null ? { result: JSON.parse(row.result) as IngestJobResult } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.finished_at !== null ? { finishedAt: new Date(row.finished_at).toISOString() } : {}),
  };
}

/** The job ledger of `${dataDir}/jobs.db` on its own connection (BullMQ workers and API); close it when done. */
export function openJobLedger(dataDir: string): { ledger: JobLedger; close(): void } {
  const db = openJobsDatabase(dataDir);
  return { ledger: new SqliteJobLedger(db), close: () => db.close() };
}
