import type { Chunk, ChunkTerms, ChunkFilter } from "../domain/chunk.js";
import type { StoredDocument } from "../domain/document.js";

/** A chunk ready to be written: text, provenance, analyzer tokens for BM25 and its vector. */
export interface ChunkInput {
  chunk: Chunk;
  /** Analyzer tokens of the section path + title (weighted field). */
  titleTokens: string[];
  /** Analyzer tokens of the text. */
  bodyTokens: string[];
  vector: Float32Array;
}

/** A numbered entry of the store's change log: what happened to one chunk row. */
export interface ChunkChange {
  seq: number;
  op: "add" | "delete";
  /** Chunk row id: the vector index label. */
  label: number;
}

export interface Bm25Hit {
  label: number;
  score: number;
}

export interface DocumentListQuery {
  /** Only documents with this id (in any collection the other fields allow). */
  id?: string;
  collection?: string;
  status?: string;
  sourceType?: string;
  /** Only documents whose sourcePath starts with this prefix. */
  sourcePathPrefix?: string;
  limit?: number;
  offset?: number;
}

/** Embedder identity recorded by the store: it must match the configured embedder. */
export interface EmbedderStamp {
  id: string;
  dimensions: number;
}

export type DocumentRecord = Omit<StoredDocument, "chunkCount" | "createdAt" | "updatedAt" | "status" | "lastError">;

/** Outcome of replacing one document's chunks. */
export interface ReplaceResult {
  added: number;
  removed: number;
  kept: number;
}

/** A destructive action on a document, as written to the audit log. */
export type AuditAction = "replace" | "delete" | "cancel";

/** One audit-log entry: who (API key name, never the key), what, on which document `(collection, id)`, when. */
export interface AuditEntry {
  /** ISO 8601 UTC. */
  at: string;
  keyName: string;
  action: AuditAction;
  collection: string;
  /** The document id as stored. */
  documentId: string;
  /** Request id, to find the request's log lines. */
  requestId?: string;
  /** Jobs cancelled (`cancel`). */
  count?: number;
}

export interface AuditQuery {
  /** Only entries of these collections; undefined: all. */
  collections?: readonly string[];
  /** Newest first, at most this many (default 100). */
  limit?: number;
}

/**
 * The source of truth: documents, chunks, vectors, BM25 tokens and a monotonically numbered change log.
 * Every write is one transaction, so a crash leaves the last committed state.
 */
export interface DocumentStore {
  /** A document is identified by `(collection, id)`: the same id in two collections is two documents. */
  getDocument(collection: string, id: string): StoredDocument | undefined;
  listDocuments(query?: DocumentListQuery): StoredDocument[];
  countDocuments(query?: DocumentListQuery): number;
  /** Content hashes of a document's current chunks mapped to their vectors (re-embedding only what changed). */
  existingVectors(collection: string, documentId: string): Map<string, Float32Array>;
  /**
   * Atomically makes `chunks` the document `(doc.collection, doc.id)`'s chunks (each chunk must carry that
   * collection and document id): rows with an unchanged content hash are kept (metadata updated),
   * others removed, new ones added; the change log records each add and delete.
   */
  replaceDocument(doc: DocumentRecord, chunks: ChunkInput[]): ReplaceResult;
  /**
   * Runs the synchronous `fn` as one transaction, so a bulk ingest commits many documents at once. The writes inside
   * share it: when `fn` throws, none of them is stored (not even one whose own call returned), so callers wanting
   * per-item isolation retry the items one batch each. Optional: callers without it run each write on its own.
   */
  writeBatch?<T>(fn: () => T): T;
  /** Records a failed ingestion of a document (keeps its previous chunks, if any). */
  markFailed(collection: string, id: string, error: string, record?: Partial<DocumentRecord>): void;
  /** Removes a document, its chunks and vectors everywhere. Returns false if it did not exist. */
  deleteDocument(collection: string, id: string): boolean;
  /** BM25 over the analyzer tokens; best first. */
  searchBm25(queryTokens: string[], k: number, filter?: ChunkFilter): Bm25Hit[];
  /** Chunks by label, in the order given (missing labels skipped). */
  getChunks(labels: readonly number[]): Array<Chunk & { label: number }>;
  /** All chunks of a document in position order. */
  getDocumentChunks(collection: string, documentId: string): Array<Chunk & { label: number }>;
  /** Whether `label` passes `filter` (for filtered vector search). */
  labelFilter(filter: ChunkFilter): ((label: number) => boolean) | undefined;
  /** Vectors by label (for index catch-up); missing labels skipped. */
  getVectors(labels: readonly number[]): Map<number, Float32Array>;
  /**
   * Candidates for re-ranking by label, without their text: position, section and the analyzer terms stored at
   * ingest, exactly what `analyze()` returned then (the pipeline version pins the analyzer). Missing labels skipped.
   */
  getChunkTerms(labels: readonly number[]): Map<number, ChunkTerms>;
  /** Replaces stored vectors (reindex); logged so every follower rebuilds those labels. Returns how many. */
  updateVectors(items: ReadonlyArray<{ label: number; vector: Float32Array }>): number;
  /** Change-log entries after `seq`, oldest first, at most `limit`. */
  changesSince(seq: number, limit: number): ChunkChange[];
  /** Highest change-log sequence number (0 when empty). */
  lastSeq(): number;
  /** Labels of every live chunk (full index rebuild). */
  allLabels(): number[];
  /** Chunk count and per-term chunk frequencies of analyzer terms (for IDF weights). */
  termStats(terms: readonly string[]): { chunks: number; df: Map<string, number> };
  /** Appends to the audit log of destructive actions (kept in the store, so it is backed up with it). */
  recordAudit(entry: AuditEntry): void;
  /** Audit entries, newest first. */
  listAudit(query?: AuditQuery): AuditEntry[];
  embedderStamp(): EmbedderStamp | undefined;
  setEmbedderStamp(stamp: EmbedderStamp): void;
  /** Writes a consistent copy of the database to `file` while the store stays usable. */
  backup(file: string): Promise<void>;
  close(): void;
}
