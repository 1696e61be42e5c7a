// The shared state (uploads, job ledger, curated answers, analytics, shared lease) on each backend, fresh for every
// case: SQLite files in a temp DATA_DIR, or PostgreSQL in a schema of its own that is dropped on close.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPgStore } from "../../src/adapters/pg-store.js";
import { pgSharedState } from "../../src/adapters/pg-state.js";
import { sqliteSharedState } from "../../src/adapters/sqlite-state.js";
import { openJobsDatabase } from "../../src/adapters/sqlite-jobs-db.js";
import { SqliteLease } from "../../src/adapters/sqlite-lease.js";
import type { SharedLease } from "../../src/ports/lease.js";
import type { SharedState } from "../../src/ports/shared-state.js";
import { TEST_DATABASE_URL, dropSchema } from "./pg-harness.js";

export interface StateUnderTest {
  state: SharedState;
  /** The directory this "machine" may write (DATA_DIR). */
  dataDir: string;
  /** A lease as every holder of this backend shares it (SQLite: the DATA_DIR's jobs.db). */
  lease: SharedLease;
  close(): Promise<void>;
}

/** Largest upload the stores under test accept. */
export const TEST_MAX_UPLOAD = 4 * 1024 * 1024;

export async function sqliteStateUnderTest(): Promise<StateUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), "ports-state-"));
  const db = openJobsDatabase(dataDir);
  const sync = new SqliteLease(db);
  const lease: SharedLease = {
    acquire: async (n, h, t) => sync.acquire(n, h, t),
    renew: async (n, h, t) => sync.renew(n, h, t),
    release: async (n, h) => sync.release(n, h),
    holder: async (n) => sync.holder(n),
  };
  return {
    state: sqliteSharedState(dataDir),
    dataDir,
    lease,
    close: async () => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function pgStateUnderTest(): Promise<StateUnderTest> {
  const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
  const dataDir = mkdtempSync(join(tmpdir(), "ports-pgstate-"));
  const store = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, max: 4 });
  const state = pgSharedState(store.pool, join(dataDir, "incoming"), TEST_MAX_UPLOAD);
  return {
    state,
    dataDir,
    lease: state.firstStartLease!,
    close: async () => {
      await store.close();
      await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
