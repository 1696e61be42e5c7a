import type { Chunk, ChunkTerms } from "../domain/chunk.js";
import type { StoredDocument } from "../domain/document.js";
import type { KeywordDoc } from "./keyword-index.js";
import type { VectorEntry } from "./vector-index.js";

/** A chunk ready to be written: text, provenance, analyzer tokens for BM25 and its vector. */
export interface ChunkInput {
  chunk: Chunk;
  /** Analyzer tokens of the section path + title (weighted field). */
  titleTokens: string[];
  /** Analyzer tokens of the text. */
  bodyTokens: string[];
  vector: Float32Array;
}

export interface DocumentListQuery {
  /** Only documents with this id (in any collection the other fields allow). */
  id?: string;
  collection?: string;
  /** Only documents of these collections (a collection-limited key's listing); an empty list matches nothing. */
  collections?: readonly string[];
  status?: string;
  sourceType?: string;
  /** Only documents whose sourcePath starts with this prefix. */
  sourcePathPrefix?: string;
  /** Only documents whose title contains this text, ignoring case (ASCII case in SQLite, every script's in PostgreSQL). */
  titleContains?: string;
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

/** One document write of a batch: make `chunks` the chunks of `doc`. */
export interface DocumentWrite {
  doc: DocumentRecord;
  chunks: ChunkInput[];
}

/**
 * The source of truth: documents, chunks (keyed by `Chunk.id`, unique in the whole store — see src/domain/chunk.ts),
 * vectors, the analyzer terms stored with each chunk, the audit log and the embedder stamp. Every write is one
 * transaction that also appends to the change log (src/ports/change-log.ts), so a crash leaves the last committed
 * state and every follower sees exactly the committed writes.
 */
export interface DocumentRepository {
  /** A document is identified by `(collection, id)`: the same id in two collections is two documents. */
  getDocument(collection: string, id: string): Promise<StoredDocument | undefined>;
  listDocuments(query?: DocumentListQuery): Promise<StoredDocument[]>;
  countDocuments(query?: DocumentListQuery): Promise<number>;
  /** Content hashes of a document's current chunks mapped to their vectors (re-embedding only what changed). */
  existingVectors(collection: string, documentId: string): Promise<Map<string, Float32Array>>;
  /**
   * Atomically makes `chunks` the document `(doc.collection, doc.id)`'s chunks (each chunk must carry that
   * collection and document id): chunks with an unchanged content hash are kept (metadata updated), others
   * removed, new ones added; the change log records each add and delete.
   */
  replaceDocument(doc: DocumentRecord, chunks: ChunkInput[]): Promise<ReplaceResult>;
  /**
   * Several `replaceDocument`s in one transaction (a bulk ingest commits many documents at once): when one fails,
   * none is stored and the promise rejects, so callers wanting per-item isolation retry the items one by one.
   */
  replaceDocuments(writes: readonly DocumentWrite[]): Promise<ReplaceResult[]>;
  /** Records a failed ingestion of a document (keeps its previous chunks, if any). */
  markFailed(collection: string, id: string, error: string, record?: Partial<DocumentRecord>): Promise<void>;
  /** Removes a document, its chunks and vectors everywhere. Resolves false if it did not exist. */
  deleteDocument(collection: string, id: string): Promise<boolean>;
  /** Chunks by key, in the order given (missing keys skipped). */
  getChunks(chunkIds: readonly string[]): Promise<Chunk[]>;
  /** All chunks of a document in position order. */
  getDocumentChunks(collection: string, documentId: string): Promise<Chunk[]>;
  /** Vectors by key; missing keys skipped. */
  getVectors(chunkIds: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Vectors with the fields vector filters need (index catch-up and rebuild); missing keys skipped. */
  vectorEntries(chunkIds: readonly string[]): Promise<VectorEntry[]>;
  /**
   * Candidates for re-ranking by key, without their text: position, section and the analyzer terms stored at
   * ingest, exactly what `analyze()` returned then (the pipeline version pins the analyzer). Missing keys skipped.
   */
  getChunkTerms(chunkIds: readonly string[]): Promise<Map<string, ChunkTerms>>;
  /**
   * Optional: a token that changes whenever a stored chunk may have changed (a write through any connection), so
   * serving processes answer repeated reads of chunks, terms and vectors from memory while it stays the same. Absent
   * where a backend cannot tell cheaply (every such read then goes to the store).
   */
  readVersion?(): Promise<string>;
  /** What a keyword index stores of each chunk (an in-memory index catching up from the change log); missing keys skipped. */
  keywordDocs(chunkIds: readonly string[]): Promise<KeywordDoc[]>;
  /** Replaces stored vectors (reindex); each is logged as an "add" so every follower re-reads it. Resolves how many. */
  updateVectors(items: ReadonlyArray<{ chunkId: string; vector: Float32Array }>): Promise<number>;
  /** Keys of every live chunk (full index rebuild). */
  allChunkIds(): Promise<string[]>;
  /** Appends to the audit log of destructive actions (kept in the store, so it is backed up with it). */
  recordAudit(entry: AuditEntry): Promise<void>;
  /** Audit entries, newest first. */
  listAudit(query?: AuditQuery): Promise<AuditEntry[]>;
  embedderStamp(): Promise<EmbedderStamp | undefined>;
  setEmbedderStamp(stamp: EmbedderStamp): Promise<void>;
  /** Writes a consistent copy of the store to `file` while it stays usable. */
  backup(file: string): Promise<void>;
  close(): Promise<void>;
}
