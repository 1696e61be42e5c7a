import type { LoadedDocument } from "../src/domain/document.js";
import { AppError, errorMessage } from "../src/errors.js";
import type { DocumentRepository } from "../src/ports/document-repository.js";
import type { Embedder } from "../src/ports/embedder.js";
import type { IngestJobData, IngestJobResult, JobProcessor } from "../src/ports/job-queue.js";
import type { UploadStore } from "../src/ports/upload-store.js";
import { loadFile } from "./loaders/load-file.js";
import { ingestDocuments, type IngestOutcome, type IngestSettings, type TextRedactor } from "./pipeline.js";
import { isPermanentFailure } from "../src/jobs/job-contract.js";
import type { DocumentIds } from "../src/assist/document-ids.js";
import { ParseSandbox } from "./sandbox/parse-sandbox.js";
import { ingestInSandbox } from "./sandbox/sandboxed-ingest.js";

export interface IngestProcessorDeps {
  store: DocumentRepository;
  embedder: Embedder;
  uploads: UploadStore;
  settings: (collection: string) => IngestSettings;
  maxBytes: number;
  /** PII redaction applied before anything is stored (the engine's `redact`). */
  redact?: TextRedactor;
  /** Stored form of document ids (the engine's `documentIds`); job data should already carry stored ids. */
  documentIds?: DocumentIds;
  /** Runs after documents were written (the API catches its in-process vector index up here). */
  onIngested?: () => Promise<void>;
  /**
   * Where uploads are loaded and parsed: in a child process with resource limits (the service always passes one,
   * so a hostile file cannot stall or crash it), or, when absent, in this process (tests of the pipeline).
   */
  sandbox?: ParseSandbox;
}

/** Documents written per `ingestDocuments` call, so multi-record files report progress and commit in steps. */
const DOCS_PER_STEP = 64;

/** The upload a job points at no longer exists (already processed by an earlier run, or cancelled). */
export class UploadGoneError extends AppError {
  constructor(path: string, options?: { cause?: unknown }) {
    super("upload-gone", 410, `the upload for this job is gone (already processed or cancelled): ${path}`, options);
  }
}

/**
 * The one ingestion job processor both queues run: reads the stored upload, loads and ingests it, and removes the
 * upload once the outcome is final (success or bad input) so customer content does not linger. On a transient
 * failure the upload stays for the retry; a permanent failure is recorded on the document (`lastError`).
 */
export function createIngestProcessor(deps: IngestProcessorDeps): JobProcessor {
  return async (data, progress) => {
    try {
      const outcomes = await loadAndIngest(deps, data, progress);
      await deps.onIngested?.();
      await deps.uploads.remove(data.uploadPath);
      await progress(100);
      return summarize(outcomes);
    } catch (err) {
      if (isPermanentFailure(err)) await recordPermanentFailure(deps, data, err);
      throw err;
    }
  };
}

/**
 * Final clean-up for a job that failed on its last allowed attempt with a transient error: records the error
 * on the document and removes the upload (no retry will need it). Queues call this from `onRetriesExhausted`.
 */
export function createRetriesExhaustedHandler(deps: Pick<IngestProcessorDeps, "store" | "uploads" | "documentIds">) {
  return async (data: IngestJobData, err: unknown): Promise<void> => {
    await markFailed(deps, data, `ingestion failed after retries: ${errorMessage(err)}`);
    await deps.uploads.remove(data.uploadPath);
  };
}

/** Loads the job's upload (in the sandbox when there is one) and writes its documents. */
async function loadAndIngest(deps: IngestProcessorDeps, data: IngestJobData, progress: (percent: number) => Promise<void> | void): Promise<IngestOutcome[]> {
  const settings = deps.settings(data.collection);
  if (deps.sandbox) {
    const path = await uploadGoneAs(() => deps.uploads.localPath(data.uploadPath), data.uploadPath);
    await progress(10);
    const request = { path, fileName: data.fileName, id: data.documentId, maxBytes: deps.maxBytes, settings, ...(data.title ? { title: data.title } : {}) };
    return ingestInSandbox(deps, deps.sandbox, request, progress);
  }
  const bytes = await uploadGoneAs(() => deps.uploads.read(data.uploadPath), data.uploadPath);
  const docs = await loadFile(
    { bytes, fileName: data.fileName, id: data.documentId, ...(data.title ? { title: data.title } : {}) },
    { maxBytes: deps.maxBytes },
  );
  await progress(10);
  return ingestInSteps(deps, docs, settings, progress);
}

async function uploadGoneAs<T>(read: () => Promise<T>, path: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new UploadGoneError(path, { cause: err });
    throw err;
  }
}

async function ingestInSteps(
  deps: IngestProcessorDeps,
  docs: readonly LoadedDocument[],
  settings: IngestSettings,
  progress: (percent: number) => Promise<void> | void,
): Promise<IngestOutcome[]> {
  await progress(30);
  const outcomes: IngestOutcome[] = [];
  for (let i = 0; i < docs.length; i += DOCS_PER_STEP) {
    outcomes.push(...(await ingestDocuments(deps, docs.slice(i, i + DOCS_PER_STEP), settings)));
    await progress(30 + Math.floor((65 * Math.min(docs.length, i + DOCS_PER_STEP)) / docs.length));
  }
  return outcomes;
}

async function recordPermanentFailure(deps: IngestProcessorDeps, data: IngestJobData, err: unknown): Promise<void> {
  // A vanished upload says nothing about the document: an earlier run of this job may well have ingested it.
  if (!(err instanceof UploadGoneError)) await markFailed(deps, data, errorMessage(err));
  // The job's own error is what matters; a path the upload store refuses has nothing to remove anyway.
  await deps.uploads.remove(data.uploadPath).catch(() => undefined);
}

/** The failed row keeps the file name (as the job carries it, already redacted upstream) and the reason, no content. */
async function markFailed(deps: Pick<IngestProcessorDeps, "store" | "documentIds">, data: IngestJobData, message: string): Promise<void> {
  const id = deps.documentIds ? deps.documentIds.toStored(data.documentId) : data.documentId;
  await deps.store.markFailed(data.collection, id, message, { collection: data.collection, sourceType: "manual", format: "unknown", sourcePath: data.fileName });
}

function summarize(outcomes: readonly IngestOutcome[]): IngestJobResult {
  return {
    documents: outcomes.length,
    chunks: outcomes.reduce((s, o) => s + o.chunks, 0),
    embedded: outcomes.reduce((s, o) => s + o.embedded, 0),
    unchanged: outcomes.filter((o) => o.status === "unchanged").length,
    documentIds: outcomes.map((o) => o.documentId),
  };
}
