import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { LEASE_SCHEMA } from "./sqlite-lease.js";
import { openMigratedSqlite, type SqliteMigration } from "./sqlite-open.js";

/** The in-process queue's jobs (`runner` is added by the migration: files from before runner leases lack it). */
export const JOBS_SCHEMA = `
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
/** The job ledger (`SqliteLedgerTable`). */
export const LEDGER_SCHEMA = `
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

/**
 * jobs.db's schema steps. Its tables were once created by each class on its own connection (CREATE IF NOT EXISTS,
 * and a check-then-ALTER for `runner` that two processes could both run); the first step brings such a file, or a new
 * one, to the full schema once, under the write lock.
 */
const MIGRATIONS: readonly SqliteMigration[] = [
  (db) => {
    db.exec(JOBS_SCHEMA + LEDGER_SCHEMA + LEASE_SCHEMA);
    const columns = db.prepare("PRAGMA table_info(jobs)").all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === "runner")) db.exec("ALTER TABLE jobs ADD COLUMN runner TEXT");
  },
];

/**
 * Opens `${dataDir}/jobs.db`, the database of the in-process queue, the job ledger and the leases: kept apart from
 * store.db so job bookkeeping never contends with (or migrates alongside) the document store. Several processes
 * over one DATA_DIR share it; WAL plus a busy timeout make their writes wait for each other instead of failing.
 */
export function openJobsDatabase(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // FULL: an accepted (202) job must survive power loss, not only a process crash.
  return openMigratedSqlite(join(dataDir, "jobs.db"), MIGRATIONS, (db) => db, { synchronous: "FULL" });
}
