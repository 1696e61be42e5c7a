/**
 * Named, time-limited claims shared by every process over one DATA_DIR: "runner R is alive and owns its active
 * jobs", later "this process writes the snapshots". A holder keeps a lease by renewing it before it expires
 * (a heartbeat); a process that dies simply stops renewing, and once the lease expired others may take over.
 * All operations are atomic with respect to other processes.
 */
export interface Lease {
  /** Takes `name` for `holder` for `ttlMs` when it is free, expired or already `holder`'s. True when held. */
  acquire(name: string, holder: string, ttlMs: number): boolean;
  /** Extends a lease `holder` still holds. False when it expired and was taken by another, or was released. */
  renew(name: string, holder: string, ttlMs: number): boolean;
  /** Gives the lease up (only when `holder` holds it). */
  release(name: string, holder: string): void;
  /** The holder of `name` while its lease is unexpired; undefined when free or expired. */
  holder(name: string): string | undefined;
}

/**
 * The same contract for a lease shared by processes on several machines (PostgreSQL): every call is a round trip, and
 * expiry is judged by the database's clock, so machines whose clocks differ still agree on who holds it.
 */
export interface SharedLease {
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
  holder(name: string): Promise<string | undefined>;
}
