import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Chunk, ChunkTerms } from "../domain/chunk.js";
import type { StoredDocument } from "../domain/document.js";
import type {
  ChunkInput,
  DocumentListQuery,
  DocumentRecord,
  DocumentWrite,
  AuditEntry,
  AuditQuery,
  DocumentRepository,
  EmbedderStamp,
  ReplaceResult,
} from "../ports/document-repository.js";
import type { ChangeLog, ChunkChange } from "../ports/change-log.js";
import type { KeywordDoc } from "../ports/keyword-index.js";
import type { VectorEntry } from "../ports/vector-index.js";
import { InvalidInputError } from "../errors.js";
import { CHUNK_TERMS_SELECT, STORE_PRAGMAS, checkVersion, migrate, rowToChunkTerms, type ChunkTermsRow } from "./sqlite-schema.js";
import {
  CHUNK_COLUMNS, DOCUMENT_MARK_FAILED, filterFields, rowToChunk, rowToDocument, type ChunkRow, type DocumentRow, type FilterRow,
} from "./store-rows.js";
import { bufferToVector } from "./vector-codec.js";
import { writeDocument, writeVector } from "./sqlite-chunk-writes.js";
import { dedupe, validateChunks } from "./chunk-inputs.js";
import { FtsBm25, type Bm25Tuning } from "./sqlite-bm25.js";
import { documentFilterSql } from "./sqlite-filters.js";
import { SqliteKeywordIndex } from "./sqlite-keyword-index.js";
import { insertAudit, selectAudit } from "./sqlite-store-audit.js";
import { openSqliteFile } from "./sqlite-open.js";
import type { KeywordDocRow } from "./sqlite-filters.js";

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

/**
 * The document repository and change log on one SQLite file (better-sqlite3, WAL), with its keyword index
 * (`keywordIndex`, FTS5) on the same connection. Chunks are keyed by `chunks.id` (the store-wide chunk key); row ids
 * stay internal (FTS rows). Triggers keep FTS rows, per-collection statistics and the change log in step with every
 * chunk insert and delete. A vector update of an existing chunk (a kept chunk whose vector differs, or
 * `updateVectors`) is logged as another "add" of the same chunk, so followers replaying the log re-read it.
 * better-sqlite3 is synchronous: the methods are async for the port and do their work before resolving.
 */
export class SqliteDocumentStore implements DocumentRepository, ChangeLog {
  private readonly statements = new Map<string, Database.Statement>();
  private stampCache: EmbedderStamp | undefined | null = null;
  /** Bumped by every write through this connection; with PRAGMA data_version (other connections) it keys caches. */
  private localWrites = 0;
  /** BM25 over the analyzer terms, statistics scoped to the collections a query covers. */
  readonly keywordIndex: SqliteKeywordIndex;

  constructor(private readonly db: Database.Database, private readonly file: string, options: SqliteStoreOptions = {}) {
    const weights = { title: options.titleWeight ?? 2.0, body: options.bodyWeight ?? 1.0 };
    if (!Number.isFinite(weights.title) || !Number.isFinite(weights.body)) throw new InvalidInputError("BM25 field weights must be finite numbers");
    const bm25 = new FtsBm25(db, (sql) => this.stmt(sql), weights, options.bm25);
    this.keywordIndex = new SqliteKeywordIndex(this.stmtFn, bm25, () => this.dataVersion());
  }

  private readonly stmtFn = (sql: string): Database.Statement => this.stmt(sql);

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) { s = this.db.prepare(sql); this.statements.set(sql, s); }
    return s;
  }

  async getDocument(collection: string, id: string): Promise<StoredDocument | undefined> {
    const row = this.stmt("SELECT * FROM documents WHERE collection = ? AND id = ?").get(collection, id) as DocumentRow | undefined;
    return row && rowToDocument(row);
  }

  async listDocuments(query: DocumentListQuery = {}): Promise<StoredDocument[]> {
    const { where, params } = documentFilterSql(query);
    const rows = this.stmt(`SELECT * FROM documents ${where} ORDER BY id, collection LIMIT ? OFFSET ?`)
      .all(...params, query.limit ?? -1, query.offset ?? 0) as DocumentRow[];
    return rows.map(rowToDocument);
  }

  async countDocuments(query: DocumentListQuery = {}): Promise<number> {
    const { where, params } = documentFilterSql(query);
    return this.stmt(`SELECT count(*) FROM documents ${where}`).pluck().get(...params) as number;
  }

  async existingVectors(collection: string, documentId: string): Promise<Map<string, Float32Array>> {
    const rows = this.stmt("SELECT content_hash, vector FROM chunks WHERE collection = ? AND document_id = ?").all(collection, documentId) as Array<{ content_hash: string; vector: Buffer }>;
    return new Map(rows.map((r) => [r.content_hash, bufferToVector(r.vector)]));
  }

  async replaceDocument(doc: DocumentRecord, chunks: ChunkInput[]): Promise<ReplaceResult> {
    const [result] = await this.replaceDocuments([{ doc, chunks }]);
    return result!;
  }

  async replaceDocuments(writes: readonly DocumentWrite[]): Promise<ReplaceResult[]> {
    const prepared = writes.map(({ doc, chunks }) => {
      const unique = dedupe(chunks);
      validateChunks(doc, unique, this.stamp()?.dimensions ?? unique[0]?.vector.length);
      return { doc, unique };
    });
    this.localWrites++;
    // One transaction for the batch: a savepoint per document would make FTS5 flush a segment per document.
    return this.db.transaction(() => prepared.map(({ doc, unique }) => writeDocument(this.stmtFn, doc, unique)))();
  }

  /** Replaces the vectors of existing chunks (`npm run reindex`) in one transaction. Unknown keys are skipped. */
  async updateVectors(items: ReadonlyArray<{ chunkId: string; vector: Float32Array }>): Promise<number> {
    this.localWrites++;
    return this.db.transaction(() => items.reduce((n, { chunkId, vector }) => n + (writeVector(this.stmtFn, chunkId, vector) ? 1 : 0), 0))();
  }

  /** Also accepts the record of a document that was never stored, so a failed first ingestion keeps its metadata. */
  async markFailed(collection: string, id: string, error: string, record?: Partial<DocumentRecord>): Promise<void> {
    this.localWrites++;
    const now = new Date().toISOString();
    this.stmt(DOCUMENT_MARK_FAILED).run(id, record?.title ?? id, collection, record?.sourceType ?? "manual", record?.format ?? "unknown",
        record?.sourcePath ?? null, record?.contentHash ?? "", error, now, now);
  }

  async deleteDocument(collection: string, id: string): Promise<boolean> {
    this.localWrites++;
    return this.db.transaction(() => {
      this.stmt("DELETE FROM chunks WHERE collection = ? AND document_id = ?").run(collection, id);
      return this.stmt("DELETE FROM documents WHERE collection = ? AND id = ?").run(collection, id).changes > 0;
    })();
  }

  async getChunks(chunkIds: readonly string[]): Promise<Chunk[]> {
    if (chunkIds.length === 0) return [];
    const rows = this.stmt(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(chunkIds)) as ChunkRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return chunkIds.flatMap((id) => { const r = byId.get(id); return r ? [rowToChunk(r)] : []; });
  }

  async getChunkTerms(chunkIds: readonly string[]): Promise<Map<string, ChunkTerms>> {
    if (chunkIds.length === 0) return new Map();
    const rows = this.stmt(CHUNK_TERMS_SELECT).all(JSON.stringify(chunkIds)) as ChunkTermsRow[];
    return new Map(rows.map((r) => [r.id, rowToChunkTerms(r)]));
  }

  async keywordDocs(chunkIds: readonly string[]): Promise<KeywordDoc[]> {
    if (chunkIds.length === 0) return [];
    const rows = this.stmt(`SELECT c.id, c.collection, c.document_id, c.source_type, c.product, c.language, c.section_path, c.position,
      f.title_tokens, f.body_tokens
      FROM chunks c JOIN chunks_fts f ON f.rowid = c.label WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(chunkIds)) as KeywordDocRow[];
    const split = (s: string | null): string[] => (s ? s.split(" ") : []);
    return rows.map((r) => ({
      ...filterFields(r), chunkId: r.id, titleTokens: split(r.title_tokens), bodyTokens: split(r.body_tokens),
      sectionPath: JSON.parse(r.section_path) as string[], position: r.position,
    }));
  }

  async getDocumentChunks(collection: string, documentId: string): Promise<Chunk[]> {
    const rows = this.stmt(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE collection = ? AND document_id = ? ORDER BY position, label`)
      .all(collection, documentId) as ChunkRow[];
    return rows.map(rowToChunk);
  }

  /**
   * Changes whenever this connection writes or another connection commits (SQLite's data_version covers only the
   * latter), so caches keyed by it are never stale, even with a CLI ingesting next to the API.
   */
  private dataVersion(): string {
    return `${this.stmt("PRAGMA data_version").pluck().get() as number}:${this.localWrites}`;
  }

  /** PRAGMA data_version with this connection's own writes: one cheap statement, exact for every writer. */
  async readVersion(): Promise<string> {
    return this.dataVersion();
  }

  async getVectors(chunkIds: readonly string[]): Promise<Map<string, Float32Array>> {
    if (chunkIds.length === 0) return new Map();
    const rows = this.stmt("SELECT id, vector FROM chunks WHERE id IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(chunkIds)) as Array<{ id: string; vector: Buffer }>;
    return new Map(rows.map((r) => [r.id, bufferToVector(r.vector)]));
  }

  async vectorEntries(chunkIds: readonly string[]): Promise<VectorEntry[]> {
    if (chunkIds.length === 0) return [];
    const rows = this.stmt(`SELECT id, collection, document_id, source_type, product, language, vector FROM chunks
      WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(chunkIds)) as Array<FilterRow & { id: string; vector: Buffer }>;
    return rows.map((r) => ({ ...filterFields(r), chunkId: r.id, vector: bufferToVector(r.vector) }));
  }

  async since(seq: number, limit: number): Promise<ChunkChange[]> {
    return this.stmt("SELECT seq, op, chunk_id AS chunkId FROM changes WHERE seq > ? AND chunk_id IS NOT NULL ORDER BY seq LIMIT ?").all(seq, limit) as ChunkChange[];
  }

  async lastSeq(): Promise<number> {
    return this.stmt("SELECT coalesce(max(seq), 0) FROM changes").pluck().get() as number;
  }

  async allChunkIds(): Promise<string[]> {
    return this.stmt("SELECT id FROM chunks ORDER BY label").pluck().all() as string[];
  }

  async recordAudit(entry: AuditEntry): Promise<void> {
    insertAudit(this.stmtFn, entry);
  }

  async listAudit(query?: AuditQuery): Promise<AuditEntry[]> {
    return selectAudit(this.stmtFn, query);
  }

  async embedderStamp(): Promise<EmbedderStamp | undefined> {
    return this.stamp();
  }

  private stamp(): EmbedderStamp | undefined {
    if (this.stampCache === null) {
      const rows = this.stmt("SELECT key, value FROM meta WHERE key IN ('embedder_id', 'embedder_dimensions')").all() as Array<{ key: string; value: string }>;
      const m = new Map(rows.map((r) => [r.key, r.value]));
      const id = m.get("embedder_id");
      const dims = m.get("embedder_dimensions");
      this.stampCache = id !== undefined && dims !== undefined ? { id, dimensions: Number(dims) } : undefined;
    }
    return this.stampCache;
  }

  async setEmbedderStamp(stamp: EmbedderStamp): Promise<void> {
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

  /** Sets documents' creation and update times (`migrate-store` keeps them across backends; writes set "now"). */
  async restoreTimes(items: ReadonlyArray<{ collection: string; id: string; createdAt: string; updatedAt: string }>): Promise<void> {
    const set = this.db.prepare("UPDATE documents SET created_at = ?, updated_at = ? WHERE collection = ? AND id = ?");
    this.db.transaction(() => { for (const d of items) set.run(d.createdAt, d.updatedAt, d.collection, d.id); })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating and migrating if needed) the store at `file`; read-only opens require an existing current file. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteDocumentStore {
  const readonly = options.readonly ?? false;
  if (!readonly && file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = openSqliteFile(file, { readonly, foreignKeys: true, pragmas: STORE_PRAGMAS });
  try {
    if (readonly) checkVersion(db, file); else migrate(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteDocumentStore(db, file, options);
}
