/**
 * The serving indexes of this process as writers see them: after committing to the store, a writer asks them to
 * catch up with the change log (so its writes become searchable here) and to snapshot now and then. Ingest code
 * uses this port, never a concrete index.
 */
export interface IndexSync {
  /** Applies committed changes not yet applied, at most `maxChanges` (a slice); returns how many. */
  catchUp(maxChanges?: number): Promise<number>;
  /** Writes a snapshot when at least `threshold` changes were applied since the last one. */
  saveIfDirty(threshold: number): Promise<void>;
  /** Writes a snapshot now. */
  save(): Promise<void>;
  /** Drops the indexes and rebuilds them from the store (after a reindex). */
  rebuild(): Promise<void>;
  /** Change-log sequence number the indexes reflect. */
  readonly position: number;
  /** Whether changes were applied since the last snapshot. */
  readonly dirty: boolean;
}
