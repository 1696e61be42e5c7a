import type { ChunkFilter } from "../domain/chunk.js";
import type { SourceType } from "../domain/document.js";

/** One nearest-neighbour hit: the store-wide chunk key (`Chunk.id`) and its cosine similarity. */
export interface VectorHit {
  chunkId: string;
  similarity: number;
}

/** Hits best first; equal similarities by chunk key, so results do not depend on insertion order. */
export function compareHits(a: VectorHit, b: VectorHit): number {
  return b.similarity - a.similarity || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0);
}

/** A stored vector with the chunk fields a filter is evaluated on (filters are data, evaluated by the index). */
export interface VectorEntry {
  chunkId: string;
  vector: Float32Array;
  collection: string;
  documentId: string;
  sourceType: SourceType;
  product?: string;
  language?: string;
}

/** Nearest-neighbour search over L2-normalised chunk vectors, keyed by chunk key. */
export interface VectorIndex {
  readonly dimensions: number;
  /** Live vectors. */
  readonly size: number;
  /** Whether the chunk's vector is searchable here. */
  has(chunkId: string): boolean;
  /** Top-k by cosine similarity, best first, among the chunks `filter` keeps (see `ChunkFilter`). */
  search(query: Float32Array, k: number, filter?: ChunkFilter): Promise<VectorHit[]>;
}

/**
 * A vector index held by one process: a cache of the store (rebuildable from it at any time) that the change-log
 * follower (src/index/vector-cache.ts) keeps current.
 */
export interface MutableVectorIndex extends VectorIndex {
  /** Adds (or replaces) vectors. */
  add(items: readonly VectorEntry[]): void;
  /** Removes chunk keys; unknown keys are ignored. */
  remove(chunkIds: readonly string[]): void;
  /** Writes the index (with whatever it needs to reload keys and filter fields) to `file` atomically. */
  save(file: string): Promise<void>;
  /**
   * For indexes that insert on another thread (`add` returns before the vectors are searchable): resolves once at
   * most `maxQueued` vectors still wait to be inserted or removed; 0: every change so far shows in searches.
   */
  settle?(maxQueued?: number): Promise<void>;
  /** Releases what the index holds beyond the heap (its thread); the index is not used afterwards. */
  close?(): Promise<void>;
}

/** Creates empty indexes and loads saved ones. */
export interface VectorIndexFactory {
  create(dimensions: number): MutableVectorIndex;
  load(file: string, dimensions: number): Promise<MutableVectorIndex>;
}
