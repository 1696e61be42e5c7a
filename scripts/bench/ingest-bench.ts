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
  /** Rate and memory every 30 s during the ingest (empty for short runs). */
  progress: IngestProgressSample[];
}

/** Seconds between progress lines during a long ingest (the 1M run takes most of an hour). */
const PROGRESS_EVERY_MS = 30_000;

/** One progress line: where a long ingest is, its rate since the previous line and the process's memory. */
export interface IngestProgressSample {
  seconds: number;
  chunks: number;
  /** Chunks per second since the previous sample. */
  recentRate: number;
  heapUsedMB: number;
  rssMB: number;
}

/**
 * Ingests `files` end to end (load→chunk→embed→store→index) as `npm run ingest` does, then again unchanged. With
 * `log`, a line every 30 s shows the rate over time and the heap (the 1M run once ran out of heap near 740k).
 */
export async function benchIngest(engine: Engine, files: readonly string[], log?: (message: string) => void): Promise<IngestResult> {
  const t0 = performance.now();
  const progress: IngestProgressSample[] = [];
  let last = { at: t0, chunks: 0 };
  const summary = await ingestIntoEngine(engine, files, {
    onProgress: (p) => {
      const now = performance.now();
      if (!log || now - last.at < PROGRESS_EVERY_MS) return;
      const mem = process.memoryUsage();
      const sample = {
        seconds: round((now - t0) / 1000, 1),
        chunks: p.chunks,
        recentRate: round((p.chunks - last.chunks) / ((now - last.at) / 1000), 1),
        heapUsedMB: Math.round(mem.heapUsed / 1e6),
        rssMB: Math.round(mem.rss / 1e6),
      };
      progress.push(sample);
      log(`  ingest ${sample.seconds} s: ${sample.chunks} chunks, ${sample.recentRate} chunks/s recent, heap ${sample.heapUsedMB} MB, rss ${sample.rssMB} MB`);
      last = { at: now, chunks: p.chunks };
    },
  });
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
    progress,
  };
}
