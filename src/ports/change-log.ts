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
