/** One numbered change to one chunk. A re-embedded chunk (reindex) is logged again as "add" (upsert). */
export interface ChunkChange { seq: number; op: "add" | "delete"; chunkId: string }

/**
 * The store's monotonically numbered log of chunk adds and deletes, written in the same transaction as the chunks,
 * so followers (serving indexes in any process) replay it to catch up with every committed write.
 */
export interface ChangeLog {
  /** Entries after `seq`, oldest first, at most `limit`. */
  since(seq: number, limit: number): Promise<ChunkChange[]>;
  /** Highest sequence number (0 when empty). */
  lastSeq(): Promise<number>;
}

/** A live subscription to change notices; `listening` is false while the connection behind it is being re-established. */
export interface ChangeSubscription {
  readonly listening: boolean;
  close(): Promise<void>;
}

/**
 * Pushes "the change log grew" to followers on other machines as soon as a writer commits, so they need not wait for
 * their next poll. Best effort: a notice can be lost (connection drop), so followers keep polling as well, and after
 * every (re)connect the subscriber is called without a seq to catch up with whatever it missed meanwhile.
 */
export interface ChangeNotices {
  /** `onChange(seq)`: a batch up to `seq` was committed; `onChange(undefined)`: (re)connected, catch up now. */
  subscribe(onChange: (seq: number | undefined) => void): ChangeSubscription;
}
