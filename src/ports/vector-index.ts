/** One nearest-neighbour hit: the integer label of a stored vector and its cosine similarity. */
export interface VectorHit {
  label: number;
  similarity: number;
}

/**
 * An approximate nearest-neighbour index over L2-normalised vectors, keyed by integer labels
 * (the store's chunk row ids). It is a cache of the store: rebuildable from it at any time.
 */
export interface VectorIndex {
  readonly dimensions: number;
  readonly size: number;
  /** Adds (or replaces) vectors. */
  add(items: ReadonlyArray<{ label: number; vector: Float32Array }>): void;
  /** Removes labels; unknown labels are ignored. */
  remove(labels: readonly number[]): void;
  has(label: number): boolean;
  /** Top-k by cosine similarity, best first. `filter` restricts hits to allowed labels. */
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[];
  /** Writes the index to `file` atomically (temp file + rename). */
  save(file: string): Promise<void>;
}

/** Creates empty indexes and loads saved ones. */
export interface VectorIndexFactory {
  create(dimensions: number): VectorIndex;
  load(file: string, dimensions: number): Promise<VectorIndex>;
}
