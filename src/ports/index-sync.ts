/**
 * The serving indexes of this process as writers see them: after committing to the store, a writer asks them to
 * catch up with the change log (so its writes become searchable here) and to snapshot now and then. Ingest code
 * uses this port, never a concrete index.
 */
export interface IndexSync {
  /**
   * Applies committed changes not yet applied, at most `maxChanges` (a slice); returns how many. On return they are
   * searchable here.
   */
  catchUp(maxChanges?: number): Promise<number>;
  /**
   * Hands committed changes (at most `maxChanges`) to the indexes without waiting until they are searchable: an index
   * that inserts on its own thread keeps a bounded backlog, so a writer (the ingest) overlaps its next writes with the
   * inserts, and a serving process's event loop only reads the log. `catchUp()` afterwards waits for them. Indexes
   * that apply changes on the calling thread apply them here. Returns how many changes were handed over.
   */
  queueCatchUp(maxChanges?: number): Promise<number>;
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
