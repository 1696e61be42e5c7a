import type { ChunkInput, DocumentRecord, DocumentStore } from "../src/ports/document-store.js";
import type { FileTarget } from "./load-target.js";
import { isUnchanged, unchangedOutcome, type IngestDeps, type IngestOutcome, type IngestSettings } from "./pipeline.js";
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

/** What the ingest thread decided for one loaded document when planning it. */
type Decision = { outcome: IngestOutcome } | { known: Map<string, Float32Array>; existed: boolean };

interface FileResult {
  target: FileTarget;
  prepared?: PreparedFile;
  decisions: Decision[];
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
      writeBatch(deps.store, batch, deps.embedder.dimensions).forEach((r, j) => onResult(batch[j]!.target, r));
      batch = [];
      batchChunks = 0;
      await options.afterWrite?.();
    }
  }
}

async function prepareFile(store: DocumentStore, pool: PrepareWorkerPool, target: FileTarget, options: PooledIngestOptions): Promise<FileResult> {
  const result: FileResult = { target, decisions: [] };
  try {
    result.prepared = await pool.prepare(target, options.maxBytes, options.settings, (records) => {
      result.decisions = records.map((record) => decide(store, record));
      return result.decisions.map((d) => ("known" in d ? [...d.known.keys()] : null));
    });
  } catch (err) {
    result.error = err;
  }
  return result;
}

function decide(store: DocumentStore, record: DocumentRecord): Decision {
  const existing = store.getDocument(record.collection, record.id);
  if (isUnchanged(existing, record)) return { outcome: unchangedOutcome(existing, record) };
  return { known: existing ? store.existingVectors(record.collection, record.id) : new Map(), existed: existing !== undefined };
}

/**
 * Writes the files' documents in one transaction. Should one file fail to write, the batch rolls back whole and
 * each file is written in a transaction of its own, so only the failing file is reported and nothing of it stays.
 */
function writeBatch(store: DocumentStore, files: readonly FileResult[], dims: number): Array<IngestOutcome[] | { error: unknown }> {
  const inTransaction = <T>(fn: () => T): T => (store.writeBatch ? store.writeBatch(fn) : fn());
  const write = (file: FileResult): IngestOutcome[] | { error: unknown } =>
    file.error !== undefined || !file.prepared ? { error: file.error } : writeFile(store, file.prepared, file.decisions, dims);
  if (store.writeBatch && files.length > 1) {
    try {
      return inTransaction(() => files.map(write));
    } catch {
      // One file's write failed: fall through to isolate it.
    }
  }
  return files.map((file) => {
    try {
      return inTransaction(() => write(file));
    } catch (err) {
      return { error: err };
    }
  });
}

function writeFile(store: DocumentStore, prepared: PreparedFile, decisions: readonly Decision[], dims: number): IngestOutcome[] {
  const payloads = new Map(prepared.docs.map((d) => [d.index, d]));
  return prepared.records.map((record, i) => {
    const decision = decisions[i]!;
    if ("outcome" in decision) return decision.outcome;
    const payload = payloads.get(i);
    if (!payload) throw new Error(`ingest worker returned no chunks for document ${record.id}`);
    const { inputs, embedded } = chunkInputs(payload, decision.known, dims);
    store.replaceDocument(record, inputs);
    const status = decision.existed ? "updated" : "added";
    return { documentId: record.id, status, chunks: inputs.length, embedded, pages: record.pages ?? 0 };
  });
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
