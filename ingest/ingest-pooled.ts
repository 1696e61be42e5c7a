import type { ChunkInput, DocumentRepository, DocumentWrite } from "../src/ports/document-repository.js";
import type { FileTarget } from "./load-target.js";
import { decideDocument, preparedOutcome, type IngestDeps, type IngestOutcome, type IngestSettings, type WriteDecision } from "./pipeline.js";
import type { PreparedPayload } from "./prepare-protocol.js";
import type { PreparedFile, PrepareWorkerPool } from "./worker-pool.js";

/** Files handed to each worker ahead of the writes: enough to keep it busy while the ingest thread indexes. */
const FILES_IN_FLIGHT_PER_WORKER = 16;
/** Chunks committed per transaction (one commit per document costs more than writing its rows). */
const BATCH_CHUNKS = 256;

export interface PooledIngestOptions {
  settings: IngestSettings;
  maxBytes: number;
  /** Runs after each committed batch (the CLI catches the vector index up here, overlapping the workers). */
  afterWrite?: () => Promise<unknown> | unknown;
}

interface FileResult {
  target: FileTarget;
  prepared?: PreparedFile;
  decisions: WriteDecision[];
  error?: unknown;
}

/**
 * Ingests `targets` with prepare workers: this thread only plans (reads the store), writes and runs `afterWrite`.
 * Files are written and reported in the order given, several per transaction, each file in its own savepoint so a
 * file that fails to write is reported (`onResult` with the error) and leaves nothing behind.
 */
export async function ingestPooled(
  deps: IngestDeps,
  targets: readonly FileTarget[],
  options: PooledIngestOptions,
  pool: PrepareWorkerPool,
  onResult: (target: FileTarget, result: IngestOutcome[] | { error: unknown }) => void,
): Promise<void> {
  const window = pool.size * FILES_IN_FLIGHT_PER_WORKER;
  // Only the files in flight are held: a prepared file (text, terms, vectors) is dropped once it is written, so memory
  // stays flat however many files an ingest has (keeping them all ran out of heap near 740k chunks).
  const started = new Map<number, Promise<FileResult>>();
  const start = (i: number): void => {
    if (i < targets.length && !started.has(i)) started.set(i, prepareFile(deps.store, pool, targets[i]!, options));
  };
  for (let i = 0; i < Math.min(window, targets.length); i++) start(i);
  let batch: FileResult[] = [];
  let batchChunks = 0;
  for (let i = 0; i < targets.length; i++) {
    const result = await started.get(i)!;
    started.delete(i);
    start(i + window);
    batch.push(result);
    batchChunks += result.prepared?.docs.reduce((n, d) => n + d.chunks.length, 0) ?? 0;
    // Flushing whenever the next file is not ready yet commits (and indexes) file by file when the workers are the
    // slower side, which measured slower than waiting for a full batch.
    if (batchChunks >= BATCH_CHUNKS || i === targets.length - 1) {
      (await writeBatch(deps.store, batch, deps.embedder.dimensions)).forEach((r, j) => onResult(batch[j]!.target, r));
      batch = [];
      batchChunks = 0;
      await options.afterWrite?.();
    }
  }
}

async function prepareFile(store: DocumentRepository, pool: PrepareWorkerPool, target: FileTarget, options: PooledIngestOptions): Promise<FileResult> {
  const result: FileResult = { target, decisions: [] };
  try {
    result.prepared = await pool.prepare(target, options.maxBytes, options.settings, async (records) => {
      result.decisions = [];
      for (const record of records) result.decisions.push(await decideDocument(store, record));
      return result.decisions.map((d) => ("known" in d ? [...d.known.keys()] : null));
    });
  } catch (err) {
    result.error = err;
  }
  return result;
}

/** A file's outcomes and the document writes behind them, built before anything is written. */
type FilePlan = { outcomes: IngestOutcome[]; writes: DocumentWrite[] } | { error: unknown };

/**
 * Writes the files' documents in one transaction. Should it fail, each file is written in a transaction of its
 * own, so only the failing file is reported and nothing of it stays.
 */
async function writeBatch(store: DocumentRepository, files: readonly FileResult[], dims: number): Promise<Array<IngestOutcome[] | { error: unknown }>> {
  const plans = files.map((file): FilePlan => {
    if (file.error !== undefined || !file.prepared) return { error: file.error };
    try {
      return planFile(file.prepared, file.decisions, dims);
    } catch (err) {
      return { error: err };
    }
  });
  const ready = plans.filter((p) => "writes" in p);
  if (ready.length > 1) {
    try {
      await store.replaceDocuments(ready.flatMap((p) => p.writes));
      return plans.map((p) => ("writes" in p ? p.outcomes : p));
    } catch {
      // One file's write failed: fall through to isolate it.
    }
  }
  const results: Array<IngestOutcome[] | { error: unknown }> = [];
  for (const plan of plans) {
    if (!("writes" in plan)) { results.push(plan); continue; }
    try {
      await store.replaceDocuments(plan.writes);
      results.push(plan.outcomes);
    } catch (err) {
      results.push({ error: err });
    }
  }
  return results;
}

function planFile(prepared: PreparedFile, decisions: readonly WriteDecision[], dims: number): { outcomes: IngestOutcome[]; writes: DocumentWrite[] } {
  const payloads = new Map(prepared.docs.map((d) => [d.index, d]));
  const writes: DocumentWrite[] = [];
  const outcomes = prepared.records.map((record, i) => {
    const decision = decisions[i]!;
    if ("outcome" in decision) return decision.outcome;
    const payload = payloads.get(i);
    if (!payload) throw new Error(`ingest worker returned no chunks for document ${record.id}`);
    const { inputs, embedded } = chunkInputs(payload, decision.known, dims);
    writes.push({ doc: record, chunks: inputs });
    return preparedOutcome(record, inputs, decision.existed, embedded);
  });
  return { outcomes, writes };
}

/** Gives each chunk its stored vector when its hash is known, else the next fresh one the worker computed. */
function chunkInputs(payload: PreparedPayload, known: ReadonlyMap<string, Float32Array>, dims: number): { inputs: ChunkInput[]; embedded: number } {
  const missing = payload.chunks.filter((c) => !known.has(c.chunk.contentHash)).length;
  if (payload.fresh.length !== missing * dims) throw new Error(`ingest worker returned ${payload.fresh.length / dims} vectors for ${missing} new chunks`);
  let embedded = 0;
  const inputs = payload.chunks.map((c): ChunkInput => {
    const stored = known.get(c.chunk.contentHash);
    if (stored) return { ...c, vector: stored };
    const vector = payload.fresh.subarray(embedded * dims, (embedded + 1) * dims);
    embedded++;
    return { ...c, vector };
  });
  return { inputs, embedded };
}
