import type pg from "pg";
import type { FinalJobState, JobLedger, LedgerEntry } from "../ports/job-ledger.js";
import type { IngestJobData } from "../ports/job-queue.js";
import { ledgerRowToEntry, type LedgerRow } from "./state-rows.js";

/** Epoch-ms columns come back as numbers (a bigint would be a string). */
const COLUMNS = "id, data, state, result, error, created_at::float8 AS created_at, finished_at::float8 AS finished_at";

/**
 * The job ledger in PostgreSQL (`job_ledger`), shared by the API processes and workers of every machine. Each call is
 * one statement, so the compare-and-set ones (`failIfUnfinished`, a completed job staying completed) hold across
 * machines without a transaction.
 */
export class PgJobLedger implements JobLedger {
  constructor(private readonly pool: pg.Pool) {}

  async recordAccepted(id: string, data: IngestJobData, createdAt = Date.now()): Promise<void> {
    await this.pool.query(`INSERT INTO job_ledger (id, collection, document_id, file_name, upload_path, data, state, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'waiting', $7) ON CONFLICT (id) DO NOTHING`,
    [id, data.collection, data.documentId, data.fileName, data.uploadPath, JSON.stringify(data), createdAt]);
  }

  async recordFinished(id: string, final: FinalJobState, finishedAt = Date.now()): Promise<void> {
    const result = final.state === "completed" ? JSON.stringify(final.result) : null;
    const error = final.state === "failed" ? final.error : null;
    // A completed job stays completed: a late failure report (a stalled duplicate run) must not overwrite it.
    await this.pool.query("UPDATE job_ledger SET state = $1, result = $2, error = $3, finished_at = $4 WHERE id = $5 AND state != 'completed'",
      [final.state, result, error, finishedAt, id]);
  }

  async get(id: string): Promise<LedgerEntry | undefined> {
    const { rows } = await this.pool.query<LedgerRow>(`SELECT ${COLUMNS} FROM job_ledger WHERE id = $1`, [id]);
    return rows[0] ? ledgerRowToEntry(rows[0]) : undefined;
  }

  async unfinished(acceptedBefore: number, limit: number): Promise<LedgerEntry[]> {
    const { rows } = await this.pool.query<LedgerRow>(
      `SELECT ${COLUMNS} FROM job_ledger WHERE state = 'waiting' AND created_at < $1 ORDER BY created_at LIMIT $2`, [acceptedBefore, limit]);
    return rows.flatMap((r) => ledgerRowToEntry(r) ?? []);
  }

  async findByUpload(uploadPath: string): Promise<LedgerEntry | undefined> {
    const { rows } = await this.pool.query<LedgerRow>(
      `SELECT ${COLUMNS} FROM job_ledger WHERE upload_path = $1 ORDER BY state = 'waiting' DESC, created_at DESC LIMIT 1`, [uploadPath]);
    return rows[0] ? ledgerRowToEntry(rows[0]) : undefined;
  }

  async failIfUnfinished(id: string, error: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("UPDATE job_ledger SET state = 'failed', error = $1, finished_at = $2 WHERE id = $3 AND state = 'waiting'",
      [error, Date.now(), id]);
    return (rowCount ?? 0) > 0;
  }

  async forget(id: string): Promise<void> {
    await this.pool.query("DELETE FROM job_ledger WHERE id = $1", [id]);
  }

  async prune(before: number): Promise<number> {
    const { rowCount } = await this.pool.query("DELETE FROM job_ledger WHERE state != 'waiting' AND finished_at < $1", [before]);
    return rowCount ?? 0;
  }
}
