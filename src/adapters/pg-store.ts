import type pg from "pg";
import type { Chunk, ChunkTerms } from "../domain/chunk.js";
import type { StoredDocument } from "../domain/document.js";
import type {
  AuditEntry, AuditQuery, ChunkInput, DocumentListQuery, DocumentRecord, DocumentRepository, DocumentWrite, EmbedderStamp, ReplaceResult,
} from "../ports/document-repository.js";
import type { ChangeLog, ChunkChange } from "../ports/change-log.js";
import type { KeywordDoc } from "../ports/keyword-index.js";
import type { VectorEntry } from "../ports/vector-index.js";
import { AppError } from "../errors.js";
import {
  CHUNK_COLUMNS, DOCUMENT_MARK_FAILED, filterFields, rowToChunk, rowToDocument, type ChunkRow, type DocumentRow, type FilterRow,
} from "./store-rows.js";
import { bufferToVector } from "./vector-codec.js";
import { dedupe, validateChunks } from "./chunk-inputs.js";
import { createPool, inTransaction, lockKey, migratePg, poolQuery, type PgPoolOptions } from "./pg-schema.js";
import { writeVector } from "./pg-chunk-writes.js";
import { writeDocuments } from "./pg-document-writes.js";
import { PgKeywordIndex } from "./pg-keyword-index.js";
import { NOTIFY_CHANGES } from "./pg-change-notices.js";
import { pgDocumentFilter, selectPgAudit } from "./pg-queries.js";

/** `?` placeholders (the statements shared with SQLite, store-rows.ts) as PostgreSQL's `$n`. */
const numbered = (sql: string): string => { let n = 0; return sql.replace(/\?/g, () => `$${++n}`); };
const MARK_FAILED = numbered(DOCUMENT_MARK_FAILED);

/**
 * The document repository and change log on PostgreSQL (one schema, a bounded pool), with its keyword index
 * (`keywordIndex`, postings + BM25 in SQL). Every write that touches chunks runs in one transaction that first takes
 * the schema's write advisory lock (`pg_advisory_xact_lock`): chunk writers are serialised, so change-log sequence
 * numbers (bigserial, drawn by triggers inside the transaction) commit in increasing order and a follower reading
 * `since(seq)` can never skip a lower seq that commits later. Readers never wait for it.
 */
export class PgDocumentStore implements DocumentRepository, ChangeLog {
  /** BM25 over the stored analyzer terms, statistics scoped to the collections a query covers. */
  readonly keywordIndex: PgKeywordIndex;

  /** The bounded pool, shared with the rest of the state in this schema (see pg-state.ts); `close` ends it. */
  constructor(readonly pool: pg.Pool, private readonly schema: string) {
    this.keywordIndex = new PgKeywordIndex(pool);
  }

  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await poolQuery<R>(this.pool, sql, params)).rows;
  }

  /** A chunk-writing transaction, under the schema's single-writer lock. */
  private write<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockKey(this.schema, "write")]);
      const result = await fn(client);
      // Sent at commit, still under the write lock, so the payload's seq is this batch's last one.
      await client.query(NOTIFY_CHANGES, [this.schema]);
      return result;
    });
  }

  async getDocument(collection: string, id: string): Promise<StoredDocument | undefined> {
    const [row] = await this.rows<DocumentRow>("SELECT * FROM documents WHERE collection = $1 AND id = $2", [collection, id]);
    return row && rowToDocument(row);
  }

  async listDocuments(query: DocumentListQuery = {}): Promise<StoredDocument[]> {
    const { where, params } = pgDocumentFilter(query);
    const n = params.length;
    const rows = await this.rows<DocumentRow>(`SELECT * FROM documents ${where} ORDER BY id, collection LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, query.limit ?? null, query.offset ?? 0]);
    return rows.map(rowToDocument);
  }

  async countDocuments(query: DocumentListQuery = {}): Promise<number> {
    const { where, params } = pgDocumentFilter(query);
    const [row] = await this.rows<{ n: number }>(`SELECT count(*)::int AS n FROM documents ${where}`, params);
    return row?.n ?? 0;
  }

  async existingVectors(collection: string, documentId: string): Promise<Map<string, Float32Array>> {
    const rows = await this.rows<{ content_hash: string; vector: Buffer }>(
      "SELECT content_hash, vector FROM chunks WHERE collection = $1 AND document_id = $2", [collection, documentId]);
    return new Map(rows.map((r) => [r.content_hash, bufferToVector(r.vector)]));
  }

  async replaceDocument(doc: DocumentRecord, chunks: ChunkInput[]): Promise<ReplaceResult> {
    const [result] = await this.replaceDocuments([{ doc, chunks }]);
    return result!;
  }

  async replaceDocuments(writes: readonly DocumentWrite[]): Promise<ReplaceResult[]> {
    const stamp = await this.embedderStamp();
    const prepared = writes.map(({ doc, chunks }) => {
      const unique = dedupe(chunks);
      validateChunks(doc, unique, stamp?.dimensions ?? unique[0]?.vector.length);
      return { doc, unique };
    });
    return this.write(async (client) => {
      return writeDocuments(client, prepared);
    });
  }

  async updateVectors(items: ReadonlyArray<{ chunkId: string; vector: Float32Array }>): Promise<number> {
    return this.write(async (client) => {
      let n = 0;
      for (const { chunkId, vector } of items) if (await writeVector(client, chunkId, vector)) n++;
      return n;
    });
  }

  async markFailed(collection: string, id: string, error: string, record?: Partial<DocumentRecord>): Promise<void> {
    const now = new Date().toISOString();
    await poolQuery(this.pool, MARK_FAILED, [id, record?.title ?? id, collection, record?.sourceType ?? "manual", record?.format ?? "unknown",
      record?.sourcePath ?? null, record?.contentHash ?? "", error, now, now]);
  }

  async deleteDocument(collection: string, id: string): Promise<boolean> {
    return this.write(async (client) => {
      // Chunks go by cascade; the delete trigger logs each one.
      const { rowCount } = await client.query("DELETE FROM documents WHERE collection = $1 AND id = $2", [collection, id]);
      return (rowCount ?? 0) > 0;
    });
  }

  async getChunks(chunkIds: readonly string[]): Promise<Chunk[]> {
    if (chunkIds.length === 0) return [];
    const rows = await this.rows<ChunkRow>(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE id = ANY($1::text[])`, [chunkIds]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return chunkIds.flatMap((id) => { const r = byId.get(id); return r ? [rowToChunk(r)] : []; });
  }

  async getDocumentChunks(collection: string, documentId: string): Promise<Chunk[]> {
    const rows = await this.rows<ChunkRow>(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE collection = $1 AND document_id = $2 ORDER BY position, label`,
      [collection, documentId]);
    return rows.map(rowToChunk);
  }

  async getVectors(chunkIds: readonly string[]): Promise<Map<string, Float32Array>> {
    if (chunkIds.length === 0) return new Map();
    const rows = await this.rows<{ id: string; vector: Buffer }>("SELECT id, vector FROM chunks WHERE id = ANY($1::text[])", [chunkIds]);
    return new Map(rows.map((r) => [r.id, bufferToVector(r.vector)]));
  }

  async vectorEntries(chunkIds: readonly string[]): Promise<VectorEntry[]> {
    if (chunkIds.length === 0) return [];
    const rows = await this.rows<FilterRow & { id: string; vector: Buffer }>(`SELECT id, collection, document_id, source_type, product, language, vector
      FROM chunks WHERE id = ANY($1::text[])`, [chunkIds]);
    return rows.map((r) => ({ ...filterFields(r), chunkId: r.id, vector: bufferToVector(r.vector) }));
  }

  async getChunkTerms(chunkIds: readonly string[]): Promise<Map<string, ChunkTerms>> {
    if (chunkIds.length === 0) return new Map();
    const rows = await this.rows<{ id: string; document_id: string; section_path: string; position: number; language: string | null; title_tokens: string[]; body_tokens: string[] }>(
      "SELECT id, document_id, section_path, position, language, title_tokens, body_tokens FROM chunks WHERE id = ANY($1::text[])", [chunkIds]);
    return new Map(rows.map((r) => [r.id, {
      chunkId: r.id, documentId: r.document_id, sectionPath: JSON.parse(r.section_path) as string[], position: r.position,
      titleTokens: r.title_tokens, bodyTokens: r.body_tokens, ...(r.language !== null ? { language: r.language } : {}),
    }]));
  }

  async keywordDocs(chunkIds: readonly string[]): Promise<KeywordDoc[]> {
    if (chunkIds.length === 0) return [];
    const rows = await this.rows<FilterRow & { id: string; section_path: string; position: number; title_tokens: string[]; body_tokens: string[] }>(
      `SELECT id, collection, document_id, source_type, product, language, section_path, position, title_tokens, body_tokens FROM chunks
      WHERE id = ANY($1::text[])`, [chunkIds]);
    return rows.map((r) => ({
      ...filterFields(r), chunkId: r.id, titleTokens: r.title_tokens, bodyTokens: r.body_tokens,
      sectionPath: JSON.parse(r.section_path) as string[], position: r.position,
    }));
  }

  async allChunkIds(): Promise<string[]> {
    return (await this.rows<{ id: string }>("SELECT id FROM chunks ORDER BY label")).map((r) => r.id);
  }

  async since(seq: number, limit: number): Promise<ChunkChange[]> {
    const rows = await this.rows<{ seq: string; op: ChunkChange["op"]; chunk_id: string }>(
      "SELECT seq, op, chunk_id FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2", [seq, limit]);
    return rows.map((r) => ({ seq: Number(r.seq), op: r.op, chunkId: r.chunk_id }));
  }

  async lastSeq(): Promise<number> {
    const [row] = await this.rows<{ seq: string }>("SELECT coalesce(max(seq), 0) AS seq FROM changes");
    return Number(row?.seq ?? 0);
  }

  async recordAudit(e: AuditEntry): Promise<void> {
    await poolQuery(this.pool, "INSERT INTO audit (at, key_name, action, collection, document_id, request_id, count) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [e.at, e.keyName, e.action, e.collection, e.documentId, e.requestId ?? null, e.count ?? null]);
  }

  async listAudit(query?: AuditQuery): Promise<AuditEntry[]> {
    return selectPgAudit(this.pool, query);
  }

  async embedderStamp(): Promise<EmbedderStamp | undefined> {
    const rows = await this.rows<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('embedder_id', 'embedder_dimensions')");
    const m = new Map(rows.map((r) => [r.key, r.value]));
    const id = m.get("embedder_id");
    const dims = m.get("embedder_dimensions");
    return id !== undefined && dims !== undefined ? { id, dimensions: Number(dims) } : undefined;
  }

  async setEmbedderStamp(stamp: EmbedderStamp): Promise<void> {
    await poolQuery(this.pool, `INSERT INTO meta (key, value) VALUES ('embedder_id', $1), ('embedder_dimensions', $2)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [stamp.id, String(stamp.dimensions)]);
  }

  /** A PostgreSQL store is backed up with PostgreSQL's own tools, which copy it consistently while it serves. */
  async backup(_file: string): Promise<void> {
    throw new AppError("backup-unsupported", 400,
      `the PostgreSQL store is backed up with PostgreSQL's tools: pg_dump --schema=${this.schema} --format=custom (restore with pg_restore)`);
  }

  /** Sets documents' creation and update times (`migrate-store` keeps them across backends; writes set "now"). */
  async restoreTimes(items: ReadonlyArray<{ collection: string; id: string; createdAt: string; updatedAt: string }>): Promise<void> {
    if (items.length === 0) return;
    await this.pool.query(`UPDATE documents d SET created_at = t.c, updated_at = t.u
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(col, id, c, u) WHERE d.collection = t.col AND d.id = t.id`,
    [items.map((d) => d.collection), items.map((d) => d.id), items.map((d) => d.createdAt), items.map((d) => d.updatedAt)]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens the store in `schema` (created and migrated if needed) with a bounded pool. */
export async function openPgStore(options: PgPoolOptions): Promise<PgDocumentStore> {
  const pool = createPool(options);
  try {
    await migratePg(pool, options.schema);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new PgDocumentStore(pool, options.schema);
}
