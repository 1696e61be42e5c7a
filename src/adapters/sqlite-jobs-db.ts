import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

/**
 * Opens `${dataDir}/jobs.db`, the database of the in-process queue, the job ledger and the leases: kept apart from
 * store.db so job bookkeeping never contends with (or migrates alongside) the document store. Several processes
 * over one DATA_DIR share it; WAL plus a busy timeout make their writes wait for each other instead of failing.
 */
export function openJobsDatabase(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, "jobs.db"));
  db.pragma("busy_timeout = 5000");
  db.pragma("journal_mode = WAL");
  // FULL: an accepted (202) job must survive power loss, not only a process crash.
  db.pragma("synchronous = FULL");
  return db;
}
