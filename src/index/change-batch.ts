import type { ChunkChange } from "../ports/change-log.js";

/** A batch of the change log as a follower applies it: only each chunk's last change counts. */
export interface ChangeBatch {
  /** Each chunk's last change in the batch. */
  last: Map<string, ChunkChange>;
  /** Chunks whose last change adds (or replaces) them, and chunks whose last change deletes them. */
  adds: string[];
  deletes: string[];
}

/** Collapses `changes` (oldest first) to each chunk's last change; chunks keep the order of their first change. */
export function collapseChanges(changes: readonly ChunkChange[]): ChangeBatch {
  const last = new Map<string, ChunkChange>();
  for (const c of changes) last.set(c.chunkId, c);
  const adds: string[] = [];
  const deletes: string[] = [];
  for (const [chunkId, { op }] of last) (op === "add" ? adds : deletes).push(chunkId);
  return { last, adds, deletes };
}
