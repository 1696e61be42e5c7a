/** Lets the event loop run (timers, I/O, other requests) before the caller continues. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Vectors indexed per catch-up call (a few ms of HNSW inserts; an insert costs more as the index grows). */
export const INDEX_SLICE = 32;
/** Time spent catching up before the event loop gets a turn. */
const INDEX_SLICE_MS = 20;

/**
 * Catches the indexes up with the change log in slices, yielding in between, so a large ingest (or another
 * process's) never holds the serving event loop for longer than one slice of HNSW inserts. Slices are handed over
 * (`queueCatchUp`): an HNSW index on its own thread inserts them beside this loop instead of one slice at a time,
 * and the final `catchUp` returns once everything is searchable.
 */
export async function catchUpInSlices(
  indexes: { catchUp(maxChanges?: number): Promise<number>; queueCatchUp?(maxChanges?: number): Promise<number> },
  slice = INDEX_SLICE,
): Promise<void> {
  const handOver = (n: number): Promise<number> => (indexes.queueCatchUp ? indexes.queueCatchUp(n) : indexes.catchUp(n));
  let started = performance.now();
  while ((await handOver(slice)) >= slice) {
    if (performance.now() - started < INDEX_SLICE_MS) continue;
    await yieldToLoop();
    started = performance.now();
  }
  if (indexes.queueCatchUp) await indexes.catchUp(0);
}
