/** Lets the event loop run (timers, I/O, other requests) before the caller continues. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Vectors indexed between two turns of the event loop (~30 ms of HNSW inserts at the default settings). */
export const INDEX_SLICE = 128;

/**
 * Catches a vector index up with the change log in slices, yielding in between, so a large ingest (or another
 * process's) never holds the serving event loop for longer than one slice of HNSW inserts.
 */
export async function catchUpInSlices(vectors: { catchUp(maxChanges?: number): Promise<number> }, slice = INDEX_SLICE): Promise<void> {
  while ((await vectors.catchUp(slice)) >= slice) await yieldToLoop();
}
