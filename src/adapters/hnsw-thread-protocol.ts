import type { ChunkFilter } from "../domain/chunk.js";
import type { VectorEntry, VectorHit } from "../ports/vector-index.js";
import type { HnswOptions } from "./hnsw-index.js";
import type { PackedKeys } from "./hnsw-keys-file.js";

// Messages between ThreadedHnswIndex (hnsw-thread.ts) and the thread that owns the index (hnsw-thread-host.ts).

/** What the index thread starts with: an empty index, or one loaded from a saved file. */
export interface HostSpec {
  dimensions: number;
  options: HnswOptions;
  /** Load this saved index (with its key table) instead of creating an empty one. */
  file?: string;
}

/** Requests, answered in order except `search`, which is answered before queued inserts (see the host). */
export type ToHost =
  | { id: number; op: "add"; entries: VectorEntry[] }
  | { id: number; op: "remove"; chunkIds: string[] }
  | { id: number; op: "search"; query: Float32Array; k: number; filter?: ChunkFilter }
  | { id: number; op: "save"; file: string };

/**
 * Replies carry the live vector count after the request (id 0: the index is ready, with a loaded index's keys,
 * packed: one string crosses threads as a copy of its characters, where 100k separate strings were each serialised,
 * allocated and hashed during a cold start).
 */
export type FromHost =
  | { id: number; ok: true; size: number; capacity: number; hits?: VectorHit[]; keys?: PackedKeys }
  | { id: number; ok: false; size: number; capacity: number; error: string; loadError?: boolean };
