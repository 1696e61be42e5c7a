import type { Engine } from "../../src/container.js";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import { round } from "./stats.js";

/** End-to-end ingest of one benchmark size into a fresh DATA_DIR. */
export interface IngestResult {
  documents: number;
  chunks: number;
  failed: number;
  /** INGEST_WORKERS used (0 = in-process). */
  workers: number;
  totalSeconds: number;
  chunksPerSecond: number;
  /** Writing the HNSW file and manifest (not part of chunks/s: it happens on close or every INDEX_SAVE_EVERY changes). */
  saveSeconds: number;
  /** Second ingest of the same, unchanged files (every document a no-op). */
  reingestSeconds: number;
  reingestUnchanged: number;
}

/** Ingests `files` end to end (load→chunk→embed→store→index) as `npm run ingest` does, then again unchanged. */
export async function benchIngest(engine: Engine, files: readonly string[]): Promise<IngestResult> {
  const t0 = performance.now();
  const summary = await ingestIntoEngine(engine, files);
  const t2 = performance.now();
  await engine.indexes.save();
  const t3 = performance.now();
  const again = await ingestIntoEngine(engine, files);
  const t4 = performance.now();
  const total = (t2 - t0) / 1000;
  return {
    documents: summary.documents,
    chunks: summary.chunks,
    failed: summary.failed,
    workers: engine.config.INGEST_WORKERS,
    totalSeconds: round(total),
    chunksPerSecond: round(summary.chunks / total, 1),
    saveSeconds: round((t3 - t2) / 1000),
    reingestSeconds: round((t4 - t3) / 1000),
    reingestUnchanged: again.unchanged,
  };
}
