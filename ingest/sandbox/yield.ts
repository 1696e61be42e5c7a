/** Lets the event loop run (timers, I/O, other requests) before the caller continues. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Vectors indexed per catch-up call (a few ms of HNSW inserts; an insert costs more as the index grows). */
export const INDEX_SLICE = 32;
/** Time spent catching up before the event loop gets a turn. */
const INDEX_SLICE_MS = 20;

/**
 * Catches a vector index up with the change log in slices, yielding in between, so a large ingest (or another
 * process's) never holds the serving event loop for longer than one slice of HNSW inserts.
 */
export async function catchUpInSlices(vectors: { catchUp(maxChanges?: number): Promise<number> }, slice = INDEX_SLICE): Promise<void> {
  let started = performance.now();
  while ((await vectors.catchUp(slice)) >= slice) {
    if (performance.now() - started < INDEX_SLICE_MS) continue;
    await yieldToLoop();
    started = performance.now();
  }
}
