import type { AnalyticsStore } from "./analytics-store.js";
import type { CuratedStore } from "./curated-store.js";
import type { JobLedger } from "./job-ledger.js";
import type { SharedLease } from "./lease.js";
import type { UploadStore } from "./upload-store.js";

/**
 * The state besides the documents that every process serving one installation must see: uploads waiting for their
 * job, jobs' final states, curated answers, analytics, and the first-start lease. Embedded, it lives in SQLite files
 * in DATA_DIR (one machine); with DATABASE_URL, in the PostgreSQL store's schema, so nothing another machine needs
 * is on a local disk (only per-machine index snapshots and scratch files stay in DATA_DIR).
 */
export interface SharedState {
  backend: "sqlite" | "postgres";
  uploads: UploadStore;
  /** A job ledger the caller closes (SQLite: its own jobs.db connection; PostgreSQL: nothing to close). */
  openLedger(): { ledger: JobLedger; close(): void };
  /** Curated answers; the caller closes them. */
  openCurated(): CuratedStore;
  /** The analytics log; the caller closes it. */
  openAnalytics(): AnalyticsStore;
  /** The first-start lease shared by every machine; undefined: DATA_DIR's own lease (jobs.db) serves. */
  firstStartLease?: SharedLease;
}
