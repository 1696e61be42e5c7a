import { join } from "node:path";
import type { Engine } from "../src/container.js";
import { errorMessage } from "../src/errors.js";
import { LocalHashEmbedder } from "../src/adapters/local-embedder.js";
import type { BullMqWorkerOptions } from "../src/adapters/bullmq-queue.js";
import type { JobLedger } from "../src/ports/job-ledger.js";
import type { IngestJobData, JobProcessor } from "../src/ports/job-queue.js";
import type { UploadStore } from "../src/ports/upload-store.js";
import type { JobLogger } from "../src/jobs/job-contract.js";
import { createIngestProcessor, createRetriesExhaustedHandler } from "./processor.js";
import { ParseSandbox } from "./sandbox/parse-sandbox.js";
import { parseLimitsFrom } from "./sandbox/parse-limits.js";
import { catchUpInSlices } from "./sandbox/yield.js";

// Composition: the one job processor (ingest/processor.ts, a use case over ports) wired to an open engine and its
// concrete parse sandbox. Entry points (the API's in-process runner, `npm run worker`) call this.

/** What {@link engineIngestJobs} wires: the job processor, its final-failure handler, and the sandbox's `close`. */
export interface EngineIngestJobs {
  processor: JobProcessor;
  onRetriesExhausted: (data: IngestJobData, err: unknown) => Promise<void>;
  close(): void;
}

/**
 * The processor and final-failure handler wired to an open engine, for `npm run worker` and the API's in-process
 * runner: after each ingest the engine's vector index catches up (and is saved every INDEX_SAVE_EVERY changes).
 * `close()` (after the queue's worker stopped) kills the parse sandbox's children, idle ones kept for reuse included.
 */
export function engineIngestJobs(
  engine: Pick<Engine, "config" | "dataDir" | "store" | "embedder" | "indexes" | "ingestSettings" | "redact" | "documentIds">,
  uploads: UploadStore,
  logger?: JobLogger,
  /** Whether this process may write the index snapshot now (serving processes: the snapshot lease); default yes. */
  maySaveSnapshot: () => boolean = () => true,
): EngineIngestJobs {
  const sandbox = engineParseSandbox(engine);
  const processor = createIngestProcessor({
    store: engine.store,
    embedder: engine.embedder,
    redact: engine.redact,
    documentIds: engine.documentIds,
    uploads,
    settings: (collection) => engine.ingestSettings(collection),
    maxBytes: engine.config.MAX_FILE_BYTES,
    sandbox,
    // The documents are committed by now: the index is only a cache of them, so failing to catch it up or save it
    // must not fail (and re-run) the job. The follower catches up again; the next save writes it.
    onIngested: async () => {
      try {
        await catchUpInSlices(engine.indexes);
        if (maySaveSnapshot()) await engine.indexes.saveIfDirty(engine.config.INDEX_SAVE_EVERY);
      } catch (err) {
        logger?.warn({ err: errorMessage(err) }, "updating or saving the vector index after a job failed; the job stands");
      }
    },
  });
  return {
    processor,
    onRetriesExhausted: createRetriesExhaustedHandler({ store: engine.store, uploads, documentIds: engine.documentIds }),
    close: () => sandbox.close(),
  };
}

/** A BullMQ worker's options for `jobs` from the config: the same for `npm run worker` and the API's own worker. */
export function bullMqWorkerOptions(config: Engine["config"], redisUrl: string, jobs: EngineIngestJobs, ledger: JobLedger, logger: JobLogger): BullMqWorkerOptions {
  return {
    redisUrl,
    queueName: config.QUEUE_NAME,
    concurrency: config.WORKER_CONCURRENCY,
    processor: jobs.processor,
    onRetriesExhausted: jobs.onRetriesExhausted,
    ledger,
    logger,
  };
}

/**
 * The parse sandbox for an engine: its limits from the config; the child embeds with the same local embedder and
 * redacts with the same REDACT_PATTERNS (a remote embedder's vectors are requested here instead).
 */
export function engineParseSandbox(engine: Pick<Engine, "config" | "embedder" | "dataDir" | "documentIds">): ParseSandbox {
  // The child writes large documents into the SQLite file itself; with the PostgreSQL store the parent writes them.
  const local = engine.embedder instanceof LocalHashEmbedder && !engine.config.DATABASE_URL ? engine.embedder : undefined;
  return new ParseSandbox({
    limits: parseLimitsFrom(engine.config),
    embedderId: engine.embedder.id,
    ...(local ? { embedder: local.options, storePath: join(engine.dataDir, "store.db") } : {}),
    redaction: { patterns: engine.config.REDACT_PATTERNS, policy: engine.config.REDACT_POLICY },
    ...(engine.documentIds.spec ? { documentIds: engine.documentIds.spec } : {}),
  });
}

