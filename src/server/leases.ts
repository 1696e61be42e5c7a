import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { openJobsDatabase } from "../adapters/sqlite-jobs-db.js";
import { SqliteLease } from "../adapters/sqlite-lease.js";
import type { Lease, SharedLease } from "../ports/lease.js";
import type { Engine } from "../container.js";

/** The lease of the one process that writes vector-index snapshots into DATA_DIR (others load and catch up). */
export const SNAPSHOT_LEASE = "index-snapshots";
/** The lease of the one process preparing DATA_DIR on first start (migrations done, demo corpus ingested). */
export const FIRST_START_LEASE = "first-start";

/** The snapshot writer renews its lease every follow tick; another process takes over this long after it died. */
export const SNAPSHOT_LEASE_MS = 15_000;

/** A process's claims on the DATA_DIR-wide leases (jobs.db, shared with the job runner's own leases). */
export interface ProcessLeases {
  lease: Lease;
  /** This process's holder name (host, pid and a random part: a restarted pid is another holder). */
  holder: string;
  /** Until when (epoch ms) this process knows it holds the snapshot lease without asking jobs.db again. */
  snapshotHeldUntil: number;
  close(): void;
}

export function openProcessLeases(dataDir: string): ProcessLeases {
  const db = openJobsDatabase(dataDir);
  return { lease: new SqliteLease(db), holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, snapshotHeldUntil: 0, close: () => db.close() };
}

/**
 * Runs `fn` while holding `name`: waits (polling) while another process holds it, renews it while `fn` runs (so a
 * long first-start ingest keeps it) and releases it after. A holder that dies stops renewing and the lease expires
 * after `ttlMs`, so a crashed process never blocks the others for longer.
 */
export async function withLease<T>(leases: { lease: Lease | SharedLease; holder: string }, name: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
  const { lease, holder } = leases;
  while (!(await lease.acquire(name, holder, ttlMs))) await new Promise((r) => setTimeout(r, Math.min(250, ttlMs / 4)));
  // A failed renewal (database briefly away) is retried on the next beat; the lease only lapses after `ttlMs`.
  const heartbeat = setInterval(() => void Promise.resolve().then(() => lease.renew(name, holder, ttlMs)).catch(() => undefined), Math.max(50, ttlMs / 3));
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    await lease.release(name, holder);
  }
}

/**
 * Whether this process may write index snapshots now: takes (or extends) the snapshot lease. Called on every
 * follow tick, so the writer keeps it while alive and another serving process takes over within `ttlMs` of its death.
 */
export function holdSnapshotLease(leases: ProcessLeases, ttlMs: number): boolean {
  const now = Date.now();
  // Renewed when a third of the lease is used up, not on every call: each renewal is a durable write to jobs.db.
  if (now < leases.snapshotHeldUntil) return true;
  try {
    // Another live holder: a read, no write transaction on every tick of every other serving process.
    const current = leases.lease.holder(SNAPSHOT_LEASE);
    if (current !== undefined && current !== leases.holder) return false;
    const held = leases.lease.acquire(SNAPSHOT_LEASE, leases.holder, ttlMs);
    leases.snapshotHeldUntil = held ? now + ttlMs / 3 : 0;
    return held;
  } catch {
    // jobs.db busy past its timeout: skip this save; the change log keeps every write, so nothing is lost.
    return false;
  }
}

/** `buildsGraph` for openEngine: this process builds the HNSW graph while it holds the snapshot lease. */
export function snapshotLeaseHolder(leases: () => ProcessLeases | undefined): () => boolean {
  return () => {
    const held = leases();
    return held !== undefined && holdSnapshotLease(held, SNAPSHOT_LEASE_MS);
  };
}

/**
 * Keeps claiming the snapshot lease every second while a process that is not following the log on a timer (the
 * ingest CLI) works: its catch-ups can be further apart than the lease lasts (a long batch, a slow start), and a
 * lapsed lease would hand the graph to a serving process mid-ingest. Returns the stop function.
 */
export function keepSnapshotLease(leases: ProcessLeases): () => void {
  const timer = setInterval(() => holdSnapshotLease(leases, SNAPSHOT_LEASE_MS), 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Saves the index only as the snapshot lease's holder (releasing it after), then closes the store and the leases. */
export async function closeEngine(engine: Engine, leases: ProcessLeases): Promise<void> {
  const writer = holdSnapshotLease(leases, SNAPSHOT_LEASE_MS);
  try {
    await engine.close({ saveIndex: writer });
  } finally {
    if (writer) {
      leases.lease.release(SNAPSHOT_LEASE, leases.holder);
      leases.snapshotHeldUntil = 0;
    }
    leases.close();
  }
}
