import type { Engine } from "../src/container.js";
import { ingestPaths, type IngestPathsOptions, type IngestSummary } from "./ingest-files.js";

/** Changes applied between two turns of the event loop while ingesting (~30 ms of HNSW inserts on this thread). */
const INDEX_SLICE = 32;

export type EngineIngestOptions = Pick<IngestPathsOptions, "prune" | "onProgress"> & { collection?: string | undefined };

/**
 * Ingests paths into an open engine the way `npm run ingest` does: the engine's redactor, INGEST_WORKERS worker
 * threads, and the vector index catching up as batches commit, in slices, so the workers' questions (which
 * documents changed) are answered in between and they never wait long. The index is fully caught up (searchable) on
 * return.
 */
export async function ingestIntoEngine(engine: Engine, paths: readonly string[], options: EngineIngestOptions = {}): Promise<IngestSummary> {
  const { config } = engine;
  const summary = await ingestPaths({ store: engine.store, embedder: engine.embedder, redact: engine.redact, documentIds: engine.documentIds }, paths, {
    settings: engine.ingestSettings(options.collection),
    maxBytes: config.MAX_FILE_BYTES,
    ...(options.prune !== undefined ? { prune: options.prune } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    workers: config.INGEST_WORKERS,
    redaction: { patterns: config.REDACT_PATTERNS, policy: config.REDACT_POLICY },
    afterWrite: async () => {
      // An index on its own thread takes the batch at once and inserts beside the next writes (with a bounded backlog).
      if (config.HNSW_THREAD) await engine.indexes.queueCatchUp();
      else while ((await engine.indexes.catchUp(INDEX_SLICE)) > 0) await new Promise((resolve) => setImmediate(resolve));
    },
  });
  await engine.indexes.catchUp();
  return summary;
}
