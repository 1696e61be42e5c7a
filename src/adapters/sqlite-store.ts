import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { ChunkFilter, ChunkTerms } from "../domain/chunk.js";
import type { StoredDocument } from "../domain/document.js";
import type {
  Bm25Hit,
  ChunkChange,
  ChunkInput,
  DocumentListQuery,
  DocumentRecord,
  AuditEntry,
  AuditQuery,
  DocumentStore,
  EmbedderStamp,
  ReplaceResult,
} from "../ports/document-store.js";
import { InvalidInputError } from "../errors.js";
import {
  CHUNK_COLUMNS, CHUNK_TERMS_SELECT, DOCUMENT_MARK_FAILED, DOCUMENT_UPSERT, applyPragmas, checkVersion, migrate, rowToChunk,
  rowToChunkTerms, rowToDocument, type ChunkRow, type ChunkTermsRow, type DocumentRow, type ExistingRow, type LabelledChunk,
} from "./sqlite-schema.js";
import { bufferToVector } from "./vector-codec.js";
import { insertChunk, updateKept, writeVector } from "./sqlite-chunk-writes.js";
import { FtsBm25, type Bm25Tuning } from "./sqlite-bm25.js";
import { chunkFilterSql, documentFilterSql } from "./sqlite-filters.js";
import { LabelFilterCache } from "./sqlite-label-filter.js";
import { insertAudit, selectAudit } from "./sqlite-store-audit.js";

export type { LabelledChunk };

export interface SqliteStoreOptions {
  /** Open without writing anything (no migrations); the schema must be current. */
  readonly?: boolean;
  /** BM25 weight of the title/section-path field (default 2.0). */
  titleWeight?: number;
  /** BM25 weight of the body field (default 1.0). */
  bodyWeight?: number;
  /** When BM25 leaves common terms to re-scoring (see sqlite-bm25.ts); `postingsBudget: Infinity` disables it. */
  bm25?: Partial<Bm25Tuning>;
}

/** Keeps the first chunk of each content hash: a document never holds the same chunk twice. */
function dedupe(chunks: readonly ChunkInput[]): ChunkInput[] {
  const seen = new Set<string>();
  return chunks.filter((c) => !seen.has(c.chunk.contentHash) && seen.add(c.chunk.contentHash));
}

/**
 * The document store on one SQLite file (better-sqlite3, WAL). Chunk row ids are the vector-index labels; triggers
 * keep FTS rows and the change log in step with every chunk insert and delete.
 *
 * Vector updates of an existing chunk (a kept chunk whose vector differs, or `updateVectors` for reindexing) are
 * logged as a 'delete' followed by an 'add' of the same label, so followers replaying the log fetch the new vector.
 */
export class SqliteDocumentStore implements DocumentStore {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly bm25: FtsBm25;
  private stampCache: EmbedderStamp | undefined | null = null;
  /** Bumped by every write through this connection; with PRAGMA data_version (other connections) it keys caches. */
  private localWrites = 0;
  private readonly labelFilters = new LabelFilterCache((sql) => this.stmt(sql));
  private countCache: { version: string; chunks: number } | undefined;

  constructor(private readonly db: Database.Database, private readonly file: string, options: SqliteStoreOptions = {}) {
    const weights = { title: options.titleWeight ?? 2.0, body: options.bodyWeight ?? 1.0 };
    if (!Number.isFinite(weights.title) || !Number.isFinite(weights.body)) throw new InvalidInputError("BM25 field weights must be finite numbers");
    this.bm25 = new FtsBm25(db, (sql) => this.stmt(sql), weights, options.bm25);
  }

  private readonly stmtFn = (sql: string): Database.Statement => this.stmt(sql);

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) { s = this.db.prepare(sql); this.statements.set(sql, s); }
    return s;
  }

  getDocument(collection: string, id: string): StoredDocument | undefined {
    const row = this.stmt("SELECT * FROM documents WHERE collection = ? AND id = ?").get(collection, id) as DocumentRow | undefined;
    return row && rowToDocument(row);
  }

  listDocuments(query: DocumentListQuery = {}): StoredDocument[] {
    const { where, params } = documentFilterSql(query);
    const rows = this.stmt(`SELECT * FROM documents ${where} ORDER BY id, collection LIMIT ? OFFSET ?`)
      .all(...params, query.limit ?? -1, query.offset ?? 0) as DocumentRow[];
    return rows.map(rowToDocument);
  }

  countDocuments(query: DocumentListQuery = {}): number {
    const { where, params } = documentFilterSql(query);
    return this.stmt(`SELECT count(*) FROM documents ${where}`).pluck().get(...params) as number;
  }

  existingVectors(collection: string, documentId: string): Map<string, Float32Array> {
    const rows = this.stmt("SELECT content_hash, vector FROM chunks WHERE collection = ? AND document_id = ?").all(collection, documentId) as Array<{ content_hash: string; vector: Buffer }>;
    return new Map(rows.map((r) => [r.content_hash, bufferToVector(r.vector)]));
  }

  replaceDocument(doc: DocumentRecord, chunks: ChunkInput[]): ReplaceResult {
    const unique = dedupe(chunks);
    this.validateChunks(doc, unique);
    this.localWrites++;
    const write = (): ReplaceResult => {
      const now = new Date().toISOString();
      this.stmt(DOCUMENT_UPSERT).run(doc.id, doc.title, doc.collection, doc.sourceType, doc.format, doc.product ?? null, doc.language ?? null,
        doc.url ?? null, doc.sourcePath ?? null, doc.pages ?? null, doc.ticket ? JSON.stringify(doc.ticket) : null, doc.contentHash,
        unique.length, "ready", null, now, now, doc.redactions ?? null);
      const existing = new Map((this.stmt(`SELECT c.label, c.content_hash, c.vector, f.title_tokens, f.body_tokens
        FROM chunks c LEFT JOIN chunks_fts f ON f.rowid = c.label WHERE c.collection = ? AND c.document_id = ?`).all(doc.collection, doc.id) as ExistingRow[])
        .map((r) => [r.content_hash, r]));
      const wanted = new Set(unique.map((c) => c.chunk.contentHash));
      let removed = 0;
      for (const row of existing.values()) {
        if (!wanted.has(row.content_hash)) { this.stmt("DELETE FROM chunks WHERE label = ?").run(row.label); removed++; }
      }
      let kept = 0;
      for (const input of unique) {
        const row = existing.get(input.chunk.contentHash);
        if (row) { updateKept(this.stmtFn, row, input); kept++; } else insertChunk(this.stmtFn, doc.id, input);
      }
      return { added: unique.length - kept, removed, kept };
    };
    // Inside writeBatch the batch's transaction covers it: a savepoint would make FTS5 flush a segment per document.
    return this.db.inTransaction ? write() : this.db.transaction(write)();
  }

  writeBatch<T>(fn: () => T): T {
    this.localWrites++;
    return this.db.transaction(fn)();
  }

  private validateChunks(doc: Pick<DocumentRecord, "id" | "collection">, chunks: readonly ChunkInput[]): void {
    const dims = this.embedderStamp()?.dimensions ?? chunks[0]?.vector.length;
    for (const { chunk, vector } of chunks) {
      if (chunk.documentId !== doc.id || chunk.collection !== doc.collection) {
        throw new InvalidInputError(`chunk ${chunk.id} belongs to '${chunk.collection}/${chunk.documentId}', not '${doc.collection}/${doc.id}'`);
      }
      if (vector.length !== dims) throw new InvalidInputError(`chunk ${chunk.id}: vector has ${vector.length} dimensions, expected ${dims}`);
    }
  }

  /**
   * Replaces the vectors of existing chunks (`npm run reindex`) in one transaction; each updated label is logged as
   * 'delete' then 'add'. Unknown labels are skipped. Returns the number of chunks updated.
   */
  updateVectors(items: ReadonlyArray<{ label: number; vector: Float32Array }>): number {
    this.localWrites++;
    return this.db.transaction(() => items.reduce((n, { label, vector }) => n + (writeVector(this.stmtFn, label, vector) ? 1 : 0), 0))();
  }

  /** Also accepts the record of a document that was never stored, so a failed first ingestion keeps its metadata. */
  markFailed(collection: string, id: string, error: string, record?: Partial<DocumentRecord>): void {
    this.localWrites++;
    const now = new Date().toISOString();
    this.stmt(DOCUMENT_MARK_FAILED).run(id, record?.title ?? id, collection, record?.sourceType ?? "manual", record?.format ?? "unknown",
        record?.sourcePath ?? null, record?.contentHash ?? "", error, now, now);
  }

  deleteDocument(collection: string, id: string): boolean {
    this.localWrites++;
    return this.db.transaction(() => {
      this.stmt("DELETE FROM chunks WHERE collection = ? AND document_id = ?").run(collection, id);
      return this.stmt("DELETE FROM documents WHERE collection = ? AND id = ?").run(collection, id).changes > 0;
    })();
  }

  /**
   * BM25 over analyzer tokens. Queries whose terms' posting lists exceed a budget are answered by FTS5 over the
   * rarest terms, then re-scored with all terms (see sqlite-bm25.ts): the same formula at a bounded cost.
   */
  searchBm25(queryTokens: string[], k: number, filter?: ChunkFilter): Bm25Hit[] {
    const unique = [...new Set(queryTokens.filter((t) => t.length > 0))];
    if (unique.length === 0 || k <= 0) return [];
    return this.bm25.search(unique, Math.floor(k), chunkFilterSql(filter, "c"), this.dataVersion());
  }

  getChunks(labels: readonly number[]): LabelledChunk[] {
    if (labels.length === 0) return [];
    const rows = this.stmt(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE label IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(labels)) as ChunkRow[];
    const byLabel = new Map(rows.map((r) => [r.label, r]));
    return labels.flatMap((l) => { const r = byLabel.get(l); return r ? [rowToChunk(r)] : []; });
  }

  getChunkTerms(labels: readonly number[]): Map<number, ChunkTerms> {
    if (labels.length === 0) return new Map();
    const rows = this.stmt(CHUNK_TERMS_SELECT).all(JSON.stringify(labels)) as ChunkTermsRow[];
    return new Map(rows.map((r) => [r.label, rowToChunkTerms(r)]));
  }

  getDocumentChunks(collection: string, documentId: string): LabelledChunk[] {
    const rows = this.stmt(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE collection = ? AND document_id = ? ORDER BY position, label`)
      .all(collection, documentId) as ChunkRow[];
    return rows.map(rowToChunk);
  }

  labelFilter(filter: ChunkFilter): ((label: number) => boolean) | undefined {
    return this.labelFilters.get(filter, this.dataVersion());
  }

  /**
   * Changes whenever this connection writes or another connection commits (SQLite's data_version covers only the
   * latter), so caches keyed by it are never stale, even with a CLI ingesting next to the API.
   */
  private dataVersion(): string {
    return `${this.stmt("PRAGMA data_version").pluck().get() as number}:${this.localWrites}`;
  }

  /** Live chunk count; count(*) walks a whole index (milliseconds at 100k chunks), so it is cached per data version. */
  private chunkCount(): number {
    const version = this.dataVersion();
    if (this.countCache?.version !== version) {
      this.countCache = { version, chunks: this.stmt("SELECT count(*) FROM chunks").pluck().get() as number };
    }
    return this.countCache.chunks;
  }

  getVectors(labels: readonly number[]): Map<number, Float32Array> {
    if (labels.length === 0) return new Map();
    const rows = this.stmt("SELECT label, vector FROM chunks WHERE label IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(labels)) as Array<{ label: number; vector: Buffer }>;
    return new Map(rows.map((r) => [r.label, bufferToVector(r.vector)]));
  }

  changesSince(seq: number, limit: number): ChunkChange[] {
    return this.stmt("SELECT seq, op, label FROM changes WHERE seq > ? ORDER BY seq LIMIT ?").all(seq, limit) as ChunkChange[];
  }

  lastSeq(): number {
    return this.stmt("SELECT coalesce(max(seq), 0) FROM changes").pluck().get() as number;
  }

  allLabels(): number[] {
    return this.stmt("SELECT label FROM chunks ORDER BY label").pluck().all() as number[];
  }

  termStats(terms: readonly string[]): { chunks: number; df: Map<string, number> } {
    const chunks = this.chunkCount();
    const version = this.dataVersion();
    const df = new Map<string, number>();
    for (const term of new Set(terms)) df.set(term, this.bm25.exactDf(term, version, chunks));
    return { chunks, df };
  }

  recordAudit(entry: AuditEntry): void {
    insertAudit(this.stmtFn, entry);
  }

  listAudit(query?: AuditQuery): AuditEntry[] {
    return selectAudit(this.stmtFn, query);
  }

  embedderStamp(): EmbedderStamp | undefined {
    if (this.stampCache === null) {
      const rows = this.stmt("SELECT key, value FROM meta WHERE key IN ('embedder_id', 'embedder_dimensions')").all() as Array<{ key: string; value: string }>;
      const m = new Map(rows.map((r) => [r.key, r.value]));
      const id = m.get("embedder_id");
      const dims = m.get("embedder_dimensions");
      this.stampCache = id !== undefined && dims !== undefined ? { id, dimensions: Number(dims) } : undefined;
    }
    return this.stampCache;
  }

  setEmbedderStamp(stamp: EmbedderStamp): void {
    const put = this.stmt("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.db.transaction(() => {
      put.run("embedder_id", stamp.id);
      put.run("embedder_dimensions", String(stamp.dimensions));
    })();
    this.stampCache = { ...stamp };
  }

  async backup(file: string): Promise<void> {
    const tmp = `${file}.tmp`;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    try {
      await this.db.backup(tmp);
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** Path of the database file. */
  get path(): string {
    return this.file;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating and migrating if needed) the store at `file`; read-only opens require an existing current file. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteDocumentStore {
  const readonly = options.readonly ?? false;
  if (!readonly && file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { readonly, fileMustExist: readonly });
  try {
    applyPragmas(db, readonly);
    if (readonly) checkVersion(db, file); else migrate(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteDocumentStore(db, file, options);
}
