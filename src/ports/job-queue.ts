/** Job states, named as BullMQ names them (the in-process queue uses the same names). */
export type JobState = "waiting" | "active" | "completed" | "failed" | "delayed";

/**
 * An ingestion job. It carries no document text: the upload is kept under DATA_DIR (owner-only permissions)
 * and referenced by path, so queue storage (Redis) never holds customer content.
 */
export interface IngestJobData {
  /** Stored upload to ingest. */
  uploadPath: string;
  /** Original file name (type detection, messages). */
  fileName: string;
  /** Target document id (PUT, or JSON uploads with an id); derived from the file name when absent. */
  documentId: string;
  /** sha256 of the upload bytes: with documentId, the deduplication key. */
  contentHash: string;
  collection: string;
  title?: string;
  /** Replace an existing document (PUT) rather than create one. */
  replace?: boolean;
}

export interface IngestJobResult {
  documents: number;
  chunks: number;
  embedded: number;
  unchanged: number;
  documentIds: string[];
}

export interface JobInfo {
  id: string;
  documentId: string;
  fileName: string;
  /** Collection the document goes to (collection-limited API keys see only their collections' jobs). */
  collection: string;
  state: JobState;
  /** 0–100. */
  progress: number;
  attempts: number;
  result?: IngestJobResult;
  error?: string;
  createdAt: string;
  finishedAt?: string;
}

export interface EnqueueResult {
  id: string;
  /** True when an identical job (same document and content) was already queued or running. */
  deduplicated: boolean;
}

/** Where uploads wait for ingestion: BullMQ on Redis, or the persisted in-process queue. */
export interface JobQueue {
  enqueue(data: IngestJobData): Promise<EnqueueResult>;
  get(id: string): Promise<JobInfo | undefined>;
  list(options?: { state?: JobState; limit?: number }): Promise<JobInfo[]>;
  /**
   * Removes the waiting jobs of document `(collection, documentId)` (a DELETE cancels queued ingestion); jobs of the
   * same id in other collections are untouched. Returns how many.
   */
  cancelForDocument(collection: string, documentId: string): Promise<number>;
  counts(): Promise<Record<JobState, number>>;
  close(): Promise<void>;
}

/** Reports progress (0–100) of the running job. */
export type ProgressReporter = (percent: number) => Promise<void> | void;

/** Runs one job; throws InvalidInputError/UnsupportedDocumentError for input that can never succeed (no retry). */
export type JobProcessor = (data: IngestJobData, progress: ProgressReporter) => Promise<IngestJobResult>;
